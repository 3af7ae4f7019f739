package dev.sentigraph.spark;

import dev.sentigraph.config.ExecutionOptions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * Holds TensorFlow on executors to the cores Spark gave them. An executor with C cores runs up to C tasks at once,
 * all on its one model: C inter-op threads let those tasks' steps run side by side, and one intra-op thread per
 * kernel keeps each step on one core, so the executor never has more busy threads than cores (TensorFlow's
 * default is a pool as large as the whole machine for every executor on it). The counts travel to executors as
 * the model's load options ({@link ScoringConfig}); in {@code local[N]}, where the driver JVM runs the tasks, the
 * cores are unknown and TensorFlow keeps its defaults.
 */
final class ExecutorThreads {
  private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*\\d+\\s*,\\s*(\\d+)\\s*,.*\\]");

  private ExecutorThreads() {}

  /** The sessions' threads on an executor of {@code cores} cores. */
  static ExecutionOptions execution(int cores) {
    return ExecutionOptions.DEFAULT.withThreads(1, cores);
  }

  /** Cores per executor: spark.executor.cores, else the C of local-cluster[N,C,MB]; null when unknown. */
  static Integer executorCores(SparkConf conf) {
    if (conf.contains("spark.executor.cores")) {
      return conf.getInt("spark.executor.cores", 1);
    }
    Matcher m = LOCAL_CLUSTER.matcher(conf.get("spark.master", ""));
    return m.matches() ? Integer.valueOf(m.group(1)) : null;
  }
}
