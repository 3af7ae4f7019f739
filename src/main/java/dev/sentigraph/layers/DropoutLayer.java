package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras {@code Dropout}: in training, zero a {@code rate} fraction and scale the rest by 1/(1-rate); and Keras
 * {@code SpatialDropout1D}, which drops whole feature channels of a sequence (one mask per example and channel,
 * shared by every step). Inference passes the input through.
 */
public final class DropoutLayer implements Layer {
  private final LayerConfig config;
  private final double rate;
  private final boolean spatial;

  private DropoutLayer(LayerConfig config, LayerArgs args, boolean spatial) {
    this.config = config;
    this.spatial = spatial;
    this.rate = args.getDouble("rate", Double.NaN);
    if (!(rate >= 0 && rate < 1)) {
      throw args.error("rate", "expected a number in [0, 1), got " + rate);
    }
    args.requireDefault("noise_shape", null);
    args.rejectUnknown();
  }

  /** Keras {@code Dropout}. */
  static DropoutLayer plain(LayerConfig config, LayerArgs args) {
    return new DropoutLayer(config, args, false);
  }

  /** Keras {@code SpatialDropout1D}. */
  static DropoutLayer spatial(LayerConfig config, LayerArgs args) {
    return new DropoutLayer(config, args, true);
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    if (spatial) {
      Layer.requireSequence(inputShape, "channels", "");
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
    if (!spatial) {
      return apply(call.tf(), x, rate, call.seedFor(0));
    }
    Ops tf = call.tf();
    Operand<TInt32> shape = tf.shape(x);
    Operand<TInt32> batch = tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> channels = tf.slice(shape, tf.constant(new int[] {2}), tf.constant(new int[] {1}));
    Operand<TFloat32> ones = tf.ones(tf.concat(List.of(batch, tf.constant(new int[] {1}), channels), tf.constant(0)),
        TFloat32.class);
    return tf.math.mul(x, apply(tf, ones, rate, call.seedFor(0)));
  }

  /** Inverted dropout with a stateless mask, shared with the recurrent layers' input dropout. */
  public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, double rate,
      Operand<org.tensorflow.types.TInt64> seed) {
    Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(x), seed, TFloat32.class);
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) rate)), TFloat32.class);
    return tf.math.mul(x, tf.math.mul(keep, tf.constant((float) (1.0 / (1.0 - rate)))));
  }
}
