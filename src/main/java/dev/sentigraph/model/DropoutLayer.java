package dev.sentigraph.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras {@code Dropout}: in training, zero a {@code rate} fraction and scale the rest by 1/(1-rate). */
public final class DropoutLayer implements Layer {
  private final LayerConfig config;
  private final double rate;

  DropoutLayer(LayerConfig config, LayerArgs args) {
    this.config = config;
    this.rate = args.getDouble("rate", Double.NaN);
    if (!(rate >= 0 && rate < 1)) {
      throw args.error("rate", "expected a number in [0, 1), got " + rate);
    }
    args.requireDefault("noise_shape", null);
    args.rejectUnknown();
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    return inputShape;
  }

  @Override
  public List<WeightSpec> weights(long[] inputShape) {
    return List.of();
  }

  @Override
  public Operand<TFloat32> call(LayerCall call) {
    Operand<TFloat32> x = call.floatInput();
    if (!call.training() || rate == 0) {
      return x;
    }
    return apply(call.tf(), x, rate, call.seedFor(0));
  }

  /** Inverted dropout with a stateless mask, shared with the recurrent layers' input dropout. */
  public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, double rate,
      Operand<org.tensorflow.types.TInt64> seed) {
    Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(x), seed, TFloat32.class);
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) rate)), TFloat32.class);
    return tf.math.mul(x, tf.math.mul(keep, tf.constant((float) (1.0 / (1.0 - rate)))));
  }
}
