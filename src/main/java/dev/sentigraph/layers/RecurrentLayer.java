package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' RNN loop around a cell: input and recurrent dropout with one mask per batch reused at every step,
 * the input projection for all steps done as one matmul before the loop, and the loop unrolled in the graph
 * (TF Java cannot differentiate through {@code whileLoop}). SimpleRNN, LSTM and GRU are this loop plus a cell.
 */
public abstract class RecurrentLayer implements Layer, TableInput {
  private final LayerConfig config;
  protected final int units;
  protected final double dropout;
  protected final double recurrentDropout;
  protected final boolean returnSequences;
  protected final RecurrentCell cell;
  /**
   * Set by a Bidirectional wrapper: its forward and backward layers already are two independent recurrences, one
   * per core, so splitting the batch as well only adds ops (bilstm training 458 -> 255 ms/step next to Keras'
   * ~475, predict 433 -> 481 reviews/s, on 2 cores).
   */
  boolean wrapped;

  RecurrentLayer(LayerConfig config, LayerArgs args, java.util.function.Function<LayerArgs, RecurrentCell> cellFactory) {
    this.config = config;
    this.units = args.requirePositiveInt("units");
    this.dropout = rate(args, "dropout");
    this.recurrentDropout = rate(args, "recurrent_dropout");
    this.returnSequences = args.getBoolean("return_sequences", false);
    for (String key : List.of("go_backwards", "stateful", "return_state", "time_major")) {
      if (args.getBoolean(key, false)) {
        throw args.error(key, "is not supported: only false works");
      }
    }
    args.getBoolean("unroll", false); // the graph is unrolled (or fused) either way
    for (String key : List.of("kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint")) {
      args.requireDefault(key, null);
    }
    args.getBoolean("zero_output_for_mask", false);
    args.getBoolean("use_cudnn", false);
    this.cell = cellFactory.apply(args);
    args.rejectUnknown();
  }

