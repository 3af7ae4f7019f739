package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code GRU}, gates z, r, h. With its default {@code reset_after=True} the bias [2, 3u] holds an input row
 * and a recurrent row, and the reset gate multiplies the recurrent candidate after its matmul:
 * {@code hh = tanh(x_h + r * (h_prev . U_h + b_rh))}. With {@code reset_after=False} (Keras 2's default) the bias
 * is [3u], all on the input side, and the reset gate multiplies the state before it:
 * {@code hh = tanh(x_h + (r * h_prev) . U_h)}. Both end in {@code h = z * h_prev + (1 - z) * hh}.
 */
public final class GruLayer extends RecurrentLayer {
  GruLayer(LayerConfig config, LayerArgs args) {
    super(config, args, Cell::new);
  }

  /** cnn-gru on 2 cores, with {@link SameShapeMath}'s steps: 77-86 -> 58-72 ms/step, first step 2.1-2.7 -> 3.6-3.8 s. */
  @Override
  protected boolean splitsWhileTraining() {
    return true;
  }

  /**
   * Keras' default GRU without recurrent dropout trains with {@link GruBackward}'s gradient; the last state only,
   * as a sequence's every state would need its gradient added at each step. Other graphs keep no step values.
   */
  @Override
  protected Operand<TFloat32> chain(Ops tf, List<List<Operand<TFloat32>>> steps, Operand<TFloat32> zeros,
      List<Operand<TFloat32>> stepWeights, Operand<TFloat32> mask, boolean training) {
    Cell c = (Cell) cell;
    if (!training || returnSequences || mask != null || !c.ownBackward()) {
      return super.chain(tf, steps, zeros, stepWeights, mask, training);
    }
    List<GruBackward.Step> taken = new ArrayList<>();
    Operand<TFloat32> h = zeros;
    for (List<Operand<TFloat32>> x : steps) {
      GruBackward.Step step = c.resetAfterStep(tf, x, h, h, stepWeights);
      taken.add(step);
      h = step.h();
    }
    return GruBackward.attach(tf, h, steps, zeros, stepWeights.get(1), stepWeights.get(3), taken);
  }

  private static final class Cell implements RecurrentCell {
    private final CellArgs a;
    private final boolean resetAfter;

    Cell(LayerArgs args) {
      a = CellArgs.read(args, true);
      resetAfter = args.getBoolean("reset_after", true);
      args.getInt("implementation", 2);
    }

    @Override
    public int gates() {
      return 3;
    }

    @Override
    public List<WeightSpec> weights(long inputDim, int units) {
      List<WeightSpec> w = new ArrayList<>();
      w.add(new WeightSpec("kernel", new long[] {inputDim, 3L * units}, a.kernelInit(), true));
      w.add(new WeightSpec("recurrent_kernel", new long[] {units, 3L * units}, a.recurrentInit(), true));
      if (a.useBias()) {
        long[] shape = resetAfter ? new long[] {2, 3L * units} : new long[] {3L * units};
        w.add(new WeightSpec("bias", shape, a.biasInit(), true));
      }
      return w;
    }

    @Override
    public Operand<TFloat32> inputBias(Ops tf, List<Operand<TFloat32>> w) {
      if (!a.useBias()) {
        return null;
      }
      return resetAfter ? row(tf, w.get(2), 0) : w.get(2);
    }

    private static Operand<TFloat32> row(Ops tf, Operand<TFloat32> bias, int r) {
      return tf.squeeze(tf.slice(bias, tf.constant(new int[] {r, 0}), tf.constant(new int[] {1, -1})),
          org.tensorflow.op.core.Squeeze.axis(List.of(0L)));
    }

    /**
     * reset_after: adds the recurrent bias row (index 3), sliced once rather than at every step. Otherwise the
     * recurrent kernel's z/r columns and h columns (indices 3 and 4), split once.
     */
    @Override
    public List<Operand<TFloat32>> stepWeights(Ops tf, List<Operand<TFloat32>> w) {
      List<Operand<TFloat32>> out = new ArrayList<>(w);
      while (out.size() < 3) {
        out.add(null); // no bias: keep the derived weights at fixed indices
      }
      if (!resetAfter) {
        List<org.tensorflow.Output<TFloat32>> parts = tf.splitV(w.get(1),
            tf.constant(new long[] {2L * units(w), units(w)}), tf.constant(1), 2L).output();
        out.add(parts.get(0));
        out.add(parts.get(1));
      } else if (a.useBias()) {
        out.add(row(tf, w.get(2), 1));
      }
      return out;
    }

    private static long units(List<Operand<TFloat32>> w) {
      return w.get(1).shape().get(0);
    }

    /** z, r and h columns apart (reset_after), or z and r together and h (not). */
    @Override
    public List<Operand<TFloat32>> inputParts(Ops tf, Operand<TFloat32> projected, int axis,
        List<Operand<TFloat32>> w) {
      long units = units(w);
      long[] widths = resetAfter ? new long[] {units, units, units} : new long[] {2 * units, units};
      return new ArrayList<>(tf.splitV(projected, tf.constant(widths), tf.constant(axis), (long) widths.length).output());
    }

    @Override
    public State step(Ops tf, List<Operand<TFloat32>> x, State prev, List<Operand<TFloat32>> w,
        Operand<TFloat32> mask) {
      Operand<TFloat32> hIn = mask == null ? prev.h() : SameShapeMath.mul(tf, prev.h(), mask);
      if (!resetAfter) {
        Operand<TFloat32> zr = a.recurrentActivation().apply(tf,
            SameShapeMath.add(tf, x.get(0), tf.linalg.matMul(hIn, w.get(3))));
        List<org.tensorflow.Output<TFloat32>> g = tf.split(tf.constant(1), zr, 2L).output();
        Operand<TFloat32> candidate = a.activation().apply(tf,
            SameShapeMath.add(tf, x.get(1), tf.linalg.matMul(SameShapeMath.mul(tf, hIn, g.get(1)), w.get(4))));
        Operand<TFloat32> h = SameShapeMath.add(tf, candidate, SameShapeMath.mul(tf, SameShapeMath.sub(tf, prev.h(), candidate), g.get(0)));
        return new State(h, null);
      }
      return new State(resetAfterStep(tf, x, hIn, prev.h(), w).h(), null);
    }

    /** One reset_after step's gates and output from the recurrent input {@code hIn} (h_prev, masked or not). */
    GruBackward.Step resetAfterStep(Ops tf, List<Operand<TFloat32>> x, Operand<TFloat32> hIn, Operand<TFloat32> hPrev,
        List<Operand<TFloat32>> w) {
      Operand<TFloat32> inner = tf.linalg.matMul(hIn, w.get(1));
      if (a.useBias()) {
        inner = tf.nn.biasAdd(inner, w.get(3));
      }
      List<org.tensorflow.Output<TFloat32>> r = tf.split(tf.constant(1), inner, 3L).output();
      Operand<TFloat32> z = a.recurrentActivation().apply(tf, SameShapeMath.add(tf, x.get(0), r.get(0)));
      Operand<TFloat32> reset = a.recurrentActivation().apply(tf, SameShapeMath.add(tf, x.get(1), r.get(1)));
      Operand<TFloat32> candidate = a.activation().apply(tf,
          SameShapeMath.add(tf, x.get(2), SameShapeMath.mul(tf, r.get(2), reset)));
      // h = z * h_prev + (1 - z) * hh, written as hh + z * (h_prev - hh)
      Operand<TFloat32> diff = SameShapeMath.sub(tf, hPrev, candidate);
      Operand<TFloat32> h = SameShapeMath.add(tf, candidate, SameShapeMath.mul(tf, diff, z));
      return new GruBackward.Step(hPrev, z, reset, r.get(2), candidate, diff, h);
    }

    /** Whether {@link GruBackward} computes this cell's gradient: Keras' default GRU (reset_after, bias, tanh, sigmoid). */
    boolean ownBackward() {
      return resetAfter && a.useBias() && a.activation() == Activation.TANH
          && a.recurrentActivation() == Activation.SIGMOID;
    }
  }
}
