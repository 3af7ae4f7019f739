package dev.sentigraph.spark;

import org.apache.spark.Partitioner;

/**
 * Deals an epoch's shuffled positions 0..size-1 to {@code shards} contiguous, equal (to one review) ranges, so each
 * worker trains a slice of the epoch's order; with one shard its batches are exactly those of single-machine
 * training.
 */
final class ShardPartitioner extends Partitioner {
  private final int shards;
  private final int size;

  ShardPartitioner(int shards, int size) {
    this.shards = shards;
    this.size = size;
  }

  @Override
  public int numPartitions() {
    return shards;
  }

  @Override
  public int getPartition(Object key) {
    return (int) ((long) (Integer) key * shards / size);
  }

  /** Reviews in shard {@code shard}. */
  int shardSize(int shard) {
    return first(shard + 1) - first(shard);
  }

  private int first(int shard) {
    // the smallest position p with p * shards / size >= shard
    return (int) (((long) shard * size + shards - 1) / shards);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardPartitioner p && p.shards == shards && p.size == size;
  }

  @Override
  public int hashCode() {
    return 31 * shards + size;
  }
}
