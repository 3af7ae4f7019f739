package dev.sentigraph.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * An Embedding that feeds a recurrent layer, read through a table of its rows already projected by the layer's
 * kernel ({@code embeddings . kernel + input bias}, [vocabulary, gates*units]): a lookup replaces the input
 * matmul of every review, and the unrolled steps keep only the recurrent matmul and the gates. The sums are
 * Keras' up to float rounding order. Serving sessions cache the table; training graphs compute it each step
 * (10,000 rows instead of 64,000 review steps, and its gradient is a segment sum plus two small matmuls) where
 * no dropout masks the rows: rnn 81-92 -> 55-57 ms/step.
 *
 * @param refresh recomputes the table from the current weights; run it after they change
 */
record ProjectedEmbedding(Variable<TFloat32> table, Op refresh) {
  /** Tables above this many floats (256 MB) are not cached; those models keep the per-review projection. */
  private static final long MAX_TABLE_FLOATS = 64L << 20;

  /**
   * The index of the recurrent layer that Embedding {@code embedding} feeds directly or through Dropout
   * (inference's identity), when its table fits; else -1.
   */
  static int consumer(List<Layer> layers, int embedding) {
    int j = embedding + 1;
    while (j < layers.size() && layers.get(j) instanceof DropoutLayer) {
      j++;
    }
    if (j >= layers.size() || !(layers.get(j) instanceof RecurrentLayer r)) {
      return -1;
    }
    long rows = ((EmbeddingLayer) layers.get(embedding)).inputDim();
    return rows * r.projectionWidth() <= MAX_TABLE_FLOATS ? j : -1;
  }

  /**
   * For a training graph's passes: the index of the recurrent layer that Embedding 0 feeds with no layer between,
   * when it {@link RecurrentLayer#takesProjectedRowsWhileTraining} and the table has no more rows than a batch
   * of 32 reviews has steps (irnn's 20,000 words at 80 steps would compute more than they save); else -1.
   */
  static int trainingConsumer(List<Layer> layers, long seqLen) {
    if (layers.size() < 2 || !(layers.get(1) instanceof RecurrentLayer r) || !r.takesProjectedRowsWhileTraining()) {
      return -1;
    }
    return ((EmbeddingLayer) layers.get(0)).inputDim() <= 32 * seqLen ? 1 : -1;
  }

  static ProjectedEmbedding create(Ops tf, EmbeddingLayer embedding, RecurrentLayer consumer,
      Operand<TFloat32> embeddings, List<Operand<TFloat32>> consumerWeights) {
    Variable<TFloat32> table = tf.withName("projected_table")
        .variable(Shape.of(embedding.inputDim(), consumer.projectionWidth()), TFloat32.class);
    return new ProjectedEmbedding(table, tf.assign(table, consumer.project(tf, embeddings, consumerWeights)));
  }

  /** The projected rows of {@code ids}: one more dimension of gates*units. */
  Operand<TFloat32> lookup(Ops tf, Operand<TInt32> ids) {
    return tf.gather(table, ids, tf.constant(0));
  }
}
