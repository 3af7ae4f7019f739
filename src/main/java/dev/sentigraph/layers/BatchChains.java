package dev.sentigraph.layers;

import dev.sentigraph.config.ExecutionOptions;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Splits a batch into independent recurrences that run side by side: a recurrent step's small matmuls leave
 * cores idle, while two chains each keep one busy (tf-java.md). Examples never mix, so the numerics do not
 * change; a batch smaller than the chain count leaves some chains empty, which the kernels accept. This class
 * is the one place that decides how many chains a layer runs (figures in docs/performance.md).
 */
public final class BatchChains {
  /** Unrolled loops: inference graphs of 32+ units run two chains (rnn, cnn-gru: +45-55% reviews/s). */
  private static final int UNROLLED = 2;
  /** Fused BlockLSTMV2: two chains in training and inference (B128 x T500: 503 -> 373 ms/step; 4 chains 511). */
  private static final int FUSED = 2;
  /** Tiny cells (irnn's 5 units) only pay the extra ops. */
  private static final int MIN_UNITS_TO_SPLIT = 32;
  /** The caller's counts for graphs being built on this thread ({@link #building}). */
  private static final ThreadLocal<ExecutionOptions> OPTIONS = ThreadLocal.withInitial(() -> ExecutionOptions.DEFAULT);

  private BatchChains() {}

  /** Chains of an unrolled loop; training graphs split only where the layer says it pays. */
  static int unrolled(int units, boolean training, boolean splitsWhileTraining) {
    Integer given = OPTIONS.get().rnnChains();
    if (given != null) {
      return given;
    }
    return units < MIN_UNITS_TO_SPLIT || training && !splitsWhileTraining ? 1 : UNROLLED;
  }

  /** Chains of the fused LSTM kernel. */
  static int fused() {
    Integer given = OPTIONS.get().lstmChains();
    return given != null ? given : FUSED;
  }

  /**
   * Runs {@code build} with the chain counts of {@code options}: layers ask {@link #unrolled} and {@link #fused}
   * while they add their ops, deep inside a model's build, so the counts travel with the building thread.
   */
  public static <T> T building(ExecutionOptions options, java.util.function.Supplier<T> build) {
    ExecutionOptions outer = OPTIONS.get();
    OPTIONS.set(options);
    try {
      return build.get();
    } finally {
      OPTIONS.set(outer);
    }
  }

  /** {@code x} cut along {@code axis} into {@code chains} nearly equal parts (the last takes the remainder). */
  static <T extends TType> List<Operand<T>> split(Ops tf, Operand<T> x, int chains, int axis) {
    List<Operand<T>> parts = new ArrayList<>();
    if (chains <= 1) {
      parts.add(x);
      return parts;
    }
    Operand<TInt64> size = tf.slice(tf.shape(x, TInt64.class), tf.constant(new long[] {axis}), tf.constant(new long[] {1}));
    Operand<TInt64> share = tf.math.floorDiv(size, tf.constant(new long[] {chains}));
    List<Operand<TInt64>> sizes = new ArrayList<>();
    for (int k = 0; k < chains - 1; k++) {
      sizes.add(share);
    }
    sizes.add(tf.math.sub(size, tf.math.mul(share, tf.constant(new long[] {chains - 1}))));
    tf.splitV(x, tf.concat(sizes, tf.constant(0)), tf.constant(axis), (long) chains).output().forEach(parts::add);
    return parts;
  }
}
