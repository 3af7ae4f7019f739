package dev.sentigraph.spark;

import dev.sentigraph.train.TrainingGraph;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One worker's part of an averaging round, run as a Spark task on its shard of the epoch: sets the executor's
 * training graph to the broadcast state, trains up to {@code batches} batches from batch {@code firstBatch} of the
 * shard, and returns the new state. A retried task starts again from the broadcast state, so a lost executor
 * costs only the round in flight.
 */
final class RoundTask implements Function2<Integer, Iterator<Review>, Iterator<RoundResult>> {
  private final WorkerSpec spec;
  private final Broadcast<float[]> state;
  private final long step;
  private final int firstBatch;
  private final int batches;
  private final int batchSize;
  private final long seed;
  private final int seqLen;

  RoundTask(WorkerSpec spec, Broadcast<float[]> state, long step, int firstBatch, int batches, int batchSize,
      long seed, int seqLen) {
    this.spec = spec;
    this.state = state;
    this.step = step;
    this.firstBatch = firstBatch;
    this.batches = batches;
    this.batchSize = batchSize;
    this.seed = seed;
    this.seqLen = seqLen;
  }

  /** The dropout seed of worker {@code shard}: the run's own for the first, so one worker trains as one JVM does. */
  static long dropoutSeed(long seed, int shard) {
    return seed + shard * 0x9E3779B97F4A7C15L;
  }

  @Override
  public Iterator<RoundResult> call(Integer shard, Iterator<Review> reviews) {
    long skip = (long) firstBatch * batchSize;
    for (long i = 0; i < skip && reviews.hasNext(); i++) {
      reviews.next(); // the shard is cached deserialized: skipping walks references, it copies nothing
    }
    if (!reviews.hasNext()) {
      return List.of(RoundResult.NONE).iterator();
    }
    long started = System.nanoTime();
    TrainingGraph graph = ExecutorGraphs.borrow(spec);
    try {
      long t0 = System.nanoTime();
      graph.writeState(state.value(), step);
      long sync = System.nanoTime() - t0;
      long stepNanos = 0;
      double lossSum = 0;
      double accuracySum = 0;
      long rows = 0;
      int done = 0;
      long dropout = dropoutSeed(seed, shard);
      int[] tokens = new int[batchSize * seqLen];
      float[] labels = new float[batchSize];
      while (done < batches && reviews.hasNext()) {
        int n = 0;
        while (n < batchSize && reviews.hasNext()) {
          Review r = reviews.next();
          System.arraycopy(r.tokens(), 0, tokens, n * seqLen, seqLen);
          labels[n++] = r.label();
        }
        int[] batchTokens = n == batchSize ? tokens : java.util.Arrays.copyOf(tokens, n * seqLen);
        float[] batchLabels = n == batchSize ? labels : java.util.Arrays.copyOf(labels, n);
        long s = System.nanoTime();
        TrainingGraph.StepResult result = graph.trainStep(batchTokens, batchLabels, n,
            new long[] {dropout, step + done + 1});
        stepNanos += System.nanoTime() - s;
        lossSum += result.loss() * n;
        accuracySum += result.accuracy() * n;
        rows += n;
        done++;
      }
      long t1 = System.nanoTime();
      float[] out = graph.readState();
      sync += System.nanoTime() - t1;
      return List.of(new RoundResult(out, done, lossSum, accuracySum, rows, 1, stepNanos, sync,
          System.nanoTime() - started)).iterator();
    } finally {
      ExecutorGraphs.giveBack(spec, graph);
    }
  }
}
