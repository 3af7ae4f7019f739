package dev.sentigraph.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The arithmetic of a round, without Spark: how states merge and how an epoch's positions are dealt. */
class AveragingTest {
  private static RoundResult worker(long batches, float... state) {
    return new RoundResult(batches == 0 ? null : state, batches, batches * 0.5, batches * 0.25, batches * 10, 1,
        batches, 2, batches * 3);
  }

  @Test
  void oneStatePassesThroughBitForBit() {
    float[] s = {0.1f, (float) Math.PI, -7e-9f};
    RoundResult r = RoundResult.merge(RoundResult.NONE, worker(3, s));
    assertSame(s, r.state);
    assertSame(s, RoundResult.merge(r, worker(0)).state, "a worker whose shard ran out adds nothing");
    assertEquals(3, r.batches);
  }

  @Test
  void statesAverageWeightedByBatchesInAnyGrouping() {
    RoundResult a = worker(5, 1f, 10f);
    RoundResult b = worker(5, 3f, 20f);
    RoundResult c = worker(2, 8f, 0f);
    float[] want = {(5 * 1f + 5 * 3f + 2 * 8f) / 12, (5 * 10f + 5 * 20f) / 12};
    assertArrayEquals(want, RoundResult.merge(RoundResult.merge(a, b), c).state, 1e-6f);
    assertArrayEquals(want, RoundResult.merge(a, RoundResult.merge(c, b)).state, 1e-6f);
    RoundResult all = RoundResult.merge(RoundResult.merge(a, b), c);
    assertEquals(12, all.batches);
    assertEquals(120, all.rows);
    assertEquals(3, all.workers);
    assertEquals(15, all.maxWorkerNanos, "the slowest worker, not the sum");
    assertEquals(6, all.syncNanos);
  }

  @Test
  void shardsAreContiguousAndEven() {
    for (int[] c : new int[][] {{1, 10}, {2, 10}, {3, 10}, {4, 1200}, {7, 25000}}) {
      ShardPartitioner p = new ShardPartitioner(c[0], c[1]);
      int[] counts = new int[c[0]];
      int last = 0;
      for (int pos = 0; pos < c[1]; pos++) {
        int shard = p.getPartition(pos);
        assertEquals(true, shard == last || shard == last + 1, "contiguous at " + pos);
        last = shard;
        counts[shard]++;
      }
      int total = 0;
      for (int s = 0; s < c[0]; s++) {
        assertEquals(counts[s], p.shardSize(s), "shard " + s + " of " + c[0]);
        assertEquals(true, counts[s] <= p.shardSize(0), "shard 0 is a largest one");
        assertEquals(true, counts[0] - counts[s] <= 1, "even to one review");
        total += counts[s];
      }
      assertEquals(c[1], total);
    }
  }
}
