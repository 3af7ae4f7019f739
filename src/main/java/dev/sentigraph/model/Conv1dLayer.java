package dev.sentigraph.model;

import dev.sentigraph.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code Conv1D} over [steps, channels]. TF has no 1-d convolution with a gradient, so the sequence is
 * viewed as a 1-row image and the Keras kernel [k, in, filters] as a [1, k, in, filters] filter.
 */
public final class Conv1dLayer implements Layer {
  private final LayerConfig config;
  private final int filters;
  private final int kernelSize;
  private final int strides;
  private final PaddingMode padding;
  private final Activation activation;
  private final boolean useBias;
  private final InitializerSpec kernelInitializer;
  private final InitializerSpec biasInitializer;

  Conv1dLayer(LayerConfig config, LayerArgs args) {
    this.config = config;
    this.filters = args.requirePositiveInt("filters");
    this.kernelSize = args.getIntOrTuple("kernel_size", null);
    if (kernelSize <= 0) {
      throw args.error("kernel_size", "must be positive, got " + kernelSize);
    }
    this.strides = args.getIntOrTuple("strides", 1);
    if (strides <= 0) {
      throw args.error("strides", "must be positive, got " + strides);
    }
    this.padding = PaddingMode.parse(args, "padding");
    if (args.getIntOrTuple("dilation_rate", 1) != 1) {
      throw args.error("dilation_rate", "only 1 is supported");
    }
    if (args.getInt("groups", 1) != 1) {
      throw args.error("groups", "only 1 is supported");
    }
    String format = args.getString("data_format", "channels_last");
    if (!format.equals("channels_last")) {
      throw args.error("data_format", "only channels_last is supported, got " + format);
    }
    this.activation = args.getActivation("activation", Activation.LINEAR);
    this.useBias = args.getBoolean("use_bias", true);
    this.kernelInitializer = args.getInitializer("kernel_initializer", InitializerSpec.GLOROT_UNIFORM);
    this.biasInitializer = args.getInitializer("bias_initializer", InitializerSpec.ZEROS);
    for (String key : List.of("kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
        "bias_constraint", "lora_rank")) {
      args.requireDefault(key, null);
    }
    args.rejectUnknown();
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    if (inputShape.length != 2) {
      throw new InvalidInputException("expected input [steps, channels], got "
          + Arrays.toString(inputShape) + " (a Conv1D cannot follow Flatten or a non-sequence layer)");
    }
    long steps = padding.outputLength(inputShape[0], kernelSize, strides);
    if (steps <= 0) {
      throw new InvalidInputException("kernel_size " + kernelSize
          + " is longer than the " + inputShape[0] + " input steps");
    }
    return new long[] {steps, filters};
  }

  @Override
  public List<WeightSpec> weights(long[] inputShape) {
    List<WeightSpec> w = new ArrayList<>();
    w.add(new WeightSpec("kernel", new long[] {kernelSize, inputShape[1], filters}, kernelInitializer, true));
    if (useBias) {
      w.add(new WeightSpec("bias", new long[] {filters}, biasInitializer, true));
    }
    return w;
  }

  @Override
  public long forwardFlops(long[] inputShape) {
    return 2L * outputShape(inputShape)[0] * kernelSize * inputShape[1] * filters;
  }

  @Override
  public Operand<TFloat32> call(LayerCall call) {
    Ops tf = call.tf();
    Operand<TFloat32> image = tf.expandDims(call.floatInput(), tf.constant(1)); // [B, 1, T, C]
    Operand<TFloat32> filter = tf.expandDims(call.weights().get(0), tf.constant(0)); // [1, k, C, F]
    Operand<TFloat32> y = tf.nn.conv2d(image, filter, List.of(1L, 1L, (long) strides, 1L), padding.tfName());
    if (useBias) {
      y = tf.nn.biasAdd(y, call.weights().get(1));
    }
    return activation.apply(tf, tf.squeeze(y, org.tensorflow.op.core.Squeeze.axis(List.of(1L))));
  }
}
