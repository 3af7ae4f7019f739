package dev.sentigraph.runtime;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.model.ModelGraph;
import dev.sentigraph.model.ModelOutput;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.WordFeatures;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.IntDataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A model's serving graph (no dropout, no optimizer, {@link ProjectedEmbedding} tables) with its weights, in one
 * reusable session.
 */
public final class InferenceSession implements Predictor {
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TInt32> tokens;
  private final Operand<TFloat32> output;
  private final int seqLen;
  private final int width;
  /** Slices of a batch run at once ({@link SessionSettings#serving}); 1 runs each batch whole. */
  private final int slices;

  /** {@code config}'s serving graph with {@code weights}, run as {@code options} ask (else as sentigraph chooses). */
  public InferenceSession(ModelConfig config, List<NamedWeight> weights, ExecutionOptions options) {
    this(config, weights, options, null);
  }

  /**
   * As {@link #InferenceSession(ModelConfig, List, ExecutionOptions)}; with {@code features}, the graph first makes
   * the model's per-word vector of token ids of any length (nothing is cut), so each call runs at its rows' length.
   */
  public InferenceSession(ModelConfig config, List<NamedWeight> weights, ExecutionOptions options,
      WordFeatures features) {
    Session opened = null;
    try {
      Ops tf = Ops.create(graph);
      seqLen = features != null ? ModelConfig.ANY_LENGTH : config.seqLen();
      SequentialModel sequential = SequentialModel.of(config);
      SessionSettings.Serving serving = SessionSettings.serving(sequential, options);
      slices = serving.slices();
      // each slice is one chain: the slices are what runs side by side
      ModelGraph model = sequential.build(tf, 0, slices > 1 ? options.withChains(
          Objects.requireNonNullElse(options.lstmChains(), 1), Objects.requireNonNullElse(options.rnnChains(), 1))
          : options);
      tokens = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, seqLen))); // ANY_LENGTH is Shape's unknown
      ModelGraph.ServingPass pass = model.servingPass(tokens, features);
      output = model.head(pass.logits());
      width = ModelOutput.rowWidth(sequential.outputs());
      opened = new Session(graph, serving.config());
      opened.run(model.initializer());
      model.writeWeights(opened, weights);
      opened.run(pass.refresh());
      session = opened;
    } catch (RuntimeException e) {
      // the session first: TF Java's Graph.close() waits for every session on the graph to close
      if (opened != null) {
        opened.close();
      }
      graph.close();
      throw e;
    }
  }

  @Override
  public int seqLen() {
    return seqLen;
  }

  @Override
  public float[] predict(int[] batchTokens, int rows) {
    int length = seqLen == ModelConfig.ANY_LENGTH ? batchTokens.length / Math.max(rows, 1) : seqLen;
    IntDataBuffer all = DataBuffers.of(batchTokens, true, false);
    return BatchSlices.run(rows, width, slices, (from, count) -> {
      try (TInt32 x = TInt32.tensorOf(Shape.of(count, length), all.slice((long) from * length, (long) count * length));
          Result r = session.runner().feed(tokens, x).fetch(output).run()) {
        float[] out = new float[count * width];
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
        return out;
      }
    });
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
