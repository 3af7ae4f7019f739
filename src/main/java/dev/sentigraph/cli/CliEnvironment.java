package dev.sentigraph.cli;

import dev.sentigraph.LoadOptions;
import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.error.InputException;

/**
 * The environment variables the CLI reads, for measurements and comparisons, as the library's explicit options:
 * the library itself reads none. {@code SENTIGRAPH_INTRA_OP_THREADS}, {@code SENTIGRAPH_INTER_OP_THREADS},
 * {@code SENTIGRAPH_LSTM_CHAINS}, {@code SENTIGRAPH_RNN_CHAINS} and {@code SENTIGRAPH_GRAPPLER=1} override
 * sentigraph's speed choices; {@code SENTIGRAPH_KERAS_GRAPH=1} keeps Keras SavedModels on Keras' own graph;
 * {@code SENTIGRAPH_TF_LOGS=1} shows TensorFlow's native log lines; glibc's {@code MALLOC_*_} settings keep the
 * CLI from setting its own ({@link NativeAllocator}).
 */
final class CliEnvironment {
  private CliEnvironment() {}

  /** Threads, chains and Grappler as the environment sets them; sentigraph's choices where it does not. */
  static ExecutionOptions execution() {
    return ExecutionOptions.DEFAULT
        .withThreads(count("SENTIGRAPH_INTRA_OP_THREADS"), count("SENTIGRAPH_INTER_OP_THREADS"))
        .withChains(count("SENTIGRAPH_LSTM_CHAINS"), count("SENTIGRAPH_RNN_CHAINS"))
        .withGrappler(flag("SENTIGRAPH_GRAPPLER"));
  }

  /** The load options every command starts from. */
  static LoadOptions loadOptions() {
    return LoadOptions.defaults().withExecution(execution()).withKerasGraph(flag("SENTIGRAPH_KERAS_GRAPH"));
  }

  /** Whether TensorFlow's native log lines should reach the terminal. */
  static boolean tfLogs() {
    return flag("SENTIGRAPH_TF_LOGS");
  }

  /**
   * Whether the user tuned glibc's malloc ({@code MALLOC_TOP_PAD_}, {@code MALLOC_TRIM_THRESHOLD_},
   * {@code MALLOC_MMAP_THRESHOLD_} or {@code GLIBC_TUNABLES}), which {@link NativeAllocator} then leaves alone.
   */
  static boolean mallocTuned() {
    return System.getenv("MALLOC_TOP_PAD_") != null || System.getenv("MALLOC_TRIM_THRESHOLD_") != null
        || System.getenv("MALLOC_MMAP_THRESHOLD_") != null || System.getenv("GLIBC_TUNABLES") != null;
  }

  private static boolean flag(String name) {
    return "1".equals(System.getenv(name));
  }

  private static Integer count(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new InputException("environment variable " + name + "=" + v + " is not a positive whole number");
  }
}
