package dev.sentigraph.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code sparse_categorical_crossentropy} for a K-class head, from its logits: {@code logsumexp(x) - x[y]}.
 * Keras' TensorFlow backend takes the logits of a softmax output too (the softmax activation caches them), so a
 * {@code Dense(K, softmax)} head and a {@code Dense(K)} head trained {@code from_logits} both train on this form;
 * its 1e-7 clip applies only to probabilities from elsewhere ({@link #fromProbability}).
 */
public final class SparseCategoricalCrossentropy {
  /** Keras' {@code backend.epsilon()}, the clip on probabilities. */
  static final double EPSILON = 1e-7;

  private SparseCategoricalCrossentropy() {}

  /** Per-example loss {@code [batch]} of integer {@code labels [batch]} under {@code logits [batch, K]}. */
  public static Operand<TFloat32> fromLogits(Ops tf, Operand<TInt32> labels, Operand<TFloat32> logits) {
    // one-hot times log-softmax rather than SparseSoftmaxCrossEntropyWithLogits, whose gradient TF's C API lacks
    Operand<TFloat32> picked = tf.math.mul(tf.oneHot(labels, tf.constant(classes(logits)), tf.constant(1f),
        tf.constant(0f)), tf.nn.logSoftmax(logits));
    return tf.math.neg(tf.reduceSum(picked, tf.constant(-1)));
  }

  /** The batch mean, what {@code fit} reports. */
  public static Operand<TFloat32> mean(Ops tf, Operand<TInt32> labels, Operand<TFloat32> logits) {
    return tf.math.mean(fromLogits(tf, labels, logits), tf.constant(0));
  }

  /** One example's loss from its class {@code probability} of the true label, clipped as Keras' backend clips. */
  public static double fromProbability(float probability) {
    return -Math.log(Math.min(Math.max(probability, EPSILON), 1 - EPSILON));
  }

  private static int classes(Operand<TFloat32> logits) {
    return Math.toIntExact(logits.shape().size(logits.shape().numDimensions() - 1));
  }
}
