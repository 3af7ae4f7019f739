package dev.sentigraph.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras {@code SpatialDropout1D}: in training, drops whole feature channels of a sequence (one mask per example
 * and channel, shared by every step) and scales the rest by 1/(1-rate); inference passes the input through.
 */
public final class SpatialDropout1dLayer implements Layer {
  private final LayerConfig config;
  private final double rate;

  SpatialDropout1dLayer(LayerConfig config, LayerArgs args) {
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
    if (inputShape.length != 2) {
      throw new dev.sentigraph.InvalidInputException("expected input [steps, channels], got "
          + java.util.Arrays.toString(inputShape));
    }
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
    Ops tf = call.tf();
    Operand<TInt32> shape = tf.shape(x);
    Operand<TInt32> batch = tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> channels = tf.slice(shape, tf.constant(new int[] {2}), tf.constant(new int[] {1}));
    Operand<TFloat32> ones = tf.ones(tf.concat(List.of(batch, tf.constant(new int[] {1}), channels), tf.constant(0)),
        TFloat32.class);
    return tf.math.mul(x, DropoutLayer.apply(tf, ones, rate, call.seedFor(0)));
  }
}
