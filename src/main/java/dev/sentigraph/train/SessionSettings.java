package dev.sentigraph.train;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The session configuration for training and inference graphs. Grappler is off: on unrolled recurrent graphs
 * (tens of thousands of ops at 500 steps) its passes take 10-25 s before the first step and bring no
 * measurable speed (tf-java.md). Thread counts stay TF's defaults unless {@code SENTIGRAPH_INTRA_OP_THREADS} /
 * {@code SENTIGRAPH_INTER_OP_THREADS} say otherwise, for benchmarking.
 */
public final class SessionSettings {
  private SessionSettings() {}

  public static ConfigProto config() {
    ConfigProto.Builder b = ConfigProto.newBuilder();
    if (!"1".equals(System.getenv("SENTIGRAPH_GRAPPLER"))) {
      b.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)));
    }
    Integer intra = env("SENTIGRAPH_INTRA_OP_THREADS");
    Integer inter = env("SENTIGRAPH_INTER_OP_THREADS");
    if (intra != null) {
      b.setIntraOpParallelismThreads(intra);
    }
    if (inter != null) {
      b.setInterOpParallelismThreads(inter);
    }
    return b.build();
  }

  private static Integer env(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? null : Integer.valueOf(v.strip());
  }
}
