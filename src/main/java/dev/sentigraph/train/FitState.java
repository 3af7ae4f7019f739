package dev.sentigraph.train;

import java.util.List;

/**
 * Where a fit stands, enough to resume it exactly: the epoch under way (1-based), how many of its batches
 * are done, the global step, the history so far and the best validation loss.
 */
public record FitState(int epoch, int batchesDone, long step, List<EpochLogs> history, Double bestValLoss,
    int bestEpoch) {
  public static FitState start() {
    return new FitState(1, 0, 0, List.of(), null, 0);
  }
}
