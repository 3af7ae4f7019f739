package dev.sentigraph.train;

import dev.sentigraph.model.ModelVariable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A Keras 3 optimizer as graph ops: slot variables per model weight (zero-initialised, named after the
 * weight so checkpoints hold them) and one update op for a step's gradients. Subclasses hold Keras'
 * defaults and the update rule; tensorflow-framework's classes differ from Keras (RMSProp's slot starts at
 * one, other epsilons), so the rules are written here with TF's raw training ops.
 */
public abstract class Optimizer {
  protected final double learningRate;
  private final List<Op> slotInitializers = new ArrayList<>();
  private final List<Variable<TFloat32>> slots = new ArrayList<>();
  /** TF Java's withSubScope scans every op in the graph, so each layer's slot scope is made once. */
  private final Map<String, Ops> slotScopes = new HashMap<>();
  private Ops optimizerScope;

  protected Optimizer(double learningRate) {
    this.learningRate = learningRate;
  }

  public static Optimizer create(TrainSettings settings) {
    double lr = settings.learningRate();
    return switch (settings.optimizer()) {
      case "adam" -> new AdamOptimizer(lr);
      case "rmsprop" -> new RmspropOptimizer(lr);
      case "sgd" -> new SgdOptimizer(lr, 0.0);
      case "adagrad" -> new AdagradOptimizer(lr);
      default -> throw new IllegalArgumentException(settings.optimizer());
    };
  }

  /**
   * The update op for one step. {@code step} is the 1-based step number (Keras' {@code iterations + 1}), for
   * optimizers with bias correction. Every update waits for every gradient: the backward pass still reads
   * weights ({@code dX = dY . W^T}) that an early in-place update would change, which made identical runs
   * differ.
   */
  public final Op apply(Ops tf, List<ModelVariable> variables, List<Operand<TFloat32>> gradients,
      Operand<TInt64> step) {
    List<Op> all = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      all.add(tf.identity(g));
    }
    Ops afterGradients = tf.withControlDependencies(all);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      updates.add(update(tf, afterGradients, variables.get(i), gradients.get(i), step));
    }
    return tf.withControlDependencies(updates).noOp();
  }

  /** One weight's update: slots are made with {@code tf}, the update op with {@code afterGradients}. */
  protected abstract Op update(Ops tf, Ops afterGradients, ModelVariable weight, Operand<TFloat32> gradient,
      Operand<TInt64> step);

  /** Initialises every slot; run after the model's own initializer. */
  public Op initializer(Ops tf) {
    return tf.withControlDependencies(slotInitializers).noOp();
  }

  /** Every slot variable, in the order they were made (the same for every graph of one model and optimizer). */
  List<Variable<TFloat32>> slots() {
    return List.copyOf(slots);
  }

  /** A slot variable shaped like {@code weight}, filled with {@code value} at initialisation. */
  protected Variable<TFloat32> slot(Ops tf, ModelVariable weight, String name, float value) {
    Ops scope = slotScopes.get(weight.layerName());
    if (scope == null) {
      if (optimizerScope == null) {
        optimizerScope = tf.withSubScope("optimizer");
      }
      scope = optimizerScope.withSubScope(weight.layerName());
      slotScopes.put(weight.layerName(), scope);
    }
    // a wrapper's weight names hold a slash (forward/kernel), which op names may not
    Variable<TFloat32> v = scope.withName(weight.weightName().replace('/', '_') + "_" + name).variable(Shape.of(weight.shape()), TFloat32.class);
    slotInitializers.add(tf.assign(v, tf.fill(tf.constant(weight.shape()), tf.constant(value))));
    slots.add(v);
    return v;
  }

  protected static Operand<TFloat32> scalar(Ops tf, double v) {
    return tf.constant((float) v);
  }
}
