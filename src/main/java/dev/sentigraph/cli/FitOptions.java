package dev.sentigraph.cli;

import dev.sentigraph.train.TrainingRun;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of a training run as {@code model.fit} has them, shared by {@code sentigraph train} and the Spark
 * training job: epochs, batch, optimizer, validation, seed, early stopping, run folder, resume, TensorBoard.
 */
public final class FitOptions {
  @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the preset's).")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "B", description = "Batch size (default: the preset's).")
  Integer batchSize;

  @Option(names = "--optimizer", paramLabel = "NAME", description = "adam, rmsprop, sgd or adagrad, with Keras 3 defaults.")
  String optimizer;

  @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: the preset's, or Keras' default for --optimizer).")
  Double lr;

  @Option(names = "--validation", paramLabel = "test|split:F|none",
      description = "Validate on the test split (the notebooks' habit), on the last fraction F of train, or not at all.")
  String validation;

  @Option(names = "--seed", paramLabel = "S", description = "Seed for weights, shuffling and dropout (default 1).")
  Long seed;

  @Option(names = "--early-stopping", paramLabel = "PATIENCE",
      description = "Stop after PATIENCE epochs without val_loss improvement and restore the best weights.")
  Integer patience;

  @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run folder to create (default runs/<preset>-<time>).")
  Path out;

  @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue a run from its last checkpoint.")
  Path resume;

  @Option(names = "--tensorboard", paramLabel = "DIR", description = "Write TensorBoard scalars per epoch.")
  Path tensorboard;

  @Option(names = "--train-limit", paramLabel = "N", description = "Use only the first N training reviews (smoke runs).")
  Integer trainLimit;

  /** The run folder to continue, or null for a new run. */
  public Path resume() {
    return resume;
  }

  /** These options on {@code builder}: a resumed run takes only a new epoch count, the rest is the run's own. */
  public TrainingRun.Builder applyTo(TrainingRun.Builder builder) {
    return builder.train(t -> resume != null ? t.with(null, null, null, epochs, null, null)
            : t.with(optimizer, lr, batchSize, epochs, validation, seed))
        .earlyStopping(patience).out(out).trainLimit(trainLimit).tensorBoard(tensorboard);
  }
}
