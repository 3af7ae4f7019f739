package dev.sentigraph.cli;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.model.InferenceSession;
import dev.sentigraph.model.Predictor;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.savedmodel.SavedModelInfo;
import dev.sentigraph.savedmodel.SavedModelPredictor;
import dev.sentigraph.train.RunFolder;
import dev.sentigraph.train.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code --model M} names, opened for inference: a predictor with the data settings and vocabulary it
 * expects. M is a run folder from {@code train} or a SavedModel folder (Keras' or sentigraph's); a SavedModel
 * carries no data settings, so Keras' IMDB defaults with {@code num_words} 10000 apply unless options say
 * otherwise. {@code trained} is null for SavedModels.
 */
record LoadedModel(Predictor predictor, DataSettings data, Path wordIndex, TrainedModel trained) implements AutoCloseable {

  static LoadedModel open(Path path, String checkpoint) {
    return open(path, checkpoint, null, null, null);
  }

  static LoadedModel open(Path path, String checkpoint, String signature, String inputName, Integer seqLen) {
    if (!Files.exists(path)) {
      throw new InvalidInputException("--model " + path + " does not exist: expected a run folder or a SavedModel folder");
    }
    if (Files.isRegularFile(path.resolve("model.json"))) {
      TrainedModel trained = RunFolder.open(path).trainedModel(checkpoint);
      return new LoadedModel(new InferenceSession(trained.config(), trained.weights(), SessionSettings.config()),
          trained.data(), trained.wordIndex(), trained);
    }
    if (SavedModelInfo.isSavedModel(path)) {
      SavedModelPredictor p = SavedModelPredictor.open(path, signature, inputName, seqLen);
      return new LoadedModel(p, DataSettings.keras(10000, p.seqLen()), null, null);
    }
    throw new InvalidInputException("--model " + path + " is not a model sentigraph can load: expected a run folder"
        + " (model.json, checkpoints/) or a SavedModel folder (saved_model.pb)");
  }

  @Override
  public void close() {
    predictor.close();
  }
}
