package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.op.nn.BlockLSTMGrad;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code LSTM} (gates i, f, c, o; {@code unit_forget_bias}). Without recurrent dropout it runs TF's fused
 * {@code BlockLSTMV2} kernel over the whole sequence, with a registered gradient (TF Java has none for it):
 * hundreds of ops instead of tens of thousands, so graphs build and start in under a second. BlockLSTMV2
 * takes Keras' gate layout (i, f, c, o; V1 and LSTMBlockCell use i, c, f, o). With recurrent dropout the mask
 * must touch h inside the step, so the unrolled cell runs instead.
 */
public final class LstmLayer extends RecurrentLayer {
  LstmLayer(LayerConfig config, LayerArgs args) {
    super(config, args, Cell::new);
  }

  /**
   * The fused kernel's chains train best with a thread each (lstm +30%); the serving graph's unrolled steps run
   * best as batch slices, each in its own thread (lstm 1,200-1,900 -> 2,800-3,600 reviews/s on 2 cores).
   */
  @Override
  public Threading threading(GraphMode mode) {
    return mode == GraphMode.SERVE ? Threading.SLICED : Threading.PER_CHAIN;
  }

  private Cell lstmCell() {
    return (Cell) cell;
  }

  @Override
  protected boolean fusesInput() {
    return lstmCell().standardActivations();
  }

  @Override
  protected Operand<TFloat32> run(Ops tf, Operand<TFloat32> x, long steps, long inputDim, Operand<TFloat32> zeros,
      List<Operand<TFloat32>> w, Operand<TFloat32> recurrentMask, int chains, boolean training) {
    if (recurrentMask != null || !lstmCell().standardActivations()) {
      return super.run(tf, x, steps, inputDim, zeros, w, recurrentMask, chains, training);
    }
    registerGradient();
    Operand<TFloat32> timeMajor = tf.linalg.transpose(x, tf.constant(new int[] {1, 0, 2}));
    Operand<TFloat32> kernel = tf.concat(List.of(w.get(0), w.get(1)), tf.constant(0));
    Operand<TFloat32> bias = lstmCell().a.useBias() ? w.get(2) : tf.zeros(tf.constant(new long[] {4L * units}), TFloat32.class);
    // half-batch chains, one per core: BlockLSTMV2's per-step matmuls are too small to keep two cores busy alone
    int fusedChains = wrapped ? 1 : BatchChains.fused();
    List<Operand<TFloat32>> xs = BatchChains.split(tf, timeMajor, fusedChains, 1);
    List<Operand<TFloat32>> zs = BatchChains.split(tf, zeros, fusedChains, 0);
    List<Operand<TFloat32>> hs = new ArrayList<>();
    for (int k = 0; k < xs.size(); k++) {
      Operand<TFloat32> noPeephole = tf.zeros(tf.constant(new long[] {units}), TFloat32.class);
      BlockLSTM<TFloat32> block = tf.nn.blockLSTM(tf.constant((long) steps), xs.get(k), zs.get(k), zs.get(k),
          kernel, noPeephole, noPeephole, noPeephole, bias,
          BlockLSTM.cellClip(-1f), BlockLSTM.usePeephole(false));
      hs.add(block.h()); // [T, B/chains, u]
    }
    Operand<TFloat32> h = hs.size() == 1 ? hs.get(0) : tf.concat(hs, tf.constant(1));
    if (returnSequences) {
      return tf.linalg.transpose(h, tf.constant(new int[] {1, 0, 2}));
    }
    Operand<TFloat32> last = tf.slice(h, tf.constant(new int[] {(int) steps - 1, 0, 0}), tf.constant(new int[] {1, -1, -1}));
    return tf.squeeze(last, Squeeze.axis(List.of(0L)));
  }

  /** BlockLSTMV2's gradient is BlockLSTMGradV2 fed the forward outputs. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void registerGradient() {
    RegisteredGradients.register(BlockLSTM.Inputs.class, (tf, op, gradOutputs) -> {
      BlockLSTM out = (BlockLSTM) op.getOutputs();
      Operand csGrad = gradOutputs.get(1) != null ? gradOutputs.get(1) : tf.zerosLike(out.cs());
      Operand hGrad = gradOutputs.get(6) != null ? gradOutputs.get(6) : tf.zerosLike(out.h());
      BlockLSTMGrad g = tf.nn.blockLSTMGrad(op.seqLenMax, op.x, op.csPrev, op.hPrev, op.w, op.wci, op.wcf, op.wco,
          op.b, out.i(), out.cs(), out.f(), out.o(), out.ci(), out.co(), out.h(), csGrad, hGrad, op.usePeephole);
      List<Operand<?>> grads = new ArrayList<>();
      grads.add(tf.zerosLike(op.seqLenMax));
      grads.add(g.xGrad());
      grads.add(g.csPrevGrad());
      grads.add(g.hPrevGrad());
      grads.add(g.wGrad());
      grads.add(g.wciGrad());
      grads.add(g.wcfGrad());
      grads.add(g.wcoGrad());
      grads.add(g.bGrad());
      return grads;
    });
  }

  private static final class Cell implements RecurrentCell {
    private final CellArgs a;
    private final boolean unitForgetBias;

    Cell(LayerArgs args) {
      a = CellArgs.read(args, true);
      unitForgetBias = args.getBoolean("unit_forget_bias", true);
      args.getInt("implementation", 2);
    }

    /** The fused kernel hard-codes sigmoid gates and tanh activations. */
    boolean standardActivations() {
      return a.activation() == Activation.TANH && a.recurrentActivation() == Activation.SIGMOID;
    }

    @Override
    public int gates() {
      return 4;
    }

    @Override
    public List<WeightSpec> weights(long inputDim, int units) {
      List<WeightSpec> w = new ArrayList<>();
      w.add(new WeightSpec("kernel", new long[] {inputDim, 4L * units}, a.kernelInit(), true));
      w.add(new WeightSpec("recurrent_kernel", new long[] {units, 4L * units}, a.recurrentInit(), true));
      if (a.useBias()) {
        InitializerSpec init = unitForgetBias && a.biasInit().equals(InitializerSpec.ZEROS)
            ? InitializerSpec.unitForgetBias(units) : a.biasInit();
        w.add(new WeightSpec("bias", new long[] {4L * units}, init, true));
      }
      return w;
    }

    @Override
    public Operand<TFloat32> inputBias(Ops tf, List<Operand<TFloat32>> w) {
      return a.useBias() ? w.get(2) : null;
    }

    @Override
    public State step(Ops tf, List<Operand<TFloat32>> x, State prev, List<Operand<TFloat32>> w, Operand<TFloat32> mask) {
      Operand<TFloat32> hIn = mask == null ? prev.h() : SameShapeMath.mul(tf, prev.h(), mask);
      Operand<TFloat32> z = SameShapeMath.add(tf, x.get(0), tf.linalg.matMul(hIn, w.get(1)));
      List<Output<TFloat32>> g = tf.split(tf.constant(1), z, 4L).output();
      Operand<TFloat32> i = a.recurrentActivation().apply(tf, g.get(0));
      Operand<TFloat32> f = a.recurrentActivation().apply(tf, g.get(1));
      Operand<TFloat32> candidate = a.activation().apply(tf, g.get(2));
      Operand<TFloat32> o = a.recurrentActivation().apply(tf, g.get(3));
      Operand<TFloat32> c = SameShapeMath.add(tf, SameShapeMath.mul(tf, prev.c(), f), SameShapeMath.mul(tf, candidate, i));
      return new State(SameShapeMath.mul(tf, a.activation().apply(tf, c), o), c);
    }
  }
}
