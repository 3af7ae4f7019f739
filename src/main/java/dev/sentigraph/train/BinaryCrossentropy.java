package dev.sentigraph.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code binary_crossentropy} on a sigmoid output, computed from the logits in the stable form
 * {@code max(x, 0) - x * y + log(1 + exp(-|x|))}.
 */
public final class BinaryCrossentropy {
  private BinaryCrossentropy() {}

  /** Per-example loss, same shape as {@code logits}. */
  public static Operand<TFloat32> fromLogits(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> logits) {
    Operand<TFloat32> relu = tf.nn.relu(logits);
    Operand<TFloat32> softplus = tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits))));
    return tf.math.add(tf.math.sub(relu, tf.math.mul(logits, labels)), softplus);
  }

  /** The batch mean, what {@code fit} reports. */
  public static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> logits) {
    return tf.math.mean(fromLogits(tf, labels, logits), tf.constant(new int[] {0, 1}));
  }
}
