package dev.sentigraph.spark;

/**
 * What the averaging rounds of a run cost, summed over its rounds: the figures the scaling model in docs/spark.md
 * is made of.
 *
 * @param rounds averaging rounds run
 * @param workerBatches batches trained, summed over workers
 * @param stateBytes bytes of one state (weights and optimizer slots, float32): what each worker receives by
 *     broadcast and sends back per round
 * @param roundNanos the driver's wall time in rounds (broadcast, tasks, treeAggregate, setting its own graph)
 * @param stepNanos time in training steps, summed over workers
 * @param syncNanos time workers spent setting and reading their graph state, summed over workers
 * @param slowestWorkerNanos per round, the slowest worker's time in its task's training and state handling, summed
 * @param driverCpuNanos the driver JVM's CPU time over the rounds (all its threads)
 */
public record SparkTrainingStats(long rounds, long workerBatches, long stateBytes, long roundNanos, long stepNanos,
    long syncNanos, long slowestWorkerNanos, long driverCpuNanos) {
  static final SparkTrainingStats NONE = new SparkTrainingStats(0, 0, 0, 0, 0, 0, 0, 0);

  SparkTrainingStats plus(RoundResult r, long stateBytes, long roundNanos, long driverCpuNanos) {
    return new SparkTrainingStats(rounds + 1, workerBatches + r.batches, stateBytes, this.roundNanos + roundNanos,
        stepNanos + r.stepNanos, syncNanos + r.syncNanos, slowestWorkerNanos + r.maxWorkerNanos,
        this.driverCpuNanos + driverCpuNanos);
  }

  /** Mean milliseconds per training step on a worker. */
  public double stepMs() {
    return workerBatches == 0 ? Double.NaN : stepNanos / 1e6 / workerBatches;
  }

  /** Mean seconds per round on the driver's clock. */
  public double roundSeconds() {
    return rounds == 0 ? Double.NaN : roundNanos / 1e9 / rounds;
  }

  /**
   * Mean seconds per round not spent in the slowest worker's task: broadcast, scheduling, treeAggregate, the driver's
   * own state update; the price of one averaging.
   */
  public double averagingSeconds() {
    return rounds == 0 ? Double.NaN : (roundNanos - slowestWorkerNanos) / 1e9 / rounds;
  }

  /** Bytes moved per round by {@code workers} workers: the state down to each and back from each. */
  public long bytesPerRound(int workers) {
    return 2L * workers * stateBytes;
  }
}
