package dev.sentigraph.model;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The one place that decides a TensorFlow session's settings, from the model and what the session is for.
 * Grappler is off: on unrolled recurrent graphs (tens of thousands of ops at 500 steps) its passes take 10-25 s
 * before the first step and bring no measurable speed (tf-java.md). Each layer says how it runs best
 * ({@link Layer#threading}); where one asks for a thread per batch chain and none for shared pools, the session
 * gives each of the two chains its own inter-op thread and half the cores for its kernels (figures in
 * docs/performance.md). {@code SENTIGRAPH_INTRA_OP_THREADS} / {@code SENTIGRAPH_INTER_OP_THREADS} override the
 * thread counts, for benchmarking.
 */
public final class SessionSettings {
  /** What a session runs. */
  public enum Mode {
    /** Training steps: forward, backward and optimizer updates. */
    TRAIN,
    /** Scoring a dataset in large batches. */
    EVALUATE,
    /** Answering prediction calls. */
    SERVE
  }

  /** How a layer's ops run fastest. */
  public enum Threading {
    /** No preference. */
    ANY,
    /** One inter-op thread per batch chain, half the cores each. */
    PER_CHAIN,
    /** TensorFlow's default pools. */
    SHARED
  }

  private SessionSettings() {}

  /** Settings for a graph that is not a model's (TF's default thread pools). */
  public static ConfigProto plain() {
    return build(null, null);
  }

  /** Settings for {@code config}'s session in {@code mode}. */
  public static ConfigProto of(ModelConfig config, Mode mode) {
    return of(SequentialModel.of(config), mode);
  }

  /** Settings for {@code model}'s session in {@code mode}. */
  public static ConfigProto of(SequentialModel model, Mode mode) {
    boolean perChain = false;
    for (Layer layer : model.layers()) {
      switch (layer.threading(mode)) {
        case SHARED -> {
          return plain();
        }
        case PER_CHAIN -> perChain = true;
        case ANY -> { }
      }
    }
    return perChain ? build(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 2) : plain();
  }

  private static ConfigProto build(Integer intraDefault, Integer interDefault) {
    ConfigProto.Builder b = ConfigProto.newBuilder();
    if (!"1".equals(System.getenv("SENTIGRAPH_GRAPPLER"))) {
      b.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)));
    }
    Integer intra = env("SENTIGRAPH_INTRA_OP_THREADS") != null ? env("SENTIGRAPH_INTRA_OP_THREADS") : intraDefault;
    Integer inter = env("SENTIGRAPH_INTER_OP_THREADS") != null ? env("SENTIGRAPH_INTER_OP_THREADS") : interDefault;
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
