package dev.sentigraph.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras' {@code BinaryAccuracy} for a sigmoid output: right when {@code (p > 0.5) == label}. */
public final class BinaryAccuracy {
  private BinaryAccuracy() {}

  /** Mean accuracy of a batch; {@code p > 0.5} is {@code logit > 0}. */
  public static Operand<TFloat32> fromLogits(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> logits) {
    Operand<TFloat32> predicted = tf.dtypes.cast(tf.math.greater(logits, tf.constant(0f)), TFloat32.class);
    Operand<TFloat32> right = tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class);
    return tf.math.mean(right, tf.constant(new int[] {0, 1}));
  }

  /** The same rule on probabilities outside a graph. */
  public static boolean right(int label, float probability) {
    return (probability > 0.5f ? 1 : 0) == label;
  }
}
