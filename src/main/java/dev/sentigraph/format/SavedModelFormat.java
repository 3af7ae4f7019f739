package dev.sentigraph.format;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.error.InputException;
import dev.sentigraph.model.ModelInput;
import dev.sentigraph.model.ModelOutput;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.runtime.Predictor;
import dev.sentigraph.savedmodel.ExportMetadata;
import dev.sentigraph.savedmodel.GraphHandover;
import dev.sentigraph.savedmodel.SavedModelInfo;
import dev.sentigraph.savedmodel.SavedModelPredictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** A SavedModel folder ({@code saved_model.pb}): Keras' exports of every style, and sentigraph's own. */
final class SavedModelFormat implements ModelFormat {
  @Override
  public String description() {
    return "a SavedModel folder (saved_model.pb)";
  }

  @Override
  public boolean holds(Path path) {
    return Files.isRegularFile(path.resolve("saved_model.pb"));
  }

  @Override
  public boolean runsForeignGraph() {
    return true;
  }

  /** Null: a SavedModel runs its own graph (sentigraph may rebuild it later, from the loaded variables). */
  @Override
  public TrainedModel readTrained(Path path, String checkpoint, ExecutionOptions options) {
    Checkpoints.refuse(checkpoint, path, "a SavedModel");
    return null;
  }

  /**
   * Keras' graph runs the signature; a Keras SavedModel of fixed-length token ids hands over to sentigraph's own
   * graph once that is rebuilt from its variables and agrees ({@link GraphHandover}). sentigraph's own export
   * says its data settings and embedding in {@code assets.extra/sentigraph.json}.
   */
  @Override
  public OpenedModel open(Path path, OpenRequest request) {
    Checkpoints.refuse(request.checkpoint(), path, "a SavedModel");
    ExportMetadata own = ownExport(path);
    SavedModelPredictor keras = SavedModelPredictor.open(path, request.signature(), request.inputName(),
        request.seqLen(), request.execution());
    try {
      for (NamedWeight w : keras.variables(name -> true).values()) {
        OpenedModel.refuseNonFinite(path, w, "variable '" + w.path() + "'");
      }
      ModelInput input = input(path, keras, own);
      // Keras' graph tokenises a text signature, and a rebuilt graph would need one fixed length
      // and its Sequential rebuild has one output
      boolean kerasOnly = input.takesText() || input instanceof ModelInput.TokenIds ids && ids.anyLength()
          || keras.outputs().size() > 1;
      Predictor engine = own != null || request.kerasGraph() || kerasOnly ? keras
          : new GraphHandover(keras, request.execution());
      DataSettings data = own != null && own.data() != null ? own.data() : kerasDefaults(input);
      return new OpenedModel(engine, input, keras.outputs().stream().map(o -> output(keras, o)).toList(),
          keras.signatureKey(), keras.signatures(), data, null, null, null, embedding(keras, own));
    } catch (RuntimeException e) {
      keras.close();
      throw e;
    }
  }

  /**
   * The ids a SavedModel's token input takes: sentigraph's own export says so in its config, as a run folder does
   * (its graph may look up a table projected from the embedding, which is no variable); a Keras one has the rows
   * of the variable its input is looked up in, or no known vocabulary.
   */
  private static ModelInput input(Path path, SavedModelPredictor keras, ExportMetadata own) {
    if (keras.takesText()) {
      return new ModelInput.Text();
    }
    if (own != null) {
      ModelInput exported = shaped(own.config()).input();
      return new ModelInput.TokenIds(keras.seqLen(), exported instanceof ModelInput.TokenIds ids ? ids.vocabulary()
          : null);
    }
    NamedWeight embedding = keras.embedding();
    if (embedding == null && keras.inputDtype().startsWith("float")) {
      // a float input looked up in no embedding is a feature vector: ids fed there would answer every review wrong
      throw new InputException("model " + path + ": signature " + keras.signatureKey() + " input '"
          + keras.inputName() + "' takes float features [None, " + keras.seqLen() + "] (looked up in no embedding), which sentigraph does not"
          + " fill in a SavedModel's graph: if they are word-presence vectors, load the model's .keras or .h5 file"
          + " with --features multi_hot");
    }
    return new ModelInput.TokenIds(keras.seqLen(), embedding != null ? Math.toIntExact(embedding.shape()[0]) : null);
  }

  /**
   * A signature output: a Sigmoid or Softmax computing it makes it probabilities, any other op logits; where
   * the graph does not tell, probabilities, as Keras' sentiment heads mostly give.
   */
  private static ModelOutput output(SavedModelPredictor keras, SavedModelInfo.TensorSpec output) {
    int width = SavedModelPredictor.width(output);
    String op = keras.outputOp(output).orElse(null);
    ModelOutput.Kind kind = width == 1
        ? op == null || op.equals("Sigmoid") ? ModelOutput.Kind.PROBABILITY : ModelOutput.Kind.LOGIT
        : op == null || op.equals("Softmax") ? ModelOutput.Kind.CLASS_PROBABILITIES : ModelOutput.Kind.CLASS_LOGITS;
    return new ModelOutput(output.key(), new long[] {-1, width}, kind);
  }

  /** The embedding matrix: for sentigraph's own export the variable its config names, else the traced one. */
  private static Supplier<NamedWeight> embedding(SavedModelPredictor keras, ExportMetadata own) {
    if (own == null) {
      return keras::embedding;
    }
    String name = shaped(own.config()).inputEmbeddingPath();
    return () -> name == null ? null : keras.variables(name::equals).get(name);
  }

  /** The model at its own length, or at a nominal one when it takes any (shapes are then only for counting). */
  private static SequentialModel shaped(ModelConfig config) {
    return SequentialModel.of(config.anyLength() ? config.withSeqLen(ModelConfig.NOMINAL_LENGTH) : config);
  }

  private static ExportMetadata ownExport(Path dir) {
    Path metadata = dir.resolve("assets.extra").resolve(ExportMetadata.FILE_NAME);
    if (!Files.isRegularFile(metadata)) {
      return null;
    }
    try {
      return ExportMetadata.parse(Files.readString(metadata), metadata.toString());
    } catch (IOException e) {
      throw new InputException("cannot read " + metadata + ": " + e.getMessage());
    }
  }

  /**
   * Keras' {@code load_data} defaults for a Keras SavedModel; the vocabulary is the embedding's row count, else
   * 10000.
   */
  private static DataSettings kerasDefaults(ModelInput input) {
    Integer rows = input instanceof ModelInput.TokenIds ids ? ids.vocabulary() : null;
    int length = input instanceof ModelInput.TokenIds ids && !ids.anyLength() ? ids.length()
        : ModelConfig.NOMINAL_LENGTH;
    return DataSettings.keras(Math.max(4, rows != null ? rows : 10000), length);
  }

  @Override
  public Optional<LayerListing> layers(Path path) {
    return Optional.empty();
  }
}
