package dev.sentigraph.spark;

import java.io.Serializable;

/**
 * What workers send back from one averaging round, and what Spark's {@code treeAggregate} makes of several: the mean
 * of their states (weights and optimizer slots) weighted by the batches each trained, the summed loss, accuracy and
 * rows, and where the time went. A worker whose shard ran out before the round adds no state; a lone state passes
 * through unchanged, so one worker's round equals its own training exactly.
 */
final class RoundResult implements Serializable {
  static final RoundResult NONE = new RoundResult(null, 0, 0, 0, 0, 0, 0, 0, 0);

  final float[] state;
  /** Batches trained, the weight of {@link #state} in the mean. */
  final long batches;
  final double lossSum;
  final double accuracySum;
  final long rows;
  final int workers;
  /** Summed over workers: time in training steps, and time setting and reading the graph state. */
  final long stepNanos;
  final long syncNanos;
  /** The slowest worker's time in its task's training and state handling. */
  final long maxWorkerNanos;

  RoundResult(float[] state, long batches, double lossSum, double accuracySum, long rows, int workers, long stepNanos,
      long syncNanos, long maxWorkerNanos) {
    this.state = state;
    this.batches = batches;
    this.lossSum = lossSum;
    this.accuracySum = accuracySum;
    this.rows = rows;
    this.workers = workers;
    this.stepNanos = stepNanos;
    this.syncNanos = syncNanos;
    this.maxWorkerNanos = maxWorkerNanos;
  }

  static RoundResult merge(RoundResult a, RoundResult b) {
    float[] state;
    if (b.batches == 0 || b.state == null) {
      state = a.state;
    } else if (a.batches == 0 || a.state == null) {
      state = b.state;
    } else {
      // a running weighted mean: associative, so treeAggregate may merge in any grouping
      double wa = a.batches / (double) (a.batches + b.batches);
      double wb = 1 - wa;
      state = new float[a.state.length];
      for (int i = 0; i < state.length; i++) {
        state[i] = (float) (wa * a.state[i] + wb * b.state[i]);
      }
    }
    return new RoundResult(state, a.batches + b.batches, a.lossSum + b.lossSum, a.accuracySum + b.accuracySum,
        a.rows + b.rows, a.workers + b.workers, a.stepNanos + b.stepNanos, a.syncNanos + b.syncNanos,
        Math.max(a.maxWorkerNanos, b.maxWorkerNanos));
  }
}
