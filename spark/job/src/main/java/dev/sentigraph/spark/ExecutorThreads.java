package dev.sentigraph.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * Sizes TensorFlow's thread pools on executors so that they use the cores Spark gave them and no more. An
 * executor with C cores runs up to C tasks at once, all on its one model: C inter-op threads let those tasks'
 * steps run side by side, and one intra-op thread per kernel keeps each step on one core, so the executor
 * never has more busy threads than cores (TensorFlow's default is a pool as large as the whole machine for
 * every executor on it). TensorFlow reads TF_NUM_INTEROP_THREADS / TF_NUM_INTRAOP_THREADS where a session does
 * not set its own counts, and sentigraph's own sessions read SENTIGRAPH_INTER_OP_THREADS /
 * SENTIGRAPH_INTRA_OP_THREADS; both go to executors as {@code spark.executorEnv.*}. Settings the user gave
 * win. In {@code local[N]} the driver JVM runs the tasks and no executor is launched, so nothing applies.
 */
final class ExecutorThreads {
  private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*\\d+\\s*,\\s*(\\d+)\\s*,.*\\]");

  private ExecutorThreads() {}

  /**
   * The executor environment for {@code cores} cores per executor, or, when {@code cores} is null, for the
   * cores {@code conf} gives each executor; empty when that is unknown (executors then keep TF's defaults).
   */
  static Map<String, String> environment(SparkConf conf, Integer cores) {
    Integer c = cores != null ? cores : executorCores(conf);
    Map<String, String> env = new LinkedHashMap<>();
    if (c == null) {
      return env;
    }
    env.put("TF_NUM_INTEROP_THREADS", String.valueOf(c));
    env.put("TF_NUM_INTRAOP_THREADS", "1");
    env.put("SENTIGRAPH_INTER_OP_THREADS", String.valueOf(c));
    env.put("SENTIGRAPH_INTRA_OP_THREADS", "1");
    return env;
  }

  /** Sets {@link #environment} on {@code conf} where the user has not set the same variable. */
  static void apply(SparkConf conf, Integer cores) {
    environment(conf, cores).forEach((name, value) -> {
      String key = "spark.executorEnv." + name;
      if (!conf.contains(key)) {
        conf.set(key, value);
      }
    });
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
