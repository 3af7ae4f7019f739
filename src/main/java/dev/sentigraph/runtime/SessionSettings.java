package dev.sentigraph.runtime;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.layers.GraphMode;
import dev.sentigraph.layers.Layer;
import dev.sentigraph.model.SequentialModel;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The one place that decides a TensorFlow session's settings, from the model, what the session is for and the
 * caller's {@link ExecutionOptions}. Grappler is off: on unrolled recurrent graphs (tens of thousands of ops at
 * 500 steps) its passes take 10-25 s before the first step and bring no measurable speed (tf-java.md). Each
 * layer says how it runs best ({@link Layer#threading}); where one asks for a thread per batch chain and none
 * for shared pools, the session gives each of the two chains its own inter-op thread and half the cores for its
 * kernels (figures in docs/performance.md). Every session sentigraph opens takes its settings from here: TF
 * sizes its thread pools from the first session of a process, so none may open with settings left to chance.
 */
public final class SessionSettings {
  private SessionSettings() {}

  /** Settings for a graph that is not a model's, or a model whose layers leave threads to TF: TF's pools. */
  public static ConfigProto plain(ExecutionOptions options) {
    return build(null, null, options);
  }

  /**
   * Settings for a SavedModel's own graph (Keras' or another exporter's): Grappler stays on, as TF Serving and
   * Python run these graphs, since they are built of function calls that it inlines.
   */
  public static ConfigProto savedModel(ExecutionOptions options) {
    return build(null, null, options.withGrappler(true));
  }

  /** Settings for {@code config}'s session in {@code mode}. */
  public static ConfigProto of(ModelConfig config, GraphMode mode, ExecutionOptions options) {
    return of(SequentialModel.of(config), mode, options);
  }

  /** Settings for {@code model}'s session in {@code mode}. */
  public static ConfigProto of(SequentialModel model, GraphMode mode, ExecutionOptions options) {
    boolean perChain = false;
    for (Layer layer : model.layers()) {
      switch (layer.threading(mode)) {
        case SHARED -> {
          return plain(options);
        }
        case PER_CHAIN -> perChain = true;
        case ANY -> { }
      }
    }
    return perChain ? build(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 2, options) : plain(options);
  }

  private static ConfigProto build(Integer intraDefault, Integer interDefault, ExecutionOptions options) {
    ConfigProto.Builder b = ConfigProto.newBuilder();
    if (!options.grappler()) {
      b.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)));
    }
    Integer intra = options.intraOpThreads() != null ? options.intraOpThreads() : intraDefault;
    Integer inter = options.interOpThreads() != null ? options.interOpThreads() : interDefault;
    if (intra != null) {
      b.setIntraOpParallelismThreads(intra);
    }
    if (inter != null) {
      b.setInterOpParallelismThreads(inter);
    }
    return b.build();
  }
}
