package dev.sentigraph.cli;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.model.ModelConfig;
import dev.sentigraph.model.Preset;
import dev.sentigraph.model.Presets;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.train.TrainSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --preset NAME | --config FILE}, shared by the commands that build a model. A config file brings its
 * own sequence length; its vocabulary size comes from its Embedding, and training defaults are Keras'.
 */
final class ModelChoice {
  @Option(names = "--preset", paramLabel = "NAME", description = "A notebook experiment (see `sentigraph presets`).")
  String preset;

  @Option(names = "--config", paramLabel = "FILE", description = "A Keras Sequential model config (JSON, as model.to_json() writes).")
  Path config;

  Preset resolve() {
    if ((preset == null) == (config == null)) {
      throw new InvalidInputException("give exactly one of --preset NAME or --config FILE");
    }
    if (preset != null) {
      return Presets.get(preset);
    }
    ModelConfig model = ModelConfig.read(config);
    Integer numWords = SequentialModel.of(model).vocabularySize();
    return new Preset(model.name(), "model from " + config, model, DataSettings.keras(numWords, model.seqLen()),
        new TrainSettings("adam", 1e-3, 32, 1, "test", 1));
  }
}
