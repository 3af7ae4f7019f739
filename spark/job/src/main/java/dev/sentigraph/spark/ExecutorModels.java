package dev.sentigraph.spark;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.data.OutputMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkFiles;

/**
 * The models of this JVM: one per model path and word index, loaded the first time a task asks and shared by
 * every later task of the executor (SentimentModel takes concurrent calls). Models stay loaded for the life of
 * the executor; its exit frees their native memory.
 */
final class ExecutorModels {
  private static final System.Logger LOG = System.getLogger(ExecutorModels.class.getName());
  private static final Map<Key, SentimentModel> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  /** What a loaded model depends on: scorers that differ in it load their own. */
  private record Key(String model, String wordIndex, String outputName, List<String> classNames,
      OutputMode features) {}

  private ExecutorModels() {}

  /** The model {@code config} names, loading it now if this JVM has not yet. */
  static SentimentModel get(ScoringConfig config) {
    return MODELS.computeIfAbsent(new Key(config.model(), config.wordIndex(), config.outputName(),
        config.classNames(), config.features()), k -> load(config));
  }

  /** How many times this JVM has loaded a model, for tests that check sharing. */
  static int loads() {
    return LOADS.get();
  }

  private static SentimentModel load(ScoringConfig config) {
    Path model = resolve(config.model(), "model");
    Path index = config.wordIndex() == null ? null : resolve(config.wordIndex(), "word index");
    LOADS.incrementAndGet();
    long start = System.nanoTime();
    SentimentModel loaded = SentimentModel.load(model, config.loadOptions(index));
    if (!loaded.scoresText()) {
      loaded.close();
      throw new InvalidInputException("model " + model + " comes without a word index and none was found: give"
          + " --word-index (imdb_word_index.json, shipped with --files on a cluster)", "wordIndex");
    }
    // One line per executor in its log: how to see that each JVM loaded the model once.
    LOG.log(System.Logger.Level.INFO, "sentigraph: loaded model " + model + " in JVM " + ProcessHandle.current().pid()
        + " (" + (System.nanoTime() - start) / 1_000_000 + " ms; TensorFlow threads: " + (config.executorThreads() == null
        ? "default" : "inter-op " + config.executorThreads() + ", intra-op 1") + ")");
    return loaded;
  }

  /**
   * {@code name} as a path on this machine: as given when it exists, else the copy Spark fetched for
   * {@code --files}/{@code addFile}, else the working directory's (YARN and Kubernetes unpack
   * {@code --archives} there).
   */
  static Path resolve(String name, String what) {
    Path given = Path.of(name);
    if (Files.exists(given)) {
      return given;
    }
    String fileName = given.getFileName().toString();
    try {
      Path fetched = Path.of(SparkFiles.get(fileName));
      if (Files.exists(fetched)) {
        return fetched;
      }
    } catch (RuntimeException noSparkContext) {
      // outside a Spark JVM (or before SparkEnv exists): only the given path counts
    }
    throw new InvalidInputException(what + " " + name + " does not exist on this machine, nor as a file shipped"
        + " with --files: expected a path every executor can read");
  }
}
