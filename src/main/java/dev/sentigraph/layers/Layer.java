package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import dev.sentigraph.error.InputException;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * One layer of a Sequential model. Shapes and weights follow from the input shape alone (as Keras'
 * {@code build}), so summaries and parameter counts need no graph; {@link #call} adds the forward ops.
 * Variables always hold Keras' weight layout; a layer that wants another layout converts inside its graph.
 */
public interface Layer {
  LayerConfig config();

  /**
   * Refuses an input shape that is not a sequence {@code [steps, width]}; {@code width} names the second axis
   * ("channels", "features") and {@code hint} ("" or " (...)") says what to do instead.
   */
  static void requireSequence(long[] inputShape, String width, String hint) {
    if (inputShape.length != 2) {
      throw new InputException("expected input [steps, " + width + "], got " + Arrays.toString(inputShape)
          + hint);
    }
  }

  default String name() {
    return config().name();
  }

  default String className() {
    return config().className();
  }

  /** Output shape of one example; throws {@link dev.sentigraph.error.InputException} if the input does not fit. */
  long[] outputShape(long[] inputShape);

  /** The layer's weights in Keras' order for this input shape. */
  List<WeightSpec> weights(long[] inputShape);

  /** Where Keras keeps this layer's weights inside its {@code .keras} h5 group. */
  default String kerasWeightsGroup() {
    return "vars";
  }

  /** Where Keras keeps weight {@code weight} inside the layer's h5 group ({@code vars/0}, {@code cell/vars/1}). */
  default String kerasWeightPath(int weight, long[] inputShape) {
    return kerasWeightsGroup() + "/" + weight;
  }

  Operand<TFloat32> call(LayerCall call);

  /**
   * How this layer's ops run fastest in a session of {@code mode}; {@code SessionSettings} combines the layers'
   * answers.
   */
  default Threading threading(GraphMode mode) {
    return Threading.ANY;
  }

  /** Multiply-adds times two of one example's forward pass (matmuls and convolutions; element-wise work is left out). */
  default long forwardFlops(long[] inputShape) {
    return 0;
  }

  /** {@code (None, 500, 100)}. */
  static String shape(long[] shape) {
    StringBuilder s = new StringBuilder("(None");
    for (long d : shape) {
      s.append(", ").append(d);
    }
    return s.append(")").toString();
  }
}
