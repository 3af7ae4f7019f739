package dev.sentigraph.train;

/**
 * Hooks into {@link FitLoop}: progress bars, history files, checkpoints and stopping rules are listeners,
 * so the loop itself knows nothing of them. A listener may ask the loop to stop.
 */
public interface TrainingListener {
  default void onTrainBegin(FitLoop loop) {}

  default void onEpochBegin(int epoch, int steps) {}

  /** After each batch, with the epoch's running mean loss and accuracy so far. */
  default void onBatchEnd(int epoch, int batch, int steps, double loss, double accuracy) {}

  default void onEpochEnd(EpochLogs logs, FitLoop loop) {}

  /** When the loop stops early between batches (Ctrl-C, a stop request), before {@link #onTrainEnd}. */
  default void onInterrupted(FitLoop loop) {}

  default void onTrainEnd(FitLoop loop) {}
}
