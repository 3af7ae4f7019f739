package dev.sentigraph.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code SparseCategoricalAccuracy}, what {@code metrics=["accuracy"]} becomes with a sparse categorical loss:
 * right when the arg-max class is the label. The arg-max of the logits is that of their softmax.
 */
public final class SparseCategoricalAccuracy {
  private SparseCategoricalAccuracy() {}

  /** Mean accuracy of a batch of integer {@code labels [batch]} under {@code logits [batch, K]}. */
  public static Operand<TFloat32> fromLogits(Ops tf, Operand<TInt32> labels, Operand<TFloat32> logits) {
    Operand<TInt32> predicted = tf.math.argMax(logits, tf.constant(-1), TInt32.class);
    Operand<TFloat32> right = tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class);
    return tf.math.mean(right, tf.constant(0));
  }

  /** The arg-max of one review's {@code K} values starting at {@code offset} (the first on ties, as numpy's). */
  public static int predicted(float[] values, int offset, int classes) {
    int best = 0;
    for (int k = 1; k < classes; k++) {
      if (values[offset + k] > values[offset + best]) {
        best = k;
      }
    }
    return best;
  }
}
