package dev.sentigraph.runtime;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.layers.GraphMode;
import dev.sentigraph.layers.Layer;
import dev.sentigraph.layers.Threading;
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
 * kernels; a serving graph whose layers ask for slices runs a slice of the batch per core instead, each in its
 * calling thread (figures in docs/performance.md). Every session sentigraph opens takes its settings from here: TF
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

  /** Settings for {@code model}'s session in {@code mode}, run as one whole batch per call. */
  public static ConfigProto of(SequentialModel model, GraphMode mode, ExecutionOptions options) {
    return switch (threading(model, mode)) {
      case PER_CHAIN, SLICED -> build(Math.max(1, cores() / 2), 2, options);
      default -> plain(options);
    };
  }

  /**
   * How {@code model}'s serving session runs a batch: in slices, one per core, each with every op in its calling
   * thread, where the model's layers run best so and the caller chose no thread counts; else whole, as {@link #of}.
   */
  public static Serving serving(SequentialModel model, ExecutionOptions options) {
    boolean threadsGiven = options.intraOpThreads() != null || options.interOpThreads() != null;
    if (threadsGiven || cores() < 2 || threading(model, GraphMode.SERVE) != Threading.SLICED) {
      return new Serving(of(model, GraphMode.SERVE, options), 1);
    }
    // a negative inter-op count runs each op in the thread that called Session.run; one kernel thread per slice
    return new Serving(build(1, -1, options), cores());
  }

  /**
   * A serving session's settings and how many slices of a batch it runs at once (1: the whole batch in one run).
   * Each slice is a single chain ({@code BatchChains}): the slices are the parallelism.
   */
  public record Serving(ConfigProto config, int slices) {}

  /** The layers' answers together: one asking for TF's shared pools wins, then slices, then a thread per chain. */
  private static Threading threading(SequentialModel model, GraphMode mode) {
    Threading chosen = Threading.ANY;
    for (Layer layer : model.layers()) {
      Threading t = layer.threading(mode);
      if (t == Threading.SHARED) {
        return t;
      }
      if (t == Threading.SLICED || t == Threading.PER_CHAIN && chosen == Threading.ANY) {
        chosen = t;
      }
    }
    return chosen;
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
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
