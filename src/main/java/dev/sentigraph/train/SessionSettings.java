package dev.sentigraph.train;

import dev.sentigraph.model.Layer;
import dev.sentigraph.model.LstmLayer;
import dev.sentigraph.model.RecurrentLayer;
import dev.sentigraph.model.SequentialModel;
import java.util.List;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The session configuration for training and inference graphs. Grappler is off: on unrolled recurrent graphs
 * (tens of thousands of ops at 500 steps) its passes take 10-25 s before the first step and bring no
 * measurable speed (tf-java.md). Recurrent models run their batch as two chains ({@code BatchChains}); their
 * training sessions, and inference sessions of LSTM models, give each chain its own inter-op thread and half
 * the cores for its kernels (2 cores: lstm 350 -> 250 ms/step, cnn-lstm 164 -> 130, cnn-gru 108 -> 92, rnn 113
 * -> 99; lstm inference +30%, but unrolled SimpleRNN/GRU inference -15-24%, and conv-only models slower, so
 * those keep TF's defaults). {@code SENTIGRAPH_INTRA_OP_THREADS} / {@code SENTIGRAPH_INTER_OP_THREADS}
 * override the thread counts, for benchmarking.
 */
public final class SessionSettings {
  private SessionSettings() {}

  /** Settings for any graph: TF's default thread pools. */
  public static ConfigProto config() {
    return build(null, null);
  }

  /** Settings for {@code model}'s training ({@code training}) or inference session. */
  public static ConfigProto config(SequentialModel model, boolean training) {
    List<Layer> recurrent = model.layers().stream().filter(l -> l instanceof RecurrentLayer).toList();
    boolean split = !recurrent.isEmpty() && (training || recurrent.stream().allMatch(l -> l instanceof LstmLayer));
    if (!split) {
      return config();
    }
    return build(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 2);
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
