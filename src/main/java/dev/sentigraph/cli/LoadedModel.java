package dev.sentigraph.cli;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.keras.KerasFileReader;
import dev.sentigraph.model.ExportMetadata;
import dev.sentigraph.model.InferenceSession;
import dev.sentigraph.model.Predictor;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.savedmodel.GraphHandover;
import dev.sentigraph.savedmodel.SavedModelInfo;
import dev.sentigraph.savedmodel.SavedModelPredictor;
import dev.sentigraph.train.RunFolder;
import dev.sentigraph.train.SessionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code --model M} names, opened for inference: a predictor with the data settings and vocabulary it
 * expects. M is a run folder from {@code train}, a {@code .keras} file or a SavedModel folder (Keras' or
 * sentigraph's). sentigraph's own exports say how reviews were encoded; for Keras' files Keras' IMDB defaults
 * apply unless options say otherwise, with the embedding's vocabulary ({@code .keras}) or 10000 words
 * (SavedModel) as {@code num_words}. {@code trained} is null for SavedModels.
 */
record LoadedModel(Predictor predictor, DataSettings data, Path wordIndex, TrainedModel trained) implements AutoCloseable {

  static LoadedModel open(Path path, String checkpoint) {
    return open(path, checkpoint, null, null, null);
  }

  static LoadedModel open(Path path, String checkpoint, String signature, String inputName, Integer seqLen) {
    if (!Files.exists(path)) {
      throw new InvalidInputException("--model " + path + " does not exist: expected a run folder, a .keras file"
          + " or a SavedModel folder");
    }
    TrainedModel trained = readTrained(path, checkpoint);
    if (trained != null) {
      return new LoadedModel(new InferenceSession(trained.config(), trained.weights(),
          SessionSettings.config(SequentialModel.of(trained.config()), false)),
          trained.data(), trained.wordIndex(), trained);
    }
    if (SavedModelInfo.isSavedModel(path)) {
      SavedModelPredictor p = SavedModelPredictor.open(path, signature, inputName, seqLen);
      return new LoadedModel(fasterGraph(path, p), savedModelData(path, p.seqLen()), null, null);
    }
    throw new InvalidInputException("--model " + path + " is not a model sentigraph can load: expected a run folder"
        + " (model.json, checkpoints/), a .keras file or a SavedModel folder (saved_model.pb)");
  }

  /**
   * A Keras SavedModel whose variables spell a model sentigraph builds serves from sentigraph's graph once that
   * agrees with Keras' ({@link GraphHandover}); {@code SENTIGRAPH_KERAS_GRAPH=1} keeps Keras' graph, for
   * comparisons. sentigraph's own exports already run its graph.
   */
  private static Predictor fasterGraph(Path dir, SavedModelPredictor keras) {
    boolean ownExport = Files.isRegularFile(dir.resolve("assets.extra").resolve(ExportMetadata.FILE_NAME));
    if (ownExport || "1".equals(System.getenv("SENTIGRAPH_KERAS_GRAPH"))) {
      return keras;
    }
    return new GraphHandover(keras);
  }

  private static DataSettings savedModelData(Path dir, int seqLen) {
    Path metadata = dir.resolve("assets.extra").resolve(ExportMetadata.FILE_NAME);
    if (Files.isRegularFile(metadata)) {
      try {
        DataSettings data = ExportMetadata.parse(Files.readString(metadata), metadata.toString()).data();
        if (data != null) {
          return data;
        }
      } catch (IOException e) {
        throw new InvalidInputException("cannot read " + metadata + ": " + e.getMessage());
      }
    }
    return DataSettings.keras(10000, seqLen);
  }

  /** The weights and settings of a run folder or a {@code .keras} file; null for anything else. */
  static TrainedModel readTrained(Path path, String checkpoint) {
    if (Files.isRegularFile(path.resolve("model.json"))) {
      return RunFolder.open(path).trainedModel(checkpoint);
    }
    if (KerasFileReader.isKerasFile(path)) {
      if (checkpoint != null) {
        throw new InvalidInputException("--checkpoint applies to run folders: " + path + " is a .keras file");
      }
      return KerasFileReader.read(path).toTrainedModel();
    }
    return null;
  }

  @Override
  public void close() {
    predictor.close();
  }
}
