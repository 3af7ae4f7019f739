package dev.sentigraph.data;

import dev.sentigraph.error.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Finds and loads a dataset. Without {@code --data}: {@code $SENTIGRAPH_DATA}, then the Keras cache
 * {@code ~/.keras/datasets/}, then Keras' download URL (hash-checked into that cache). Whatever the source,
 * reviews go through the same {@code load_data} steps and padding.
 */
public final class DatasetLoader {
  public static final String KERAS_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz";
  public static final String KERAS_SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f";
  public static final String WORD_INDEX_URL =
      "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json";
  public static final String WORD_INDEX_MD5 = "bfafd718b763782e994055a2d397834f";

  private DatasetLoader() {}

  public static Dataset load(DataSettings settings) {
    Path source = settings.source() != null ? settings.source() : locateDefault();
    return loadFrom(source, settings);
  }

  /**
   * The dataset as a model that reads text sees it: {@code vectorization} (the model's TextVectorization) turns
   * each raw review into ids, cut and zero-padded at the end to the settings' length. With a null vectorization,
   * {@link #load(DataSettings)}.
   */
  public static Dataset load(DataSettings settings, KerasTextVectorization vectorization) {
    return vectorization == null ? load(settings) : vectorized(reviews(settings), vectorization, settings);
  }

  /** The raw reviews of {@code settings.source()}, for a model that reads text (its vocabulary is adapted on them). */
  public static TextReviews reviews(DataSettings settings) {
    Path source = settings.source();
    if (source == null || !Files.exists(source)) {
      throw new InputException((source == null ? "no data given" : "data " + source + " does not exist")
          + ": a model that reads raw text (TextVectorization) needs labelled reviews: an aclImdb folder,"
          + " aclImdb_v1.tar.gz, or a .csv/.jsonl file", "data");
    }
    if (!Files.isDirectory(source) && !TextReviews.isTarball(source)) {
      String name = source.getFileName().toString().toLowerCase(Locale.ROOT);
      if (!name.endsWith(".csv") && !name.endsWith(".jsonl")) {
        throw new InputException("data " + source + " holds token ids, not text: a model that reads raw text"
            + " (TextVectorization) needs an aclImdb folder, aclImdb_v1.tar.gz, or a .csv/.jsonl file", "data");
      }
    }
    return TextReviews.read(source, settings.labels());
  }

