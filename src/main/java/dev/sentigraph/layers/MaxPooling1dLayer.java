package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import dev.sentigraph.error.InputException;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras {@code MaxPooling1D}: the maximum over windows of {@code pool_size} steps, as a 1-row max pool. */
public final class MaxPooling1dLayer implements Layer {
  private final LayerConfig config;
  private final int poolSize;
  private final int strides;
  private final PaddingMode padding;

  MaxPooling1dLayer(LayerConfig config, LayerArgs args) {
    this.config = config;
    this.poolSize = args.getIntOrTuple("pool_size", 2);
    if (poolSize <= 0) {
      throw args.error("pool_size", "must be positive, got " + poolSize);
    }
    this.strides = args.has("strides") ? args.getIntOrTuple("strides", poolSize) : poolSize;
    if (strides <= 0) {
      throw args.error("strides", "must be positive, got " + strides);
    }
    this.padding = PaddingMode.parse(args, "padding");
    String format = args.getString("data_format", "channels_last");
    if (!format.equals("channels_last")) {
      throw args.error("data_format", "only channels_last is supported, got " + format);
    }
    args.rejectUnknown();
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    Layer.requireSequence(inputShape, "channels", "");
    long steps = padding.outputLength(inputShape[0], poolSize, strides);
    if (steps <= 0) {
      throw new InputException("pool_size " + poolSize
          + " is longer than the " + inputShape[0] + " input steps");
    }
    return new long[] {steps, inputShape[1]};
  }

  @Override
  public List<WeightSpec> weights(long[] inputShape) {
    return List.of();
  }

  @Override
  public Operand<TFloat32> call(LayerCall call) {
    Ops tf = call.tf();
    Operand<TFloat32> image = tf.expandDims(call.floatInput(), tf.constant(1));
    Operand<TFloat32> pooled = tf.nn.maxPool(image, tf.constant(new int[] {1, 1, poolSize, 1}),
        tf.constant(new int[] {1, 1, strides, 1}), padding.tfName());
    return tf.squeeze(pooled, org.tensorflow.op.core.Squeeze.axis(List.of(1L)));
  }
}
