package dev.sentigraph.keras;

import com.google.gson.JsonObject;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import java.util.List;

/**
 * A Keras 3 {@code .keras} model as sentigraph reads it: the Sequential config, the layers' weights in Keras
 * layout, and the data settings when sentigraph wrote the file (Keras' own files do not carry them).
 *
 * @param data null when the file does not say how reviews were encoded
 * @param metrics the test metrics sentigraph recorded when it wrote the file, or null
 * @param kerasVersion from {@code metadata.json}, or null
 * @param textVectorization the model's TextVectorization with its vocabulary from the archive, when the model
 *     takes strings; else null
 */
public record KerasFile(ModelConfig config, List<NamedWeight> weights, DataSettings data, JsonObject metrics,
    String kerasVersion, KerasTextVectorization textVectorization) {
  public KerasFile {
    weights = List.copyOf(weights);
  }

  /**
   * The model with its data settings: the file's own, or else Keras' {@code imdb.load_data} defaults with the
   * embedding's vocabulary as {@code num_words} and the input length as the padded length.
   */
  public TrainedModel toTrainedModel() {
    if (textVectorization != null) {
      // TextVectorization's ids are vocabulary positions, padded and cut at the end
      DataSettings settings = DataSettings.vectorized(textVectorization.vocabulary().size(),
          config.anyLength() ? ModelConfig.NOMINAL_LENGTH : config.seqLen());
      return new TrainedModel(config, weights, settings, null, metrics, textVectorization);
    }
    DataSettings settings = data != null ? data : DataSettings.keras(SequentialModel.of(config).input().vocabulary(),
        config.anyLength() ? ModelConfig.NOMINAL_LENGTH : config.seqLen());
    return new TrainedModel(config, weights, settings, null, metrics);
  }
}
