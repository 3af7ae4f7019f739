package dev.sentigraph.train;

import dev.sentigraph.model.ModelVariable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras 3 Adam (beta1 0.9, beta2 0.999, epsilon 1e-7): {@code m += (g - m)(1 - b1)},
 * {@code v += (g^2 - v)(1 - b2)}, {@code var -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)}, which is
 * TF's ApplyAdam given b1^t and b2^t.
 */
public final class AdamOptimizer extends Optimizer {
  static final double BETA1 = 0.9;
  static final double BETA2 = 0.999;
  static final double EPSILON = 1e-7;

  public AdamOptimizer(double learningRate) {
    super(learningRate);
  }

  @Override
  protected Op update(Ops tf, Ops afterGradients, ModelVariable w, Operand<TFloat32> g, Operand<TInt64> step) {
    Operand<TFloat32> t = tf.dtypes.cast(step, TFloat32.class);
    Operand<TFloat32> beta1Power = tf.math.pow(scalar(tf, BETA1), t);
    Operand<TFloat32> beta2Power = tf.math.pow(scalar(tf, BETA2), t);
    return afterGradients.train.applyAdam(w.variable(), slot(tf, w, "m", 0f), slot(tf, w, "v", 0f), beta1Power,
        beta2Power, scalar(tf, learningRate), scalar(tf, BETA1), scalar(tf, BETA2), scalar(tf, EPSILON), g);
  }
}