  /**
   * Whether {@code settings.source()} holds labelled text (an aclImdb folder or tarball, a .csv or .jsonl file), which
   * {@link #load(DataSettings)} reads as {@link #reviews} reads it.
   */
  public static boolean readsText(DataSettings settings) {
    Path source = settings.source();
    if (source == null || !Files.exists(source)) {
      return false;
    }
    if (Files.isDirectory(source)) {
      return !Files.isRegularFile(source.resolve("imdb.npz")) && Files.isDirectory(source.resolve("train"));
    }
    String name = source.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".csv") || name.endsWith(".jsonl") || TextReviews.isTarball(source);
  }

  /** {@code reviews} encoded by {@code vectorization} and padded at the end, as TextVectorization pads. */
  public static Dataset vectorized(TextReviews reviews, KerasTextVectorization vectorization, DataSettings s) {
    TokenSequences train = ids(reviews.train(), vectorization);
    TokenSequences test = ids(reviews.test(), vectorization);
    return new Dataset(SequencePadding.pad(train, s.seqLen(), DataSettings.Padding.POST, DataSettings.Padding.POST),
        SequencePadding.pad(test, s.seqLen(), DataSettings.Padding.POST, DataSettings.Padding.POST), train, test,
        null, s, vectorization.vocabulary().size(), reviews.origin());
  }

  private static TokenSequences ids(List<LabeledText> texts, KerasTextVectorization vectorization) {
    int[][] seqs = new int[texts.size()][];
    int[] labels = new int[texts.size()];
    for (int i = 0; i < seqs.length; i++) {
      seqs[i] = vectorization.ids(texts.get(i).text());
      labels[i] = texts.get(i).label();
    }
    return new TokenSequences(seqs, labels);
  }

  /** {@code reviews} (read by the caller, e.g. from a Spark DataFrame) as a {@code .csv}/{@code .jsonl} source is. */
  public static Dataset fromReviews(TextReviews reviews, DataSettings s) {
    return fromText(reviews, s);
  }

  private static Dataset loadFrom(Path source, DataSettings s) {
    if (!Files.exists(source)) {
      throw new InputException("data " + source + " does not exist: expected imdb.npz, a folder holding it,"
          + " an aclImdb folder or aclImdb_v1.tar.gz, or a .csv/.jsonl file", "data");
    }
    if (Files.isDirectory(source)) {
      Path npz = source.resolve("imdb.npz");
      if (Files.isRegularFile(npz)) {
        return fromNpz(npz, s);
      }
      if (Files.isDirectory(source.resolve("train"))) {
        return fromText(TextReviews.readAclImdb(source, s.labels()), s);
      }
      throw new InputException("data " + source + " holds neither imdb.npz nor an aclImdb layout"
          + " (train/pos, train/neg, test/pos, test/neg)", "data");
    }
    String name = source.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv") || name.endsWith(".jsonl") || TextReviews.isTarball(source)) {
      return fromText(TextReviews.read(source, s.labels()), s);
    }
    return fromNpz(source, s);
  }

  private static Dataset fromNpz(Path npz, DataSettings s) {
    if (s.labels() != ReviewLabels.POLARITY) {
      throw new InputException("labels " + s.labels().id() + " are read from aclImdb's file names, and " + npz
          + " holds polarity labels only: give the aclImdb folder or aclImdb_v1.tar.gz", "labels");
    }
    ImdbLoader.Splits splits = ImdbLoader.loadNpz(npz, s);
    Path indexFile = npz.resolveSibling("imdb_word_index.json");
    WordIndex index = Files.isRegularFile(indexFile) ? WordIndex.read(indexFile) : null;
    return padded(splits, index, s, npz.toString());
  }

  private static Dataset fromText(TextReviews reviews, DataSettings s) {
    WordIndex vocabulary = reviews.buildVocabulary();
    TokenSequences[] ranks = reviews.toRanks(vocabulary);
    ImdbLoader.Splits splits = ImdbLoader.fromRanks(ranks[0], ranks[1], s, reviews.origin());
    return padded(splits, vocabulary, s, reviews.origin());
  }

  private static Dataset padded(ImdbLoader.Splits splits, WordIndex index, DataSettings s, String origin) {
    return new Dataset(
        SequencePadding.pad(splits.train(), s.seqLen(), s.padding(), s.truncating()),
        SequencePadding.pad(splits.test(), s.seqLen(), s.padding(), s.truncating()),
        splits.train(), splits.test(), index, s, splits.numWords(), origin);
  }

  /** The word index that belongs with the default data, wherever the lookup finds it; null if none. */
  /** {@code file}'s word index when one is named, else {@link #defaultWordIndex()}; null when neither exists. */
  public static WordIndex wordIndex(Path file) {
    return file != null ? WordIndex.read(file) : defaultWordIndex();
  }

  public static WordIndex defaultWordIndex() {
    for (Path candidate : candidates()) {
      Path dir = Files.isDirectory(candidate) ? candidate : candidate.getParent();
      if (dir != null && Files.isRegularFile(dir.resolve("imdb_word_index.json"))) {
        return WordIndex.read(dir.resolve("imdb_word_index.json"));
      }
    }
    return null;
  }

  private static List<Path> candidates() {
    List<Path> places = new ArrayList<>();
    String env = System.getenv("SENTIGRAPH_DATA");
    if (env != null && !env.isBlank()) {
      places.add(Path.of(env));
    }
    places.add(kerasCache().resolve("imdb.npz"));
    return places;
  }

  private static Path kerasCache() {
    return Path.of(System.getProperty("user.home"), ".keras", "datasets");
  }

  private static Path locateDefault() {
    List<String> looked = new ArrayList<>();
    for (Path candidate : candidates()) {
      if (Files.exists(candidate)) {
        return candidate;
      }
      looked.add(candidate.toString());
    }
    Path target = kerasCache().resolve("imdb.npz");
    try {
      download(target);
      return target;
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      looked.add(KERAS_URL + " (" + describe(e) + ")");
      throw new InputException("no IMDB data found; looked at " + String.join(", ", looked)
          + ". Give the data source (or set $SENTIGRAPH_DATA) as imdb.npz or a folder holding it, e.g. ../shared/data/imdb", "data");
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** Downloads Keras' imdb.npz into the cache, keeping it only when its sha256 is the one Keras pins. */
  private static void download(Path target) throws IOException, InterruptedException {
    Files.createDirectories(target.getParent());
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<InputStream> response = client.send(
        HttpRequest.newBuilder(URI.create(KERAS_URL)).timeout(Duration.ofMinutes(5)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode());
    }
    Path tmp = Files.createTempFile(target.getParent(), "imdb", ".npz.tmp");
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(response.body(), sha)) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      String hash = HexFormat.of().formatHex(sha.digest());
      if (!hash.equals(KERAS_SHA256)) {
        throw new IOException("downloaded file has sha256 " + hash + ", expected " + KERAS_SHA256);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
