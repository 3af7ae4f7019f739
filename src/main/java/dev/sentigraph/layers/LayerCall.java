package dev.sentigraph.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * What a layer gets when it adds its forward ops to a graph.
 *
 * @param input the previous layer's output; int32 token ids for the first layer
 * @param inputShape shape of one example (no batch dimension)
 * @param weights the layer's variables, in the order of {@link Layer#weights}
 * @param training whether dropout and other training-only behaviour is on
 * @param seed a [2] int64 tensor; stateless random ops derive their seeds from it and the layer index,
 *     so a fed seed makes dropout masks repeatable
 */
public record LayerCall(
    Ops tf,
    Operand<? extends TNumber> input,
    long[] inputShape,
    List<Operand<TFloat32>> weights,
    boolean training,
    Operand<TInt64> seed,
    int layerIndex) {

  /** The input as float32 (token ids reach a first non-Embedding layer as integers). */
  @SuppressWarnings("unchecked")
  public Operand<TFloat32> floatInput() {
    return input.type() == TFloat32.class ? (Operand<TFloat32>) input : tf.dtypes.cast(input, TFloat32.class);
  }

  /** A seed for this layer's stateless random ops, distinct per layer and per {@code stream}. */
  public Operand<TInt64> seedFor(int stream) {
    return tf.math.add(seed, tf.constant(new long[] {0, 1000L * layerIndex + stream}));
  }
}
