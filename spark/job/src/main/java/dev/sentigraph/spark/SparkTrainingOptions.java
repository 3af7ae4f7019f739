package dev.sentigraph.spark;

import dev.sentigraph.InvalidInputException;

/**
 * How a run trains on Spark.
 *
 * @param workers model replicas training side by side, one Spark partition (task) each per round
 * @param averagingFrequency batches each worker trains between two averagings (DL4J's averagingFrequency)
 * @param aggregationDepth depth of Spark's {@code treeAggregate} over the workers' states
 * @param checkpointRounds also checkpoint every this many rounds within an epoch (null: after each epoch only)
 * @param executorThreads cores per executor that TensorFlow may use (null: TensorFlow's defaults)
 */
public record SparkTrainingOptions(int workers, int averagingFrequency, int aggregationDepth, Integer checkpointRounds,
    Integer executorThreads) {
  public SparkTrainingOptions {
    if (workers <= 0) {
      throw new InvalidInputException("workers " + workers + " must be positive", "workers");
    }
    if (averagingFrequency <= 0) {
      throw new InvalidInputException("averaging frequency " + averagingFrequency + " must be positive",
          "averagingFrequency");
    }
    if (aggregationDepth < 1) {
      throw new InvalidInputException("aggregation depth " + aggregationDepth + " must be at least 1", "aggregationDepth");
    }
    if (checkpointRounds != null && checkpointRounds <= 0) {
      throw new InvalidInputException("checkpoint rounds " + checkpointRounds + " must be positive", "checkpointRounds");
    }
    if (executorThreads != null && executorThreads <= 0) {
      throw new InvalidInputException("executor threads " + executorThreads + " must be positive", "executorThreads");
    }
  }

  /** {@code workers} replicas averaging every 5 batches, treeAggregate depth 2, checkpoints per epoch. */
  public static SparkTrainingOptions of(int workers) {
    return new SparkTrainingOptions(workers, 5, 2, null, null);
  }

  public SparkTrainingOptions withAveragingFrequency(int batches) {
    return new SparkTrainingOptions(workers, batches, aggregationDepth, checkpointRounds, executorThreads);
  }

  public SparkTrainingOptions withAggregationDepth(int depth) {
    return new SparkTrainingOptions(workers, averagingFrequency, depth, checkpointRounds, executorThreads);
  }

  public SparkTrainingOptions withCheckpointRounds(Integer rounds) {
    return new SparkTrainingOptions(workers, averagingFrequency, aggregationDepth, rounds, executorThreads);
  }

  public SparkTrainingOptions withExecutorThreads(Integer threads) {
    return new SparkTrainingOptions(workers, averagingFrequency, aggregationDepth, checkpointRounds, threads);
  }
}
