package dev.sentigraph.format;

import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.data.OutputMode;
import dev.sentigraph.error.InputException;
import dev.sentigraph.model.ModelInput;
import dev.sentigraph.model.ModelOutput;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.model.WordFeatures;
import dev.sentigraph.runtime.AnyLengthSession;
import dev.sentigraph.runtime.InferenceSession;
import dev.sentigraph.runtime.Predictor;
import dev.sentigraph.savedmodel.SavedModelInfo.Signature;
import dev.sentigraph.savedmodel.SavedModelInfo.TensorSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * A model file opened for scoring (DJL's {@code ZooModel}): the engine that runs it, and everything every door
 * needs to know about it, decided here once.
 *
 * @param engine runs token ids (or, for a {@link ModelInput.Text} input, review strings)
 * @param input what the model takes in
 * @param outputs what comes out, in the order the engine gives it
 * @param signatureKey the signature the engine runs
 * @param signatures every signature the file has, as TF Serving's metadata lists them (for a run folder or
 *     {@code .keras} file, the one sentigraph's SavedModel export would give it)
 * @param data how reviews become ids for this model (its own settings, else Keras' IMDB defaults)
 * @param wordIndex the word-to-rank JSON that came with the model; null when none did
 * @param vectorization the Keras TextVectorization that replaces the word index; null for token models
 * @param trained the config and weights, for run folders and Keras files; null for SavedModels
 * @param embedding reads the embedding matrix the input is looked up in (null when there is none or it can't be
 *     told), on demand: it may be large
 */
public record OpenedModel(Predictor engine, ModelInput input, List<ModelOutput> outputs, String signatureKey,
    List<Signature> signatures, DataSettings data, Path wordIndex, KerasTextVectorization vectorization,
    TrainedModel trained, Supplier<NamedWeight> embedding) {

  /** The signature key TensorFlow Serving and sentigraph's exports give a model's token signature. */
  public static final String DEFAULT_SIGNATURE = "serving_default";

  /**
   * A model sentigraph's own graph runs from its config and weights; an input of any length runs each batch at its
   * own length unless {@code request} fixes one.
   */
  static OpenedModel ofTrained(Path path, TrainedModel trained, OpenRequest request) {
    for (NamedWeight w : trained.weights()) {
      refuseNonFinite(path, w, "layer '" + w.path().split("/")[0] + "' weight '" + w.path() + "'");
    }
    ModelConfig config = trained.config().anyLength() && request.seqLen() != null
        ? trained.config().withSeqLen(request.seqLen()) : trained.config();
    SequentialModel model = SequentialModel.of(config);
    ModelInput input = model.input();
    WordFeatures features = null;
    DataSettings data = trained.data();
    if (input instanceof ModelInput.DenseFeatures dense) {
      features = features(path, dense, trained.textVectorization(), request.features());
      input = new ModelInput.TokenIds(ModelConfig.ANY_LENGTH, features.vocabulary(), features);
      if (trained.textVectorization() == null && data.numWords() == null) {
        data = DataSettings.keras(features.vocabulary(), data.seqLen()); // load_data(num_words=width), as the book
      }
    }
    String embeddingPath = model.inputEmbeddingPath();
    Predictor engine = features != null
        ? new InferenceSession(config, trained.weights(), request.execution(), features)
        : config.anyLength() ? new AnyLengthSession(config, trained.weights(), request.execution())
        : new InferenceSession(config, trained.weights(), request.execution());
    List<ModelOutput> outputs = model.outputs();
    long length = features != null ? -1 : config.seqLen();
    Signature signature = new Signature(DEFAULT_SIGNATURE, "tensorflow/serving/predict",
        List.of(new TensorSpec("tokens", "tokens:0", "int32", new long[] {-1, length})),
        outputs.stream().map(o -> new TensorSpec(o.name(), o.name() + ":0", "float", o.shape())).toList());
    return new OpenedModel(engine, input, outputs, DEFAULT_SIGNATURE, List.of(signature), data,
        trained.wordIndex(), trained.textVectorization(), trained,
        () -> trained.weights().stream().filter(w -> w.path().equals(embeddingPath)).findFirst().orElse(null));
  }

  /** A weight holding NaN or infinity, named {@code what}: the model would answer NaN with no error. */
  static void refuseNonFinite(Path path, NamedWeight weight, String what) {
    weight.nonFinite().ifPresent(problem -> {
      throw new InputException("model " + path + ": " + what + " " + problem + ": expected finite numbers");
    });
  }

  /**
   * What the float vector a model's Dense layers read is made of: its per-word TextVectorization says, else the
   * caller ({@code requested}); a model neither tells is refused, as ids fed there would answer every review wrong.
   */
  private static WordFeatures features(Path path, ModelInput.DenseFeatures dense, KerasTextVectorization text,
      OutputMode requested) {
    if (text != null && !text.outputMode().perWord()) {
      throw refusedFeatures(path, dense); // a Dense layer on the int ids themselves
    }
    if (text != null) {
      // the layer's own mode wins over the caller's, who may say it for every model a server serves
      return new WordFeatures(text.outputMode(), dense.width(), 1, text.idfWeights());
    }
    if (requested == null) {
      throw refusedFeatures(path, dense);
    }
    return new WordFeatures(requested, dense.width(), 0, null);
  }

  /** A model whose input is not token ids: feeding it ids would answer, and every answer would be wrong. */
  static InputException refusedFeatures(Path path, ModelInput input) {
    return new InputException("model " + path + " takes " + input.describe() + " (its input feeds a layer"
        + " other than an Embedding): if they are word-presence vectors of token ids, as \"Deep Learning with"
        + " Python\"'s vectorize_sequences makes, say so with features multi_hot (--features multi_hot), or count");
  }
}
