package dev.sentigraph.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One timestep of a recurrent layer (Keras' cell): its weights and its state update. The input projection
 * {@code x_t . kernel + bias} of every step arrives precomputed, hoisted out of the time loop by
 * {@link RecurrentLayer}; the cell adds the recurrent part.
 */
interface RecurrentCell {
  /** The recurrent state: {@code h} is the output; LSTM also carries {@code c}. */
  record State(Operand<TFloat32> h, Operand<TFloat32> c) {}

  /** Width of the hoisted projection in units (1 SimpleRNN, 4 LSTM, 3 GRU). */
  int gates();

  List<WeightSpec> weights(long inputDim, int units);

  /** The bias added to the hoisted input projection (GRU: its input row), or null. */
  Operand<TFloat32> inputBias(Ops tf, List<Operand<TFloat32>> weights);

  /** The weights the steps use, derived once before the loop (by default the layer's own weights). */
  default List<Operand<TFloat32>> stepWeights(Ops tf, List<Operand<TFloat32>> weights) {
    return weights;
  }

  /**
   * The projected input [..., gates*units] cut along {@code axis} into the parts {@link #step} takes: the whole
   * unless the cell uses its gates' columns apart. Cut once for all steps, the cut and its gradient are one op
   * each instead of one per step.
   */
  default List<Operand<TFloat32>> inputParts(Ops tf, Operand<TFloat32> projected, int axis,
      List<Operand<TFloat32>> weights) {
    return List.of(projected);
  }

  /**
   * The next state from one step's projected input in {@link #inputParts} ([batch, width] each), the previous
   * state and the recurrent dropout mask (null when off) applied to {@code h} where it enters the recurrent matmul.
   */
  State step(Ops tf, List<Operand<TFloat32>> xp, State previous, List<Operand<TFloat32>> weights,
      Operand<TFloat32> mask);
}
