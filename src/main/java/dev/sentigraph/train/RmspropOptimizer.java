package dev.sentigraph.train;

import dev.sentigraph.model.ModelVariable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras 3 RMSprop (rho 0.9, epsilon 1e-7, no momentum, not centered): {@code ms = rho ms + (1 - rho) g^2}
 * with {@code ms} starting at <b>zero</b>, {@code var -= lr g / sqrt(ms + eps)}: TF's ApplyRMSProp with
 * momentum 0 and Keras' slot start (TF1 and tensorflow-framework start it at one).
 */
public final class RmspropOptimizer extends Optimizer {
  static final double RHO = 0.9;
  static final double EPSILON = 1e-7;

  public RmspropOptimizer(double learningRate) {
    super(learningRate);
  }

  @Override
  protected Op update(Ops tf, Ops afterGradients, ModelVariable w, Operand<TFloat32> g, Operand<TInt64> step) {
    return afterGradients.train.applyRmsProp(w.variable(), slot(tf, w, "velocity", 0f), slot(tf, w, "momentum", 0f),
        scalar(tf, learningRate), scalar(tf, RHO), scalar(tf, 0), scalar(tf, EPSILON), g);
  }
}
