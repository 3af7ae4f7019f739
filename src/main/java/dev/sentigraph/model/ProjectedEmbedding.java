package dev.sentigraph.model;

import dev.sentigraph.layers.DropoutLayer;
import dev.sentigraph.layers.EmbeddingLayer;
import dev.sentigraph.layers.GraphMode;
import dev.sentigraph.layers.Layer;
import dev.sentigraph.layers.TableInput;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An Embedding whose rows feed a {@link TableInput} layer (SimpleRNN, LSTM, GRU, Conv1D), read through a table
 * of its rows already multiplied by the layer's kernel ([vocabulary, width]): a lookup replaces the input
 * matmul of every review step, so a recurrent step keeps only the recurrent matmul and the gates, and a
 * convolution becomes a sum of shifted lookups. The sums are Keras' up to float rounding order. Serving
 * sessions cache the table (refreshed when weights are written); training graphs compute it each step (10,000
 * rows instead of 64,000 review steps; its gradient is a segment sum and two small matmuls) where nothing
 * masks the rows between the two layers. On 2 cores: lstm serving 1,660 -> 2,100-2,480 reviews/s, rnn training
 * 81-92 -> 55-57 ms/step, cnn 46 -> 29 ms/step.
 */
final class ProjectedEmbedding {
  /** Serving tables above this many floats (256 MB) are not cached; those models keep the per-step projection. */
  private static final long MAX_TABLE_FLOATS = 64L << 20;

  private ProjectedEmbedding() {}

  /**
   * The index of the layer that Embedding 0 feeds through a table, or -1. Serving: directly or through Dropout
   * (inference's identity), when the table fits. Training: directly, when the table has no more rows than a
   * batch of 32 reviews has steps (irnn's 20,000 words at 80 steps would compute more than they save).
   */
  static int consumer(SequentialModel model, GraphMode mode) {
    boolean serving = mode == GraphMode.SERVE;
    List<Layer> layers = model.layers();
    if (layers.isEmpty() || !(layers.get(0) instanceof EmbeddingLayer embedding)) {
      return -1;
    }
    int j = 1;
    while (serving && j < layers.size() && layers.get(j) instanceof DropoutLayer) {
      j++;
    }
    if (j >= layers.size() || !(layers.get(j) instanceof TableInput next) || !model.chainsUpTo(j)) {
      return -1;
    }
    long rows = embedding.inputDim();
    // a training graph computes the table in the graph for its training and evaluation passes alike
    boolean fits = serving
        ? next.takesTable(mode) && rows * next.projectionWidth() <= MAX_TABLE_FLOATS
        : next.takesTable(GraphMode.TRAIN) && rows <= 32 * model.inputShape(0)[0];
    return fits ? j : -1;
  }

  /** A cached table variable for a serving pass, and the op in {@code refreshes} that fills it. */
  static Operand<TFloat32> cached(Ops tf, EmbeddingLayer embedding, TableInput next, Operand<TFloat32> embeddings,
      List<Operand<TFloat32>> nextWeights, List<Op> refreshes) {
    Variable<TFloat32> table = tf.withName("projected_table")
        .variable(Shape.of(embedding.inputDim(), next.projectionWidth()), TFloat32.class);
    refreshes.add(tf.assign(table, next.project(tf, embeddings, nextWeights)));
    return table;
  }
}