  private static double rate(LayerArgs args, String key) {
    double r = args.getDouble(key, 0);
    if (!(r >= 0 && r < 1)) {
      throw args.error(key, "expected a rate in [0, 1), got " + r);
    }
    return r;
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  /**
   * Training graphs run their chains best with a thread each (rnn 113 -> 99 ms/step, cnn-gru 108 -> 92);
   * unrolled SimpleRNN/GRU inference is slower so (-15-24%) and keeps shared pools. LSTM overrides this.
   */
  @Override
  public Threading threading(GraphMode mode) {
    return mode == GraphMode.TRAIN ? Threading.PER_CHAIN : Threading.SHARED;
  }

  @Override
  public String kerasWeightsGroup() {
    return "cell/vars";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    Layer.requireSequence(inputShape, "features", " (a recurrent layer needs a sequence: put it after Embedding,"
        + " Conv1D or a return_sequences layer)");
    return returnSequences ? new long[] {inputShape[0], units} : new long[] {units};
  }

  @Override
  public List<WeightSpec> weights(long[] inputShape) {
    return cell.weights(inputShape[1], units);
  }

  /**
   * Whether training graphs split the batch too. The split doubles the unrolled graph and its gradient; it pays
   * where a cell's steps are few ops apiece (SimpleRNN, GRU: figures in docs/performance.md).
   */
  protected boolean splitsWhileTraining() {
    return false;
  }

  @Override
  public long forwardFlops(long[] inputShape) {
    return 2L * inputShape[0] * (inputShape[1] + units) * cell.gates() * units;
  }

  @Override
  public Operand<TFloat32> call(LayerCall call) {
    Ops tf = call.tf();
    long steps = call.inputShape()[0];
    long inputDim = call.inputShape()[1];
    Operand<TFloat32> x = call.floatInput();
    Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    if (call.training() && dropout > 0) {
      Operand<TFloat32> ones = tf.ones(tf.concat(List.of(batch, tf.constant(new int[] {(int) inputDim})), tf.constant(0)), TFloat32.class);
      x = tf.math.mul(x, tf.expandDims(DropoutLayer.apply(tf, ones, dropout, call.seedFor(0)), tf.constant(1)));
    }
    Operand<TFloat32> zeros = zeroState(tf, batch);
    Operand<TFloat32> recurrentMask = call.training() && recurrentDropout > 0
        ? DropoutLayer.apply(tf, tf.onesLike(zeros), recurrentDropout, call.seedFor(1)) : null;
    return run(tf, x, steps, inputDim, zeros, call.weights(), recurrentMask, chains(call.training()), call.training());
  }

  /** The [batch, units] zero state for a batch of size {@code batch} ([1] int32). */
  private Operand<TFloat32> zeroState(Ops tf, Operand<TInt32> batch) {
    return tf.zeros(tf.concat(List.of(batch, tf.constant(new int[] {units})), tf.constant(0)), TFloat32.class);
  }

  private int chains(boolean training) {
    return wrapped ? 1 : BatchChains.unrolled(units, training, splitsWhileTraining());
  }

  /**
   * Runs the layer over every step, the batch cut into {@code chains} independent recurrences ({@link
   * BatchChains}); a layer with a fused kernel overrides this.
   */
  protected Operand<TFloat32> run(Ops tf, Operand<TFloat32> x, long steps, long inputDim, Operand<TFloat32> zeros,
      List<Operand<TFloat32>> w, Operand<TFloat32> recurrentMask, int chains, boolean training) {
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new long[] {-1, inputDim}));
    Operand<TFloat32> projected = tf.reshape(project(tf, flat, w), tf.constant(new long[] {-1, steps, projectionWidth()}));
    return recur(tf, projected, steps, zeros, w, recurrentMask, chains, training);
  }

  /** Width of the input projection: gates times units. */
  @Override
  public long projectionWidth() {
    return (long) cell.gates() * units;
  }

  /** The input projection {@code x . kernel} (+ the cell's input bias) of rows {@code x} [n, inputDim]. */
  @Override
  public Operand<TFloat32> project(Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> w) {
    Operand<TFloat32> projected = tf.linalg.matMul(x, w.get(0));
    Operand<TFloat32> bias = cell.inputBias(tf, w);
    return bias == null ? projected : tf.nn.biasAdd(projected, bias);
  }

  /**
   * Serving and evaluation graphs always can; in training, input or recurrent dropout would mask the rows, and a
   * fused kernel multiplies its own input.
   */
  @Override
  public boolean takesTable(GraphMode mode) {
    return mode != GraphMode.TRAIN || dropout == 0 && recurrentDropout == 0 && !fusesInput();
  }

  /** Whether {@link #run} multiplies the input itself in a fused kernel (LSTM's BlockLSTMV2). */
  protected boolean fusesInput() {
    return false;
  }

  /**
   * The unrolled loop from projected rows. Serving looks each step's rows up in the cached table, so the steps
   * hold only the lookup, the recurrent matmul and the gates and no [batch, steps, width] copy is made;
   * training gathers all rows at once, so the table's gradient is one segment sum.
   */
  @Override
  public Operand<TFloat32> callFromTable(Ops tf, Operand<TFloat32> table, Operand<TInt32> ids, long steps,
      List<Operand<TFloat32>> w, GraphMode mode) {
    Operand<TFloat32> zeros = zeroState(tf, tf.slice(tf.shape(ids), tf.constant(new int[] {0}), tf.constant(new int[] {1})));
    int chains = chains(mode == GraphMode.TRAIN);
    if (mode != GraphMode.SERVE) {
      return recur(tf, tf.gather(table, ids, tf.constant(0)), steps, zeros, w, null, chains, mode == GraphMode.TRAIN);
    }
    List<List<List<Operand<TFloat32>>>> inputs = new ArrayList<>();
    for (Operand<TInt32> part : BatchChains.split(tf, ids, chains, 0)) {
      List<List<Operand<TFloat32>>> perStep = new ArrayList<>();
      for (Operand<TInt32> stepIds : tf.unstack(part, steps, Unstack.axis(1L)).output()) {
        perStep.add(cell.inputParts(tf, tf.gather(table, stepIds, tf.constant(0)), 1, w));
      }
      inputs.add(perStep);
    }
    return recur(tf, inputs, BatchChains.split(tf, zeros, chains, 0), w, null, false);
  }

  /** The cell unrolled over the projected input [batch, steps, width], one recurrence per batch chain. */
  private Operand<TFloat32> recur(Ops tf, Operand<TFloat32> projected, long steps, Operand<TFloat32> zeros,
      List<Operand<TFloat32>> w, Operand<TFloat32> recurrentMask, int chains, boolean training) {
    List<List<List<Operand<TFloat32>>>> inputs = new ArrayList<>();
    for (Operand<TFloat32> part : BatchChains.split(tf, projected, chains, 0)) {
      List<List<Operand<TFloat32>>> perStep = new ArrayList<>();
      for (int t = 0; t < steps; t++) {
        perStep.add(new ArrayList<>());
      }
      for (Operand<TFloat32> columns : cell.inputParts(tf, part, 2, w)) {
        List<org.tensorflow.Output<TFloat32>> unstacked = tf.unstack(columns, steps, Unstack.axis(1L)).output();
        for (int t = 0; t < steps; t++) {
          perStep.get(t).add(unstacked.get(t));
        }
      }
      inputs.add(perStep);
    }
    List<Operand<TFloat32>> ms = recurrentMask == null ? null : BatchChains.split(tf, recurrentMask, chains, 0);
    return recur(tf, inputs, BatchChains.split(tf, zeros, chains, 0), w, ms, training);
  }

  /** The cell over each chain's per-step projected inputs, from each chain's zero state; outputs joined. */
  private Operand<TFloat32> recur(Ops tf, List<List<List<Operand<TFloat32>>>> inputs, List<Operand<TFloat32>> zeros,
      List<Operand<TFloat32>> w, List<Operand<TFloat32>> masks, boolean training) {
    List<Operand<TFloat32>> stepWeights = cell.stepWeights(tf, w);
    List<Operand<TFloat32>> results = new ArrayList<>();
    for (int k = 0; k < inputs.size(); k++) {
      results.add(chain(tf, inputs.get(k), zeros.get(k), stepWeights, masks == null ? null : masks.get(k), training));
    }
    return results.size() == 1 ? results.get(0) : tf.concat(results, tf.constant(0));
  }

  /**
   * One chain: the cell over its steps' projected inputs from its zero state; the last h, or every step's h with
   * {@code return_sequences}. A layer with a backward of its own overrides this for training graphs.
   */
  protected Operand<TFloat32> chain(Ops tf, List<List<Operand<TFloat32>>> steps, Operand<TFloat32> zeros,
      List<Operand<TFloat32>> stepWeights, Operand<TFloat32> mask, boolean training) {
    RecurrentCell.State state = new RecurrentCell.State(zeros, zeros);
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (List<Operand<TFloat32>> xp : steps) {
      state = cell.step(tf, xp, state, stepWeights, mask);
      if (returnSequences) {
        outputs.add(state.h());
      }
    }
    return returnSequences ? tf.stack(outputs, org.tensorflow.op.core.Stack.axis(1L)) : state.h();
  }
}
