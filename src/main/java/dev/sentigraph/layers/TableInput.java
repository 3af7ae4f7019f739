package dev.sentigraph.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A layer whose first op multiplies each step's input by a kernel (a recurrent layer's input projection,
 * Conv1D's taps), so that after an Embedding it can start from a {@code ProjectedEmbedding} table instead.
 */
public interface TableInput {
  /** Columns of the table. */
  long projectionWidth();

  /** The table: the embedding matrix [vocabulary, dim] through the layer's kernel (and input bias). */
  Operand<TFloat32> project(Ops tf, Operand<TFloat32> embeddings, List<Operand<TFloat32>> weights);

  /**
   * Whether a graph of {@code mode} may read the layer's input from the table: in training nothing may mask the
   * rows between table and layer.
   */
  boolean takesTable(GraphMode mode);

  /**
   * The layer's output from the table and the token ids [batch, steps]; in {@code SERVE} mode the table is a
   * cached variable that only serves (no gradient flows back).
   */
  Operand<TFloat32> callFromTable(Ops tf, Operand<TFloat32> table, Operand<TInt32> ids, long steps,
      List<Operand<TFloat32>> weights, GraphMode mode);
}
