package dev.sentigraph.train;

import dev.sentigraph.data.PaddedSequences;

/**
 * How {@link FitLoop} trains the batches of an epoch: one batch at a time in the loop's own graph (the default),
 * or somewhere else, e.g. on Spark executors that average their weights every few batches and hand the average
 * back to the loop's graph. The loop keeps epochs, validation, its state and the listeners; a trainer only trains
 * and reports what it trained, so checkpoints, history, early stopping and progress work the same for both.
 */
public interface EpochTrainer {
  /** Makes the trainer of a run, once its graph holds the weights to start from (fresh, restored or given). */
  interface Factory {
    EpochTrainer create(TrainingGraph graph, PaddedSequences train, TrainSettings settings);
  }

  /**
   * What one {@link #train} call did: how many batches of the epoch it advanced (per worker, when several train
   * side by side), and the loss and accuracy summed over every row it trained on (a batch's mean times its rows).
   */
  record Trained(int batches, double lossSum, double accuracySum, int rows) {}

  /** Batches in each epoch, as the loop and its progress count them. */
  int stepsPerEpoch();

  /**
   * Trains from batch {@code batch} (0-based) of {@code epoch} on, at least one batch and at most to the end of the
   * epoch; {@code step} is the global step before it. On return the loop's graph holds the weights after it. A
   * loss sum that is not finite says the loss diverged.
   */
  Trained train(int epoch, int batch, long step);
}
