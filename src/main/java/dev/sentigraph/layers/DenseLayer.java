package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras {@code Dense}: {@code activation(x . kernel + bias)} on the last axis. */
public final class DenseLayer implements Layer {
  private final LayerConfig config;
  private final int units;
  private final Activation activation;
  private final boolean useBias;
  private final InitializerSpec kernelInitializer;
  private final InitializerSpec biasInitializer;

  DenseLayer(LayerConfig config, LayerArgs args) {
    this.config = config;
    this.units = args.requirePositiveInt("units");
    this.activation = args.getActivation("activation", Activation.LINEAR);
    this.useBias = args.getBoolean("use_bias", true);
    this.kernelInitializer = args.getInitializer("kernel_initializer", InitializerSpec.GLOROT_UNIFORM);
    this.biasInitializer = args.getInitializer("bias_initializer", InitializerSpec.ZEROS);
    for (String key : List.of("kernel_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "bias_constraint", "lora_rank", "quantization_config")) {
      args.requireDefault(key, null);
    }
    args.getDouble("lora_alpha", 0);
    args.rejectUnknown();
  }

  public int units() {
    return units;
  }

  public Activation activation() {
    return activation;
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    long[] out = inputShape.clone();
    out[out.length - 1] = units;
    return out;
  }

  @Override
  public List<WeightSpec> weights(long[] inputShape) {
    long in = inputShape[inputShape.length - 1];
    List<WeightSpec> w = new ArrayList<>();
    w.add(new WeightSpec("kernel", new long[] {in, units}, kernelInitializer, true));
    if (useBias) {
      w.add(new WeightSpec("bias", new long[] {units}, biasInitializer, true));
    }
    return w;
  }

  @Override
  public long forwardFlops(long[] inputShape) {
    long positions = 1;
    for (int i = 0; i < inputShape.length - 1; i++) {
      positions *= inputShape[i];
    }
    return 2 * positions * inputShape[inputShape.length - 1] * units;
  }

  @Override
  public Operand<TFloat32> call(LayerCall call) {
    return activation.apply(call.tf(), preActivation(call));
  }

  /** The output before the activation: the model keeps the head's logits for a stable loss. */
  public Operand<TFloat32> preActivation(LayerCall call) {
    Ops tf = call.tf();
    Operand<TFloat32> x = call.floatInput();
    long[] shape = call.inputShape();
    long in = shape[shape.length - 1];
    Operand<TFloat32> flat = shape.length == 1 ? x : tf.reshape(x, tf.constant(new long[] {-1, in}));
    Operand<TFloat32> y = tf.linalg.matMul(flat, call.weights().get(0));
    if (useBias) {
      y = tf.nn.biasAdd(y, call.weights().get(1));
    }
    if (shape.length == 1) {
      return y;
    }
    long[] outShape = new long[shape.length + 1];
    outShape[0] = -1;
    System.arraycopy(outputShape(shape), 0, outShape, 1, shape.length);
    return tf.reshape(y, tf.constant(outShape));
  }
}
