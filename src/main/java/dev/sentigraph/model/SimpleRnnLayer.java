package dev.sentigraph.model;

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

  private static final class Cell implements RecurrentCell {
    private final Activation activation;
    private final boolean useBias;
    private final InitializerSpec kernelInit;
    private final InitializerSpec recurrentInit;
    private final InitializerSpec biasInit;

    Cell(LayerArgs args) {
      activation = args.getActivation("activation", Activation.TANH);
      useBias = args.getBoolean("use_bias", true);
      kernelInit = args.getInitializer("kernel_initializer", InitializerSpec.GLOROT_UNIFORM);
      recurrentInit = args.getInitializer("recurrent_initializer", InitializerSpec.ORTHOGONAL);
      biasInit = args.getInitializer("bias_initializer", InitializerSpec.ZEROS);
    }

    @Override
    public int gates() {
      return 1;
    }

    @Override
    public List<WeightSpec> weights(long inputDim, int units) {
      List<WeightSpec> w = new ArrayList<>();
      w.add(new WeightSpec("kernel", new long[] {inputDim, units}, kernelInit, true));
      w.add(new WeightSpec("recurrent_kernel", new long[] {units, units}, recurrentInit, true));
      if (useBias) {
        w.add(new WeightSpec("bias", new long[] {units}, biasInit, true));
      }
      return w;
    }

    @Override
    public Operand<TFloat32> inputBias(Ops tf, List<Operand<TFloat32>> w) {
      return useBias ? w.get(2) : null;
    }

    @Override
    public State step(Ops tf, Operand<TFloat32> xp, State prev, List<Operand<TFloat32>> w, Operand<TFloat32> mask) {
      Operand<TFloat32> h = mask == null ? prev.h() : tf.math.mul(prev.h(), mask);
      Operand<TFloat32> out = activation.apply(tf, tf.math.add(xp, tf.linalg.matMul(h, w.get(1))));
      return new State(out, null);
    }
  }
}
