package dev.sentigraph;

import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.data.PaddedSequences;
import dev.sentigraph.data.SequencePadding;
import dev.sentigraph.data.TextEncoding;
import dev.sentigraph.data.WordIndex;
import dev.sentigraph.format.ModelFormats;
import dev.sentigraph.model.AnyLengthSession;
import dev.sentigraph.model.ExecutionOptions;
import dev.sentigraph.model.ExportMetadata;
import dev.sentigraph.model.InferenceSession;
import dev.sentigraph.model.ModelConfig;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.NativeSettings;
import dev.sentigraph.model.Predictor;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.savedmodel.GraphHandover;
import dev.sentigraph.savedmodel.SavedModelPredictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A sentiment model loaded for scoring: a run folder from {@code train}, a Keras {@code .keras} file, or a
 * SavedModel folder (Keras 3 {@code model.export()}, {@code tf.saved_model.save()}, Keras 2 style, sentigraph's
 * own export). The model owns its text encoding, so every caller encodes raw text the same way.
 *
 * <p>Thread safety: one instance serves any number of threads calling {@link #predict(List)},
 * {@link #predictTokens(int[][])} and {@link #predict(int[], int)} at once; each call runs its own TensorFlow
 * session step and the results equal single-threaded ones. {@link #close()} must not race with calls in flight:
 * close once every caller is done; later calls get {@link IllegalStateException}.
 *
 * <p>Errors in what the caller gave (a missing file, a model sentigraph cannot read, text without a word
 * index) are {@link InvalidInputException}s whose message names the file and what was expected.
 */
public final class SentimentModel implements Predictor {
  static {
    NativeSettings.apply();
  }

  /** The signature key TensorFlow Serving and sentigraph's exports give a model's token signature. */
  public static final String DEFAULT_SIGNATURE = "serving_default";

  private final Path source;
  private final Predictor predictor;
  private final TextEncoding encoding;
  private final TrainedModel trained;
  private final int batchSize;
  private final String signatureKey;
  /** Rows of the model's embedding: token ids at or beyond it are refused before TensorFlow sees them; or null. */
  private final Integer vocabulary;
  /** The config of sentigraph's own SavedModel export, which names its embedding; null for other models. */
  private final ModelConfig exportedConfig;
  private volatile boolean closed;

  private SentimentModel(Path source, Predictor predictor, TextEncoding encoding, TrainedModel trained, int batchSize,
      String signatureKey, Integer vocabulary, ModelConfig exportedConfig) {
    this.source = source;
    this.vocabulary = vocabulary;
    this.exportedConfig = exportedConfig;
    this.signatureKey = signatureKey;
    this.predictor = predictor;
    this.encoding = encoding;
    this.trained = trained;
    this.batchSize = batchSize;
  }

  /** Loads {@code path} with the model's own settings (else Keras' IMDB defaults). */
  public static SentimentModel load(Path path) {
    return load(path, LoadOptions.defaults());
  }

  /** Loads {@code path}; {@code options} override what the model says about its input. */
  public static SentimentModel load(Path path, LoadOptions options) {
    if (!Files.exists(path)) {
      throw new InvalidInputException("model " + path + " does not exist: expected a run folder, a .keras file"
          + " or a SavedModel folder");
    }
    TrainedModel trained = ModelFormats.of(path).readTrained(path, options.checkpoint(), options.execution());
    if (trained != null) {
      ModelConfig config = trained.config().anyLength() && options.seqLen() != null
          ? trained.config().withSeqLen(options.seqLen()) : trained.config();
      Predictor p = config.anyLength() ? new AnyLengthSession(config, trained.weights(), options.execution())
          : new InferenceSession(config, trained.weights(), options.execution());
      return create(path, p, trained.data(), trained.wordIndex(), trained, options, DEFAULT_SIGNATURE,
          shaped(config).vocabularySize(), null);
    }
    // a SavedModel: it runs its own graph, until sentigraph can rebuild it
    SavedModelPredictor keras = SavedModelPredictor.open(path, options.signature(), options.inputName(),
        options.seqLen(), options.execution());
    try {
      ExportMetadata own = ownExport(path);
      // Keras' graph tokenises a text signature, and a rebuilt graph would need one fixed length
      boolean kerasOnly = keras.takesText() || keras.seqLen() == SavedModelPredictor.VARIABLE;
      Predictor p = own != null || options.kerasGraph() || kerasOnly ? keras : new GraphHandover(keras, options.execution());
      Integer rows = tokenVocabulary(keras, own);
      DataSettings data = own != null && own.data() != null ? own.data() : kerasDefaults(keras, rows);
      return create(path, p, data, null, null, options, keras.signatureKey(), rows,
          own != null ? own.config() : null);
    } catch (RuntimeException e) {
      keras.close();
      throw e;
    }
  }

  /**
   * The ids a SavedModel's token input takes: sentigraph's own export says so in its config, as a run folder does
   * (its graph may look up a table projected from the embedding, which is no variable); a Keras one has the rows
   * of the variable its input is looked up in. Null for a text signature and when unknown.
   */
  private static Integer tokenVocabulary(SavedModelPredictor keras, ExportMetadata own) {
    if (keras.takesText()) {
      return null;
    }
    if (own != null) {
      return shaped(own.config()).vocabularySize();
    }
    NamedWeight embedding = keras.embedding();
    return embedding != null ? Math.toIntExact(embedding.shape()[0]) : null;
  }

  private static SentimentModel create(Path path, Predictor p, DataSettings modelData, Path modelWordIndex,
      TrainedModel trained, LoadOptions o, String signatureKey, Integer vocabulary, ModelConfig exportedConfig) {
    try {
      DataSettings s = new DataSettings(modelData.source(), o.numWords() != null ? o.numWords() : modelData.numWords(),
          modelData.skipTop(), o.indexFrom() != null ? o.indexFrom() : modelData.indexFrom(), modelData.startChar(),
          modelData.oovChar(), modelData.dropLongerThan(), p.seqLen() > 0 ? p.seqLen() : modelData.seqLen(),
          modelData.padding(), modelData.truncating(), modelData.seed());
      Path indexFile = o.wordIndex() != null ? o.wordIndex() : modelWordIndex;
      boolean rawText = p instanceof SavedModelPredictor keras && keras.takesText();
      KerasTextVectorization vectorization = trained != null ? trained.textVectorization() : null;
      WordIndex index = rawText || vectorization != null ? null : DatasetLoader.wordIndex(indexFile);
      return new SentimentModel(path, p, new TextEncoding(s, index, vectorization), trained, o.batchSizeOrDefault(),
          signatureKey, vocabulary, exportedConfig);
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
  }

  /**
   * The weights and settings of a run folder or a {@code .keras} file, for callers that train from them or
   * export them; null for anything else.
   */
  public static TrainedModel readTrained(Path path, String checkpoint) {
    return ModelFormats.find(path).map(f -> f.readTrained(path, checkpoint, ExecutionOptions.DEFAULT)).orElse(null);
  }

  private static ExportMetadata ownExport(Path dir) {
    Path metadata = dir.resolve("assets.extra").resolve(ExportMetadata.FILE_NAME);
    if (!Files.isRegularFile(metadata)) {
      return null;
    }
    try {
      return ExportMetadata.parse(Files.readString(metadata), metadata.toString());
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + metadata + ": " + e.getMessage());
    }
  }

  /**
   * Keras' {@code load_data} defaults for a Keras SavedModel; the vocabulary is the embedding variable's row
   * count (ids beyond it would fail inside TensorFlow), else 10000.
   */
  private static DataSettings kerasDefaults(SavedModelPredictor keras, Integer embeddingRows) {
    int rows = embeddingRows != null ? embeddingRows : 10000;
    return DataSettings.keras(Math.max(4, rows), keras.seqLen() > 0 ? keras.seqLen() : ModelConfig.NOMINAL_LENGTH);
  }

  /**
   * One prediction per text, in order, encoded as {@code sentigraph predict --text} encodes it.
   *
   * @throws InvalidInputException when the model has no word index to encode text with
   */
  public List<Prediction> predict(List<String> texts) {
    float[] p = takesText() ? predictRawTexts(texts) : predictTokens(encode(texts));
    List<Prediction> out = new ArrayList<>(p.length);
    for (float v : p) {
      out.add(Prediction.of(v));
    }
    return out;
  }

  private int[][] encode(List<String> texts) {
    int[][] rows = new int[texts.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = encoding.ids(texts.get(i));
    }
    return rows;
  }

  /** A SavedModel that tokenises inside its own graph gets the texts as they are, in batches. */
  private float[] predictRawTexts(List<String> texts) {
    checkOpen();
    SavedModelPredictor keras = (SavedModelPredictor) predictor;
    float[] out = new float[texts.size()];
    for (int start = 0; start < texts.size(); start += batchSize) {
      int n = Math.min(batchSize, texts.size() - start);
      System.arraycopy(keras.predictTexts(texts.subList(start, start + n)), 0, out, start, n);
    }
    return out;
  }

  /**
   * Whether the model takes raw strings (a SavedModel with Keras' TextVectorization inside): then {@link
   * #predict(List)} feeds the texts to its graph, and token ids are refused.
   */
  public boolean takesText() {
    return predictor instanceof SavedModelPredictor keras && keras.takesText();
  }

  /**
   * Whether {@link #predict(List)} can score raw text: the model tokenises in its own graph, carries Keras'
   * TextVectorization, or has a word index.
   */
  public boolean scoresText() {
    return takesText() || encoding.encodesText();
  }

  /**
   * Probabilities for rows of token ids, each padded or truncated as the model expects, scored in batches. A
   * model whose input has no fixed length pads each batch to its longest row instead.
   */
  public float[] predictTokens(int[][] rows) {
    refuseTokensIfTakesText();
    float[] out = new float[rows.length];
    for (int start = 0; start < rows.length; start += batchSize) {
      int n = Math.min(batchSize, rows.length - start);
      int len = seqLen();
      if (len == SavedModelPredictor.VARIABLE) {
        len = 1; // Keras' pad_sequences pads a batch to its longest row; an all-empty batch gets one padding id
        for (int i = 0; i < n; i++) {
          len = Math.max(len, rows[start + i].length);
        }
      }
      int[] batch = new int[n * len];
      for (int i = 0; i < n; i++) {
        SequencePadding.padRow(rows[start + i], batch, i * len, len, encoding.settings().padding(),
            encoding.settings().truncating());
      }
      System.arraycopy(predict(batch, n), 0, out, start, n);
    }
    return out;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("model " + source + " is closed");
    }
  }

  /**
   * Probabilities for {@code rows} reviews already padded to {@link #seqLen()}, row-major (for a variable-length
   * model, to any common length).
   */
  @Override
  public float[] predict(int[] tokens, int rows) {
    checkOpen();
    refuseTokensIfTakesText(); // every token path (predictTokens, predictAll) comes through here
    checkVocabulary(tokens, rows);
    if (seqLen() == SavedModelPredictor.VARIABLE && !takesText()) {
      return predictor.predict(tokens, rows);
    }
    if (tokens.length != rows * seqLen()) {
      throw new InvalidInputException(tokens.length + " token ids for " + rows + " rows: expected rows x "
          + seqLen() + " ids");
    }
    return predictor.predict(tokens, rows);
  }

  private void refuseTokensIfTakesText() {
    if (takesText()) {
      throw new InvalidInputException("model " + source + " takes raw text (its graph tokenises it): give texts,"
          + " not token ids");
    }
  }

  /** Ids outside the embedding would fail deep inside TensorFlow (or, on some kernels, read garbage). */
  private void checkVocabulary(int[] tokens, int rows) {
    if (vocabulary == null) {
      return;
    }
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] < 0 || tokens[i] >= vocabulary) {
        int row = rows == 0 ? 0 : i / Math.max(1, tokens.length / rows);
        throw new InvalidInputException("token id " + tokens[i] + " in row " + row + " is outside the vocabulary"
            + " of model " + source + ": expected ids from 0 to " + (vocabulary - 1));
      }
    }
  }

  /** Probabilities for a whole split, {@code batchSize} reviews at a time. */
  public float[] predictAll(PaddedSequences data) {
    return predictAll(data, batchSize);
  }

  /** The padded length the model takes; {@link SavedModelPredictor#VARIABLE} when it takes any length or text. */
  @Override
  public int seqLen() {
    return predictor.seqLen();
  }

  /** How this model turns text into ids: its data settings and word index. */
  public TextEncoding encoding() {
    return encoding;
  }

  /** The data settings reviews are encoded with (the model's, with the load options applied). */
  public DataSettings dataSettings() {
    return encoding.settings();
  }

  /**
   * The SavedModel signature this model runs ({@link LoadOptions#signature()}, else {@code serving_default} or
   * the only one); {@code serving_default} for run folders and {@code .keras} files, as their export names it.
   */
  public String signatureKey() {
    return signatureKey;
  }

  /** The path the model was loaded from. */
  public Path source() {
    return source;
  }

  /** The weights and config, for run folders and {@code .keras} files; empty for SavedModels. */
  public Optional<TrainedModel> trainedModel() {
    return Optional.ofNullable(trained);
  }

  /**
   * The word embedding matrix (rows are ids): the Embedding layer that reads the model's token input, in a
   * Functional or nested model too; for a Keras SavedModel, the variable its token input is looked up in. Null
   * when there is none or it cannot be told.
   */
  @Override
  public NamedWeight embedding() {
    ModelConfig config = trained != null ? trained.config() : exportedConfig;
    if (config == null) {
      return predictor.embedding();
    }
    SequentialModel model = shaped(config);
    for (int i = 0; i < model.layers().size(); i++) {
      if (model.layers().get(i).className().equals("Embedding") && Arrays.equals(model.inputsOf(i), new int[] {-1})) {
        String path = model.layers().get(i).name() + "/embeddings";
        if (trained != null) {
          return trained.weights().stream().filter(w -> w.path().equals(path)).findFirst().orElse(null);
        }
        return ((SavedModelPredictor) predictor).variables(path::equals).get(path); // what serves an own export
      }
    }
    return null;
  }

  /** The model at its own length, or at a nominal one when it takes any (shapes are then only for counting). */
  private static SequentialModel shaped(ModelConfig config) {
    return SequentialModel.of(config.anyLength() ? config.withSeqLen(ModelConfig.NOMINAL_LENGTH) : config);
  }

  /** Frees the model's sessions, graphs and tensors; later calls get {@link IllegalStateException}. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      predictor.close();
    }
  }
}
