package dev.sentigraph;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.ReviewLabels;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.data.PaddedSequences;
import dev.sentigraph.data.SequencePadding;
import dev.sentigraph.data.TextEncoding;
import dev.sentigraph.data.WordIndex;
import dev.sentigraph.error.InputException;
import dev.sentigraph.format.ModelFormats;
import dev.sentigraph.format.OpenRequest;
import dev.sentigraph.format.OpenedModel;
import dev.sentigraph.model.ModelInput;
import dev.sentigraph.model.ModelOutput;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.runtime.NativeSettings;
import dev.sentigraph.savedmodel.SavedModelInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A sentiment model loaded for scoring: a run folder from {@code train}, a Keras {@code .keras} or {@code .h5}
 * file, or a SavedModel folder (Keras 3 {@code model.export()}, {@code tf.saved_model.save()}, Keras 2 style,
 * sentigraph's own export). What the file is, what it takes in and what comes out is decided when it is opened
 * ({@link #input()}, {@link #outputs()}); the model owns its text encoding, so every caller encodes raw text the
 * same way. Every scoring method answers with {@link Predictions}.
 *
 * <p>Thread safety: one instance serves any number of threads calling {@link #predict(List)},
 * {@link #predict(int[][])} and {@link #predictTokens(int[][])} at once; each call runs its own TensorFlow session
 * step and the results equal single-threaded ones. {@link #close()} must not race with calls in flight: close once
 * every caller is done; later calls get {@link IllegalStateException}.
 *
 * <p>Errors in what the caller gave (a missing file, a model sentigraph cannot read, text without a word
 * index, a token id outside the vocabulary) are {@link InvalidInputException}s whose message names the file and
 * what was expected.
 */
public final class SentimentModel implements AutoCloseable {
  static {
    NativeSettings.apply();
  }

  /** The signature key TensorFlow Serving and sentigraph's exports give a model's token signature. */
  public static final String DEFAULT_SIGNATURE = OpenedModel.DEFAULT_SIGNATURE;

  private final Path source;
  private final OpenedModel opened;
  private final TextEncoding encoding;
  private final int batchSize;
  /** The model's outputs, with the caller's class names given to the chosen one, which makes the predictions. */
  private final List<ModelOutput> outputs;
  private final int chosen;
  private volatile boolean closed;

  private SentimentModel(Path source, OpenedModel opened, TextEncoding encoding, LoadOptions options) {
    this.source = source;
    this.opened = opened;
    this.encoding = encoding;
    this.batchSize = options.batchSizeOrDefault();
    this.chosen = options.outputName() == null ? 0 : Predictions.indexOf(opened.outputs(), options.outputName());
    if (chosen < 0) {
      throw new InvalidInputException("model " + source + " has no output '" + options.outputName() + "': expected one"
          + " of " + opened.outputs().stream().map(ModelOutput::name).toList(), "outputName");
    }
    List<ModelOutput> named = new ArrayList<>(opened.outputs());
    List<String> classNames = options.classNames() != null ? options.classNames() : ownClassNames(opened, chosen);
    if (classNames != null) {
      named.set(chosen, reported(() -> named.get(chosen).withClassNames(classNames)));
    }
    this.outputs = List.copyOf(named);
  }

  /** The class names a K-class model trained on aclImdb's rating bands carries in its data settings, else null. */
  private static List<String> ownClassNames(OpenedModel opened, int chosen) {
    // only a sentigraph run says rating-bands; Keras' IMDB defaults say polarity for any model, so that says nothing
    ModelOutput output = opened.outputs().get(chosen);
    List<String> names = ReviewLabels.RATING_BANDS.classNames();
    return opened.data().labels() == ReviewLabels.RATING_BANDS && output.kind().multiClass()
        && names.size() == output.classes() ? names : null;
  }

  /** Loads {@code path} with the model's own settings (else Keras' IMDB defaults). */
  public static SentimentModel load(Path path) {
    return load(path, LoadOptions.defaults());
  }

  /** Loads {@code path}; {@code options} override what the model says about its input. */
  public static SentimentModel load(Path path, LoadOptions options) {
    if (!Files.exists(path)) {
      throw new InvalidInputException("model " + path + " does not exist: expected " + ModelFormats.expected());
    }
    OpenedModel opened = reported(() -> ModelFormats.of(path).open(path, options.openRequest()));
    try {
      return new SentimentModel(path, opened, reported(() -> encoding(opened, options)), options);
    } catch (RuntimeException e) {
      opened.engine().close();
      throw e;
    }
  }

  /**
   * {@code call}'s result, with bad input from the packages below reported as the contract's {@link
   * InvalidInputException}.
   */
  private static <T> T reported(Supplier<T> call) {
    try {
      return call.get();
    } catch (InvalidInputException e) {
      throw e;
    } catch (InputException e) {
      throw new InvalidInputException(e);
    }
  }

  /** The model's data settings with the caller's options over them, and its word index or TextVectorization. */
  private static TextEncoding encoding(OpenedModel opened, LoadOptions o) {
    DataSettings d = opened.data();
    int length = opened.input() instanceof ModelInput.TokenIds ids && !ids.anyLength() ? ids.length() : d.seqLen();
    DataSettings s = new DataSettings(d.source(), o.numWords() != null ? o.numWords() : d.numWords(), d.skipTop(),
        o.indexFrom() != null ? o.indexFrom() : d.indexFrom(), d.startChar(), d.oovChar(), d.dropLongerThan(), length,
        d.padding(), d.truncating(), d.seed(), d.labels());
    Path indexFile = o.wordIndex() != null ? o.wordIndex() : opened.wordIndex();
    boolean ownTokenizer = opened.input().takesText() || opened.vectorization() != null;
    WordIndex index = ownTokenizer ? null : DatasetLoader.wordIndex(indexFile);
    return new TextEncoding(s, index, opened.vectorization());
  }

  /**
   * The weights and settings of a run folder or a Keras file, for callers that train from them or export them;
   * null for anything else.
   */
  public static TrainedModel readTrained(Path path, String checkpoint) {
    return reported(() -> ModelFormats.find(path).map(f -> f.readTrained(path, checkpoint, ExecutionOptions.DEFAULT))
        .orElse(null));
  }

  /**
   * One prediction per text, in order, encoded as {@code sentigraph predict --text} encodes it (a model that
   * tokenises in its own graph gets the texts as they are).
   *
   * @throws InvalidInputException when the model has no word index to encode text with
   */
  public Predictions predict(List<String> texts) {
    checkOpen();
    if (!opened.input().takesText()) {
      int[][] rows = new int[texts.size()][];
      for (int i = 0; i < rows.length; i++) {
        String text = texts.get(i);
        rows[i] = reported(() -> encoding.ids(text));
      }
      return predict(rows);
    }
    int width = width();
    float[] out = new float[texts.size() * width];
    for (int start = 0; start < texts.size(); start += batchSize) {
      int n = Math.min(batchSize, texts.size() - start);
      List<String> batch = texts.subList(start, start + n);
      System.arraycopy(reported(() -> opened.engine().predictTexts(batch)), 0, out, start * width, n * width);
    }
    return answer(out);
  }

  /**
   * One prediction per row of token ids, each padded or truncated as the model expects, scored in batches. A
   * model whose input has no fixed length pads each batch to its longest row instead.
   *
   * @throws InvalidInputException for a model that takes raw text, and for an id outside the vocabulary
   */
  public Predictions predict(int[][] rows) {
    ModelInput.TokenIds ids = tokenInput();
    for (int i = 0; i < rows.length; i++) {
      refuse(ids.problem(rows[i]), i);
    }
    int width = width();
    float[] out = new float[rows.length * width];
    for (int start = 0; start < rows.length; start += batchSize) {
      int n = Math.min(batchSize, rows.length - start);
      int len = ids.length();
      if (ids.anyLength()) {
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
      System.arraycopy(run(batch, n), 0, out, start * width, n * width);
    }
    return answer(out);
  }

  /**
   * The probabilities of {@link #predict(int[][])} ({@link Predictions#probabilities()}), as a plain array: the
   * contract's shorthand for callers that want the numbers only.
   */
  public float[] predictTokens(int[][] rows) {
    return predict(rows).probabilities();
  }

  /**
   * Waits until the model answers from the graph it keeps: a Keras SavedModel answers from Keras' graph at once
   * and from sentigraph's own, quicker one once that is rebuilt from its variables and agrees, a second or more
   * after loading. True when sentigraph's graph answers, false when Keras' graph serves on (a text signature, a
   * model sentigraph does not rebuild). Benchmarks call it before timing; predictions need not.
   */
  public boolean awaitOwnGraph() {
    checkOpen();
    return opened.engine().awaitOwnGraph();
  }

  /** One prediction per review of a whole split, already padded to {@link #seqLen()}, in batches. */
  public Predictions predictAll(PaddedSequences data) {
    int len = data.seqLen();
    int width = width();
    float[] out = new float[data.size() * width];
    for (int start = 0; start < data.size(); start += batchSize) {
      int n = Math.min(batchSize, data.size() - start);
      int[] batch = Arrays.copyOfRange(data.tokens(), start * len, (start + n) * len);
      ModelInput.TokenIds ids = tokenInput();
      for (int r = 0; r < n; r++) {
        refuse(ids.problem(batch, r * len, (r + 1) * len), start + r);
      }
      System.arraycopy(run(batch, n), 0, out, start * width, n * width);
    }
    return answer(out);
  }

  /** Values the model gives per review: 1 for a binary head, K for a K-class one, every output's summed. */
  private int width() {
    return ModelOutput.rowWidth(outputs);
  }

  /** Padded rows whose ids were checked through the engine. */
  private float[] run(int[] tokens, int rows) {
    checkOpen();
    ModelInput.TokenIds ids = tokenInput();
    if (!ids.anyLength() && tokens.length != rows * ids.length()) {
      throw new InvalidInputException(tokens.length + " token ids for " + rows + " rows: expected rows x "
          + ids.length() + " ids");
    }
    return reported(() -> opened.engine().predict(tokens, rows));
  }

  /** Ids outside the embedding would fail deep inside TensorFlow (or, on some kernels, read garbage). */
  private void refuse(Optional<String> problem, int row) {
    problem.ifPresent(p -> {
      throw new InvalidInputException("row " + row + " of the token ids for model " + source + ": " + p);
    });
  }

  /**
   * The model's token input: its length and vocabulary, which say what a row of ids may hold.
   *
   * @throws InvalidInputException for a model fed review strings, naming what it takes
   */
  public ModelInput.TokenIds tokenInput() {
    if (opened.input() instanceof ModelInput.TokenIds ids) {
      return ids;
    }
    throw new InvalidInputException("model " + source + " takes " + opened.input().describe() + ": give texts,"
        + " not token ids");
  }

  private Predictions answer(float[] values) {
    return Predictions.of(outputs, chosen, values);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("model " + source + " is closed");
    }
  }

  /** What the model takes in: token ids (with their length and vocabulary) or review strings. */
  public ModelInput input() {
    return opened.input();
  }

  /** What comes out, in order: each output's name, shape, kind and class names. */
  public List<ModelOutput> outputs() {
    return outputs;
  }

  /** The output whose values make the {@link Prediction}s ({@link LoadOptions#outputName()}, else the first). */
  public ModelOutput output() {
    return outputs.get(chosen);
  }

  /**
   * Whether the model takes raw strings (a SavedModel with Keras' TextVectorization inside): then {@link
   * #predict(List)} feeds the texts to its graph, and token ids are refused.
   */
  public boolean takesText() {
    return opened.input().takesText();
  }

  /**
   * Whether {@link #predict(List)} can score raw text: the model tokenises in its own graph, carries Keras'
   * TextVectorization, or has a word index.
   */
  public boolean scoresText() {
    return takesText() || encoding.encodesText();
  }

  /** The padded length the model takes; {@link ModelConfig#ANY_LENGTH} when it takes any length or text. */
  public int seqLen() {
    return opened.input() instanceof ModelInput.TokenIds ids ? ids.length() : ModelConfig.ANY_LENGTH;
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
   * the only one); {@code serving_default} for run folders and Keras files, as their export names it.
   */
  public String signatureKey() {
    return opened.signatureKey();
  }

  /**
   * Every signature the model has, as TensorFlow Serving's metadata lists them: a SavedModel's own, or for a run
   * folder or Keras file the one sentigraph's export would give it.
   */
  public List<SavedModelInfo.Signature> signatures() {
    return opened.signatures();
  }

  /** The path the model was loaded from. */
  public Path source() {
    return source;
  }

  /** The weights and config, for run folders and Keras files; empty for SavedModels. */
  public Optional<TrainedModel> trainedModel() {
    return Optional.ofNullable(opened.trained());
  }

  /**
   * The word embedding matrix (rows are ids): the Embedding layer that reads the model's token input, in a
   * Functional or nested model too; for a Keras SavedModel, the variable its token input is looked up in. Null
   * when there is none or it cannot be told.
   */
  public NamedWeight embedding() {
    checkOpen();
    return opened.embedding().get();
  }

  /** Frees the model's sessions, graphs and tensors; later calls get {@link IllegalStateException}. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      opened.engine().close();
    }
  }
}
