package dev.sentigraph.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Splits a batch into independent recurrences that run side by side: a recurrent step's small matmuls leave
 * cores idle, while two chains each keep one busy (tf-java.md). Examples never mix, so the numerics do not
 * change; a batch smaller than the chain count leaves some chains empty, which the kernels accept.
 */
final class BatchChains {
  private BatchChains() {}

  /** The chain count from {@code variable}, else {@code fallback}: for measurements. */
  static int fromEnv(String variable, int fallback) {
    String v = System.getenv(variable);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.strip());
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
