package dev.sentigraph.train;

import dev.sentigraph.data.PaddedSequences;
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
  private final EpochTrainer trainer;
  private final PaddedSequences validation;
  private final TrainSettings settings;
  private final List<TrainingListener> listeners;
  private final List<EpochLogs> history = new ArrayList<>();
  private volatile String stopReason;
  private boolean interrupted;
  private FitState state;

  public FitLoop(TrainingGraph graph, PaddedSequences train, PaddedSequences validation, TrainSettings settings,
      List<TrainingListener> listeners) {
    this(graph, new LocalEpochTrainer(graph, train, settings), validation, settings, listeners);
  }

  /** A loop whose batches {@code trainer} trains (e.g. on several machines), ending each call in {@code graph}. */
  public FitLoop(TrainingGraph graph, EpochTrainer trainer, PaddedSequences validation, TrainSettings settings,
      List<TrainingListener> listeners) {
    this.graph = graph;
    this.trainer = trainer;
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
    return trainer.stepsPerEpoch();
  }

  /** Fits from {@code from} (a fresh {@link FitState#start()} or a resumed checkpoint's state). */
  public List<EpochLogs> fit(FitState from) {
    state = from;
    history.addAll(from.history());
    listeners.forEach(l -> l.onTrainBegin(this));
    int steps = stepsPerEpoch();
    for (int epoch = from.epoch(); epoch <= settings.epochs() && stopReason == null; epoch++) {
      int firstBatch = epoch == from.epoch() ? from.batchesDone() : 0;
      final int e = epoch;
      listeners.forEach(l -> l.onEpochBegin(e, steps));
      long started = System.nanoTime();
      double lossSum = 0;
      double accuracySum = 0;
      int seen = 0;
      for (int batch = firstBatch; batch < steps; ) {
        EpochTrainer.Trained result = trainer.train(epoch, batch, state.step());
        if (!Double.isFinite(result.lossSum())) {
          // the weights already took this step's update: keep the last checkpoint, write nothing new
          stopReason = "the loss became " + result.lossSum() / result.rows() + " at epoch " + epoch + ", batch "
              + (batch + result.batches()) + "; the last good checkpoint is kept (try a smaller learning rate)";
          return history();
        }
        lossSum += result.lossSum();
        accuracySum += result.accuracySum();
        seen += result.rows();
        batch += result.batches();
        state = new FitState(epoch, batch, state.step() + result.batches(), history(), state.bestValLoss(),
            state.bestEpoch());
        final int b = batch;
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
        Evaluation v = Evaluation.of(validation.labels(), probabilities(validation), graph.output().width());
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

  /**
   * Inference probabilities over a split, in the batch size of training: row-major [reviews, width], the sigmoid of a
   * binary head's logit or the softmax of a K-class head's logits, whatever the head's own activation.
   */
  public float[] probabilities(PaddedSequences data) {
    int width = graph.output().width();
    int seqLen = data.seqLen();
    int batchSize = Math.max(settings.batchSize(), 256);
    float[] out = new float[data.size() * width];
    for (int start = 0; start < data.size(); start += batchSize) {
      int rows = Math.min(batchSize, data.size() - start);
      int[] batch = new int[rows * seqLen];
      System.arraycopy(data.tokens(), start * seqLen, batch, 0, rows * seqLen);
      float[] logits = graph.logits(batch, rows);
      System.arraycopy(width == 1 ? sigmoid(logits) : softmax(logits, width), 0, out, start * width, rows * width);
    }
    return out;
  }

  static float[] sigmoid(float[] logits) {
    float[] out = new float[logits.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (1 / (1 + Math.exp(-logits[i])));
    }
    return out;
  }

  /** Softmax of each row of {@code width} logits, shifted by the row's maximum as TF's kernel is. */
  static float[] softmax(float[] logits, int width) {
    float[] out = new float[logits.length];
    for (int row = 0; row < logits.length; row += width) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < width; k++) {
        max = Math.max(max, logits[row + k]);
      }
      double sum = 0;
      for (int k = 0; k < width; k++) {
        sum += Math.exp(logits[row + k] - max);
      }
      for (int k = 0; k < width; k++) {
        out[row + k] = (float) (Math.exp(logits[row + k] - max) / sum);
      }
    }
    return out;
  }

  /**
   * The order in which epoch {@code epoch} visits {@code size} training reviews: a Fisher-Yates shuffle from the run
   * seed and the epoch, so a resumed or distributed run visits them exactly as an uninterrupted one does.
   */
  public static int[] epochOrder(long seed, int epoch, int size) {
    int[] order = new int[size];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random rng = new Random(seed * 1_000_003L + epoch);
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
