package dev.sentigraph.train;

import dev.sentigraph.model.NamedWeight;
import java.util.List;

/**
 * Keras' EarlyStopping on {@code val_loss}: stops after {@code patience} epochs without improvement and,
 * as with {@code restore_best_weights=True}, puts the best epoch's weights back when training ends.
 */
public final class EarlyStopping implements TrainingListener {
  private final int patience;
  private double best = Double.POSITIVE_INFINITY;
  private int bestEpoch;
  private int wait;
  private List<NamedWeight> bestWeights;

  public EarlyStopping(int patience) {
    this.patience = patience;
  }

  @Override
  public void onEpochEnd(EpochLogs logs, FitLoop loop) {
    if (logs.valLoss() == null) {
      return;
    }
    if (logs.valLoss() < best) {
      best = logs.valLoss();
      bestEpoch = logs.epoch();
      bestWeights = loop.graph().weights();
      wait = 0;
    } else if (++wait >= patience) {
      loop.requestStop("early stopping: val_loss has not improved for " + patience + " epoch(s) since epoch " + bestEpoch);
    }
  }

  @Override
  public void onTrainEnd(FitLoop loop) {
    if (bestWeights != null && loop.stopReason() != null && loop.stopReason().startsWith("early stopping")) {
      loop.graph().setWeights(bestWeights);
    }
  }

  public int bestEpoch() {
    return bestEpoch;
  }
}
