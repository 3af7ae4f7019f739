package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras {@code SimpleRNN}: {@code h = activation(x . W + h_prev . U + b)}. */
public final class SimpleRnnLayer extends RecurrentLayer {
  SimpleRnnLayer(LayerConfig config, LayerArgs args) {
    super(config, args, Cell::new);
  }

  /** rnn on 2 cores: 95 -> 84 ms/step with two chains, first step 1.7 -> 2.2-2.5 s. */
  @Override
  protected boolean splitsWhileTraining() {
    return true;
  }

  private static final class Cell implements RecurrentCell {
    private final CellArgs a;

    Cell(LayerArgs args) {
      a = CellArgs.read(args, false);
    }

    @Override
    public int gates() {
      return 1;
    }

    @Override
    public List<WeightSpec> weights(long inputDim, int units) {
      List<WeightSpec> w = new ArrayList<>();
      w.add(new WeightSpec("kernel", new long[] {inputDim, units}, a.kernelInit(), true));
      w.add(new WeightSpec("recurrent_kernel", new long[] {units, units}, a.recurrentInit(), true));
      if (a.useBias()) {
        w.add(new WeightSpec("bias", new long[] {units}, a.biasInit(), true));
      }
      return w;
    }

    @Override
    public Operand<TFloat32> inputBias(Ops tf, List<Operand<TFloat32>> w) {
      return a.useBias() ? w.get(2) : null;
    }

    @Override
    public State step(Ops tf, List<Operand<TFloat32>> x, State prev, List<Operand<TFloat32>> w, Operand<TFloat32> mask) {
      Operand<TFloat32> h = mask == null ? prev.h() : SameShapeMath.mul(tf, prev.h(), mask);
      Operand<TFloat32> out = a.activation().apply(tf, SameShapeMath.add(tf, x.get(0), tf.linalg.matMul(h, w.get(1))));
      return new State(out, null);
    }
  }
}
