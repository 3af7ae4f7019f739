package dev.sentigraph.cli;

import dev.sentigraph.SentimentModel;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.error.InputException;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.train.Preset;
import dev.sentigraph.train.Presets;
import dev.sentigraph.train.TrainSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --preset NAME | --config FILE}, shared by the commands that build a model. A config file brings its
 * own sequence length; its vocabulary size comes from its Embedding, and training defaults are Keras'.
 */
public final class ModelChoice {
  private static final TrainSettings FIT_DEFAULTS = new TrainSettings("adam", 1e-3, 32, 1, "test", 1);

  @Option(names = "--preset", paramLabel = "NAME", description = "A notebook experiment (see `sentigraph presets`).")
  String preset;

  @Option(names = "--config", paramLabel = "FILE", description = "A Keras Sequential model config (JSON, as model.to_json() writes), or a .keras file's.")
  Path config;

  /** True when --preset or --config was given. */
  public boolean named() {
    return preset != null || config != null;
  }

  public Preset resolve() {
    return resolve(null, null);
  }

  /**
   * The model named by --preset or --config; with neither, {@code fallback}'s model (from {@code origin}, e.g.
   * {@code --init-from}) when there is one. A model from a file trains with Keras' {@code fit} defaults (adam,
   * batch 32, one epoch) unless options say otherwise.
   */
  Preset resolve(TrainedModel fallback, Path origin) {
    if (preset != null && config != null || preset == null && config == null && fallback == null) {
      throw new InputException("give exactly one of --preset NAME or --config FILE");
    }
    if (preset != null) {
      return Presets.get(preset);
    }
    if (config == null) {
      return new Preset(fallback.config().name(), "model from " + origin, fallback.config(), fallback.data(), FIT_DEFAULTS);
    }
    TrainedModel file = SentimentModel.readTrained(config, null);
    if (file != null) {
      return new Preset(file.config().name(), "model from " + config, file.config(), file.data(), FIT_DEFAULTS);
    }
    ModelConfig model = ModelConfig.read(config);
    Integer numWords = SequentialModel.of(model).input().vocabulary();
    return new Preset(model.name(), "model from " + config, model, DataSettings.keras(numWords, model.seqLen()),
        FIT_DEFAULTS);
  }
}
