package dev.sentigraph.train;

import dev.sentigraph.model.ModelVariable;
import java.util.ArrayList;
import java.util.List;
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
  public Op apply(Ops tf, List<ModelVariable> variables, List<Operand<TFloat32>> gradients, Operand<TInt64> step) {
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      ModelVariable w = variables.get(i);
      updates.add(tf.train.applyMomentum(w.variable(), slot(tf, w, "momentum", 0f), scalar(tf, learningRate),
          gradients.get(i), scalar(tf, momentum)));
    }
    return tf.withControlDependencies(updates).noOp();
  }
}
