package dev.sentigraph.train;

import dev.sentigraph.model.ModelVariable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras 3 SGD: {@code m = momentum m - lr g; var += m} (plain {@code var -= lr g} at momentum 0), which is
 * TF's ApplyMomentum with its accumulator scaled by {@code -lr}.
 */
public final class SgdOptimizer extends Optimizer {
  private final double momentum;

  public SgdOptimizer(double learningRate, double momentum) {
    super(learningRate);
    this.momentum = momentum;
  }

  @Override
  protected Op update(Ops tf, Ops afterGradients, ModelVariable w, Operand<TFloat32> g, Operand<TInt64> step) {
    return afterGradients.train.applyMomentum(w.variable(), slot(tf, w, "momentum", 0f), scalar(tf, learningRate), g,
        scalar(tf, momentum));
  }
}
