package dev.sentigraph.train;

import dev.sentigraph.data.PaddedSequences;
import dev.sentigraph.runtime.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Keras' {@code fit}: epochs of shuffled batches, then validation. Shuffling uses a java RNG seeded from the
 * run seed and the epoch, and dropout a seed fed per step from the run seed and the global step, so a run is
 * repeatable and a resumed run continues exactly where the interrupted one stopped.
 */
public final class FitLoop {
  private final TrainingGraph graph;
  private final PaddedSequences train;
  private final PaddedSequences validation;
  private final TrainSettings settings;
  private final List<TrainingListener> listeners;
  private final List<EpochLogs> history = new ArrayList<>();
  private volatile String stopReason;
  private boolean interrupted;
  private FitState state;

  public FitLoop(TrainingGraph graph, PaddedSequences train, PaddedSequences validation, TrainSettings settings,
      List<TrainingListener> listeners) {
    this.graph = graph;
    this.train = train;
    this.validation = validation;
    this.settings = settings;
    this.listeners = List.copyOf(listeners);
  }

  public TrainingGraph graph() {
    return graph;
  }

  public TrainSettings settings() {
    return settings;
  }

  public List<EpochLogs> history() {
    return List.copyOf(history);
  }

  /** The state after the last finished batch. */
  public FitState state() {
    return state;
  }

  /** Asks the loop to stop after the current batch (early stopping, Ctrl-C, a diverged loss). */
  public void requestStop(String reason) {
    stopReason = reason;
  }

  public String stopReason() {
    return stopReason;
  }

  /** True when the loop stopped in the middle of an epoch. */
  public boolean interrupted() {
    return interrupted;
  }

  public int stepsPerEpoch() {
    return (train.size() + settings.batchSize() - 1) / settings.batchSize();
  }

  /** Fits from {@code from} (a fresh {@link FitState#start()} or a resumed checkpoint's state). */
  public List<EpochLogs> fit(FitState from) {
    state = from;
    history.addAll(from.history());
    listeners.forEach(l -> l.onTrainBegin(this));
    int steps = stepsPerEpoch();
    int seqLen = train.seqLen();
    for (int epoch = from.epoch(); epoch <= settings.epochs() && stopReason == null; epoch++) {
      int[] order = shuffledOrder(epoch);
      int firstBatch = epoch == from.epoch() ? from.batchesDone() : 0;
      final int e = epoch;
      listeners.forEach(l -> l.onEpochBegin(e, steps));
      long started = System.nanoTime();
      double lossSum = 0;
      double accuracySum = 0;
      int seen = 0;
      for (int batch = firstBatch; batch < steps; batch++) {
        int start = batch * settings.batchSize();
        int rows = Math.min(settings.batchSize(), train.size() - start);
        int[] tokens = new int[rows * seqLen];
        float[] labels = new float[rows];
        for (int r = 0; r < rows; r++) {
          int index = order[start + r];
          System.arraycopy(train.tokens(), index * seqLen, tokens, r * seqLen, seqLen);
          labels[r] = train.labels()[index];
        }
        long step = state.step() + 1;
        TrainingGraph.StepResult result = graph.trainStep(tokens, labels, rows, new long[] {settings.seed(), step});
        if (!Double.isFinite(result.loss())) {
          // the weights already took this step's update: keep the last checkpoint, write nothing new
          stopReason = "the loss became " + result.loss() + " at epoch " + epoch + ", batch " + (batch + 1)
              + "; the last good checkpoint is kept (try a smaller learning rate)";
          return history();
        }
        lossSum += result.loss() * rows;
        accuracySum += result.accuracy() * rows;
        seen += rows;
        state = new FitState(epoch, batch + 1, step, history(), state.bestValLoss(), state.bestEpoch());
        final int b = batch + 1;
        final double l = lossSum / seen;
        final double a = accuracySum / seen;
        listeners.forEach(x -> x.onBatchEnd(e, b, steps, l, a));
        if (stopReason != null && b < steps) {
          interrupted = true;
          listeners.forEach(x -> x.onInterrupted(this));
          listeners.forEach(x -> x.onTrainEnd(this));
          return history();
        }
      }
      Double valLoss = null;
      Double valAccuracy = null;
      if (validation != null) {
        Evaluation v = Evaluation.of(validation.labels(), probabilities(validation));
        valLoss = v.loss();
        valAccuracy = v.accuracy();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      EpochLogs logs = new EpochLogs(epoch, seen == 0 ? Double.NaN : lossSum / seen,
          seen == 0 ? Double.NaN : accuracySum / seen, valLoss, valAccuracy, seconds, steps - firstBatch);
      history.add(logs);
      boolean best = valLoss != null && (state.bestValLoss() == null || valLoss < state.bestValLoss());
      state = new FitState(epoch + 1, 0, state.step(), history(), best ? valLoss : state.bestValLoss(),
          best ? epoch : state.bestEpoch());
      listeners.forEach(x -> x.onEpochEnd(logs, this));
    }
    listeners.forEach(x -> x.onTrainEnd(this));
    return history();
  }

  /** Inference probabilities over a split, in the batch size of training. */
  public float[] probabilities(PaddedSequences data) {
    Predictor p = new Predictor() {
      @Override
      public float[] predict(int[] tokens, int rows) {
        return sigmoid(graph.logits(tokens, rows));
      }

      @Override
      public int seqLen() {
        return graph.seqLen();
      }
    };
    return p.predictAll(data, Math.max(settings.batchSize(), 256));
  }

  static float[] sigmoid(float[] logits) {
    float[] out = new float[logits.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (1 / (1 + Math.exp(-logits[i])));
    }
    return out;
  }

  private int[] shuffledOrder(int epoch) {
    int[] order = new int[train.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random rng = new Random(settings.seed() * 1_000_003L + epoch);
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
