package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import dev.sentigraph.error.InputException;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras {@code Conv1D} over [steps, channels]. TF has no 1-d convolution with a gradient, so the sequence is
 * viewed as a 1-row image and the Keras kernel [k, in, filters] as a [1, k, in, filters] filter.
 */
public final class Conv1dLayer implements Layer, TableInput {
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
    Layer.requireSequence(inputShape, "channels", " (a Conv1D cannot follow Flatten or a non-sequence layer)");
    long steps = padding.outputLength(inputShape[0], kernelSize, strides);
    if (steps <= 0) {
      throw new InputException("kernel_size " + kernelSize
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

  /** A table serves stride 1 only, where every step starts a window. */
  @Override
  public boolean takesTable(GraphMode mode) {
    return strides == 1;
  }

  /** Columns of the projected table: the kernel's taps side by side, {@code kernel_size * filters}. */
  @Override
  public long projectionWidth() {
    return (long) kernelSize * filters;
  }

  /** {@code embeddings} [V, C] times every tap of the kernel: [V, k*F], tap j in columns j*F to (j+1)*F. */
  @Override
  public Operand<TFloat32> project(Ops tf, Operand<TFloat32> embeddings, List<Operand<TFloat32>> w) {
    Operand<TFloat32> taps = tf.linalg.transpose(w.get(0), tf.constant(new int[] {1, 0, 2})); // [C, k, F]
    return tf.linalg.matMul(embeddings, tf.reshape(taps, tf.constant(new long[] {-1, projectionWidth()})));
  }

  /**
   * The layer from a projected table instead of embedded rows: output step t sums tap j's row of the token at
   * t + j - (left padding), with padding positions reading an all-zero row appended to the table.
   */
  @Override
  public Operand<TFloat32> callFromTable(Ops tf, Operand<TFloat32> table, Operand<TInt32> ids, long steps,
      List<Operand<TFloat32>> w, GraphMode mode) {
    int left = padding == PaddingMode.SAME ? (kernelSize - 1) / 2 : 0;
    int right = padding == PaddingMode.SAME ? kernelSize - 1 - left : 0;
    long outSteps = padding.outputLength(steps, kernelSize, 1);
    int zeroRow = (int) table.shape().get(0); // the row appended below
    Operand<TFloat32> withZero = tf.concat(List.of(table, tf.zeros(tf.constant(new long[] {1, projectionWidth()}), TFloat32.class)), tf.constant(0));
    Operand<TInt32> padded = left + right == 0 ? ids : tf.pad(ids, tf.constant(new int[][] {{0, 0}, {left, right}}), tf.constant(zeroRow));
    Operand<TFloat32> y = null;
    for (int j = 0; j < kernelSize; j++) {
      Operand<TInt32> at = tf.slice(padded, tf.constant(new int[] {0, j}), tf.constant(new int[] {-1, (int) outSteps}));
      Operand<TFloat32> tap = tf.slice(withZero, tf.constant(new int[] {0, j * filters}), tf.constant(new int[] {-1, filters}));
      Operand<TFloat32> part = tf.gather(tap, at, tf.constant(0));
      y = y == null ? part : tf.math.add(y, part);
    }
    if (useBias) {
      y = tf.nn.biasAdd(y, w.get(1));
    }
    return activation.apply(tf, y);
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
