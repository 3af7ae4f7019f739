package dev.sentigraph.spark;

import dev.sentigraph.train.EpochLogs;
import dev.sentigraph.train.FitLoop;
import dev.sentigraph.train.RunFolder;
import dev.sentigraph.train.TrainingListener;
import dev.sentigraph.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A {@link TrainingRun} whose batches train data-parallel on Spark executors: the same presets, configs, data,
 * optimizers, seeds, epochs, early stopping and resumable run folder as {@code sentigraph train}, written by the
 * driver, with weights and optimizer slots averaged every few batches ({@link SparkTrainingOptions}).
 *
 * <pre>{@code
 * SparkTrainingRun run = SparkTrainingRun.of(sc, TrainingRun.of(Presets.get("lstm"))
 *     .data(d -> d.withSource(Path.of("imdb.npz"))).out(Path.of("runs/lstm")), SparkTrainingOptions.of(4));
 * TrainingRun.Result r = run.run();
 * }</pre>
 */
public final class SparkTrainingRun {
  private final JavaSparkContext sc;
  private final SparkTrainingOptions options;
  private final String id = UUID.randomUUID().toString();
  private final TrainingRun run;
  private SparkEpochTrainer trainer;

  private SparkTrainingRun(JavaSparkContext sc, TrainingRun.Builder builder, SparkTrainingOptions options)
      throws IOException {
    this.sc = sc;
    this.options = options;
    RoundCheckpointer rounds = options.checkpointRounds() == null ? null
        : new RoundCheckpointer(options.checkpointRounds());
    builder.epochTrainer((graph, train, settings) -> {
      trainer = new SparkEpochTrainer(sc, graph, train, settings, options,
          WorkerSpec.of(id, graph.model().model().config(), settings, options.executorThreads()));
      return trainer;
    });
    if (rounds != null) {
      builder.listener(rounds);
    }
    run = builder.build();
    if (rounds != null) {
      rounds.run = run.runFolder();
    }
  }

  /** {@code builder}'s run (a new one, or {@link TrainingRun#resume}), its batches trained on {@code sc}'s executors. */
  public static SparkTrainingRun of(JavaSparkContext sc, TrainingRun.Builder builder, SparkTrainingOptions options)
      throws IOException {
    return new SparkTrainingRun(sc, builder, options);
  }

  /** The run itself: its folder, model, settings, data. */
  public TrainingRun training() {
    return run;
  }

  public SparkTrainingOptions options() {
    return options;
  }

  /** Trains as {@link TrainingRun#run()} does; the executors' training graphs are closed when it ends. */
  public TrainingRun.Result run() throws IOException {
    try {
      return run.run();
    } finally {
      if (trainer != null) {
        trainer.close();
      }
      releaseGraphs();
    }
  }

  /** What the rounds cost so far. */
  public SparkTrainingStats stats() {
    return trainer == null ? SparkTrainingStats.NONE : trainer.stats();
  }

  /** Closes the executors' graphs of this run: a few tasks per worker, so that every executor likely gets one. */
  private void releaseGraphs() {
    if (sc.sc().isStopped()) {
      return;
    }
    int tasks = 4 * Math.max(options.workers(), sc.defaultParallelism());
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      ids.add(i);
    }
    String run = id;
    try {
      sc.parallelize(ids, tasks).foreach(i -> ExecutorGraphs.release(run));
    } catch (RuntimeException e) {
      // best effort: an executor that is gone has freed its graphs with its JVM
    }
  }

  /** Checkpoints every N rounds within an epoch (as {@code round}), so a killed driver loses at most N rounds. */
  private static final class RoundCheckpointer implements TrainingListener {
    private final int every;
    private RunFolder run;
    private FitLoop loop;
    private int rounds;

    RoundCheckpointer(int every) {
      this.every = every;
    }

    @Override
    public void onTrainBegin(FitLoop fit) {
      loop = fit;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int steps, double loss, double accuracy) {
      if (++rounds % every == 0 && batch < steps) { // the epoch's own checkpoint follows at its end
        try {
          run.writeCheckpoint("round", prefix -> loop.graph().save(prefix), loop.state());
        } catch (IOException e) {
          throw new UncheckedIOException("could not write checkpoint round in " + run.dir() + ": " + e.getMessage(), e);
        }
      }
    }

    @Override
    public void onEpochEnd(EpochLogs logs, FitLoop fit) {
      rounds = 0;
    }
  }
}
