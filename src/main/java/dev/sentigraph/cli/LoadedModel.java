package dev.sentigraph.cli;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.model.InferenceSession;
import dev.sentigraph.model.Predictor;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.train.RunFolder;
import dev.sentigraph.train.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code --model M} names, opened for inference: a predictor with the data settings and vocabulary it
 * expects. M is a run folder from {@code train}.
 */
record LoadedModel(Predictor predictor, DataSettings data, Path wordIndex, TrainedModel trained) implements AutoCloseable {

  static LoadedModel open(Path path, String checkpoint) {
    if (!Files.exists(path)) {
      throw new InvalidInputException("--model " + path + " does not exist: expected a run folder from sentigraph train");
    }
    if (Files.isRegularFile(path.resolve("model.json"))) {
      TrainedModel trained = RunFolder.open(path).trainedModel(checkpoint);
      return new LoadedModel(new InferenceSession(trained.config(), trained.weights(), SessionSettings.config()),
          trained.data(), trained.wordIndex(), trained);
    }
    throw new InvalidInputException("--model " + path + " is not a model sentigraph can load: expected a run folder"
        + " (model.json, checkpoints/)");
  }

  @Override
  public void close() {
    predictor.close();
  }
}
