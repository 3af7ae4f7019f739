package dev.sentigraph.spark;

import dev.sentigraph.data.PaddedSequences;
import dev.sentigraph.train.EpochTrainer;
import dev.sentigraph.train.FitLoop;
import dev.sentigraph.train.TrainSettings;
import dev.sentigraph.train.TrainingGraph;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Synchronous data-parallel training on Spark, as DL4J's parameter averaging does it: each epoch the training
 * reviews are dealt to {@code workers} partitions in the epoch's shuffled order (a Spark shuffle, from the run
 * seed), and each {@link #train} call is one round: the driver broadcasts its graph's state (weights, optimizer
 * slots), every worker trains {@code averagingFrequency} batches of its shard from it ({@link RoundTask}), each a
 * {@code workers}-th of the run's batch size, and
 * {@code treeAggregate} averages what they send back into the driver's graph. The fit loop around it checkpoints,
 * validates and reports as it does for one JVM.
 */
final class SparkEpochTrainer implements EpochTrainer, AutoCloseable {
  private final JavaSparkContext sc;
  private final TrainingGraph graph;
  private final TrainSettings settings;
  private final SparkTrainingOptions options;
  private final WorkerSpec spec;
  private final int size;
  private final int seqLen;
  private final int workerBatch;
  private final ShardPartitioner shards;
  private final JavaRDD<Review> reviews;
  private final List<Broadcast<?>> broadcasts = new ArrayList<>();
  private JavaRDD<Review> epochShards;
  private int shardedEpoch = -1;
  private SparkTrainingStats stats = SparkTrainingStats.NONE;
  /** The mean the last round wrote into the driver's graph, and the step it wrote with: next round's start. */
  private float[] written;
  private long writtenStep = -1;

  SparkEpochTrainer(JavaSparkContext sc, TrainingGraph graph, PaddedSequences train, TrainSettings settings,
      SparkTrainingOptions options, WorkerSpec spec) {
    this.sc = sc;
    this.graph = graph;
    this.settings = settings;
    this.options = options;
    this.spec = spec;
    this.size = train.size();
    this.seqLen = train.seqLen();
    this.shards = new ShardPartitioner(options.workers(), size);
    // the run's batch size is the global batch, split over the workers (as Keras' MirroredStrategy splits it): an
    // epoch then takes as many averaged steps as one JVM takes steps, so the same epochs train as far
    this.workerBatch = (settings.batchSize() + options.workers() - 1) / options.workers();
    reviews = distribute(sc, train, options.workers());
  }

  /**
   * The training reviews as an RDD cached on the executors, about a {@code slices}-th on each: fetched once from a
   * broadcast (chunked, so no task carries the data past Spark's message size limit), which the executors then drop.
   */
  private static JavaRDD<Review> distribute(JavaSparkContext sc, PaddedSequences train, int slices) {
    Broadcast<int[]> tokens = sc.broadcast(train.tokens());
    Broadcast<int[]> labels = sc.broadcast(train.labels());
    int seq = train.seqLen();
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      ids.add(i);
    }
    int size = train.size();
    JavaRDD<Review> rows = sc.parallelize(ids, slices).flatMap(slice -> {
      int[] t = tokens.value();
      int[] l = labels.value();
      List<Review> out = new ArrayList<>();
      for (int i = (int) ((long) slice * size / slices); i < (int) ((long) (slice + 1) * size / slices); i++) {
        out.add(new Review(i, Arrays.copyOfRange(t, i * seq, (i + 1) * seq), l[i]));
      }
      return out.iterator();
    }).persist(StorageLevel.MEMORY_ONLY());
    rows.count();
    // unpersist, not destroy: the driver keeps its copy, so that a lost executor's slice can be made again
    tokens.unpersist(false);
    labels.unpersist(false);
    return rows;
  }

  @Override
  public int stepsPerEpoch() {
    return (shards.shardSize(0) + workerBatch - 1) / workerBatch; // shard 0 is a largest one
  }

  @Override
  public Trained train(int epoch, int batch, long step) {
    long cpu0 = driverCpuNanos();
    long t0 = System.nanoTime();
    JavaRDD<Review> epochData = shardsOf(epoch);
    int batches = Math.min(options.averagingFrequency(), stepsPerEpoch() - batch);
    // the graph changes only through this trainer while the loop runs; reading it back would copy the state again
    Broadcast<float[]> state = sc.broadcast(written != null && writtenStep == step ? written : graph.readState());
    RoundResult r;
    try {
      r = epochData.mapPartitionsWithIndex(new RoundTask(spec, state, step, batch, batches, workerBatch,
          settings.seed(), seqLen), true).treeAggregate(RoundResult.NONE, RoundResult::merge, RoundResult::merge,
          options.aggregationDepth());
    } finally {
      state.destroy();
    }
    if (r.state != null) {
      // the step counter as every worker that trained the whole round has it
      graph.writeState(r.state, step + batches);
      written = r.state;
      writtenStep = step + batches;
    }
    stats = stats.plus(r, 4L * graph.stateSize(), System.nanoTime() - t0, driverCpuNanos() - cpu0);
    return new Trained(batches, r.lossSum, r.accuracySum, (int) r.rows);
  }

  /** The epoch's reviews, dealt in its shuffled order: worker k gets the k-th contiguous slice, in order. */
  private JavaRDD<Review> shardsOf(int epoch) {
    if (epoch == shardedEpoch) {
      return epochShards;
    }
    int[] order = FitLoop.epochOrder(settings.seed(), epoch, size);
    int[] position = new int[size];
    for (int p = 0; p < size; p++) {
      position[order[p]] = p;
    }
    Broadcast<int[]> positions = sc.broadcast(position);
    broadcasts.add(positions);
    JavaPairRDD<Integer, Review> keyed = reviews.mapToPair(r -> new Tuple2<>(positions.value()[r.index()], r));
    JavaRDD<Review> dealt = keyed.repartitionAndSortWithinPartitions(shards).values()
        .persist(StorageLevel.MEMORY_ONLY());
    if (epochShards != null) {
      epochShards.unpersist(false);
    }
    epochShards = dealt;
    shardedEpoch = epoch;
    return dealt;
  }

  SparkTrainingStats stats() {
    return stats;
  }

  private static long driverCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
  }

  @Override
  public void close() {
    if (epochShards != null) {
      epochShards.unpersist(false);
    }
    reviews.unpersist(false);
    broadcasts.forEach(b -> b.destroy());
  }
}
