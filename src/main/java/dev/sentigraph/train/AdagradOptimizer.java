package dev.sentigraph.train;

import dev.sentigraph.model.ModelVariable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras 3 Adagrad (initial accumulator 0.1, epsilon 1e-7): {@code acc += g^2; var -= lr g / sqrt(acc + eps)}.
 * TF's ApplyAdagradV2 puts epsilon outside the square root, so the rule is written out.
 */
public final class AdagradOptimizer extends Optimizer {
  static final float INITIAL_ACCUMULATOR = 0.1f;
  static final double EPSILON = 1e-7;

  public AdagradOptimizer(double learningRate) {
    super(learningRate);
  }

  @Override
  protected Op update(Ops tf, Ops afterGradients, ModelVariable w, Operand<TFloat32> g, Operand<TInt64> step) {
    Variable<TFloat32> acc = slot(tf, w, "accumulator", INITIAL_ACCUMULATOR);
    Operand<TFloat32> newAcc = afterGradients.assignAdd(acc, tf.math.square(g));
    Operand<TFloat32> delta = tf.math.div(tf.math.mul(scalar(tf, learningRate), g),
        tf.math.sqrt(tf.math.add(newAcc, scalar(tf, EPSILON))));
    return afterGradients.assignSub(w.variable(), delta);
  }
}
