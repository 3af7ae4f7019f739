package dev.sentigraph.model;

import com.google.gson.JsonObject;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.KerasTextVectorization;
import java.nio.file.Path;
import java.util.List;

/**
 * A model with its weights and how its input was prepared: what a run folder, a {@code .keras} file or an
 * export carries.
 *
 * @param data how reviews were turned into ids (offsets, vocabulary size, padding); null when unknown
 * @param wordIndex the word-to-rank JSON used for raw text; null when unknown
 * @param metrics the test metrics measured after training (as {@code metrics.json}); null when unknown
 * @param textVectorization the Keras TextVectorization that turns text into the model's ids, for a {@code .keras}
 *     model that takes strings; null for token models (their text goes through the word index)
 */
public record TrainedModel(ModelConfig config, List<NamedWeight> weights, DataSettings data, Path wordIndex,
    JsonObject metrics, KerasTextVectorization textVectorization) {
  /** A token model. */
  public TrainedModel(ModelConfig config, List<NamedWeight> weights, DataSettings data, Path wordIndex,
      JsonObject metrics) {
    this(config, weights, data, wordIndex, metrics, null);
  }
}
