package dev.sentigraph.train;

import dev.sentigraph.data.PaddedSequences;

/** Keras' {@code fit}: one shuffled batch at a time, in the fit loop's own graph. */
final class LocalEpochTrainer implements EpochTrainer {
  private final TrainingGraph graph;
  private final PaddedSequences train;
  private final TrainSettings settings;
  private int orderEpoch = -1;
  private int[] order;

  LocalEpochTrainer(TrainingGraph graph, PaddedSequences train, TrainSettings settings) {
    this.graph = graph;
    this.train = train;
    this.settings = settings;
  }

  @Override
  public int stepsPerEpoch() {
    return (train.size() + settings.batchSize() - 1) / settings.batchSize();
  }

  @Override
  public Trained train(int epoch, int batch, long step) {
    if (epoch != orderEpoch) {
      order = FitLoop.epochOrder(settings.seed(), epoch, train.size());
      orderEpoch = epoch;
    }
    int seqLen = train.seqLen();
    int start = batch * settings.batchSize();
    int rows = Math.min(settings.batchSize(), train.size() - start);
    int[] tokens = new int[rows * seqLen];
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      int index = order[start + r];
      System.arraycopy(train.tokens(), index * seqLen, tokens, r * seqLen, seqLen);
      labels[r] = train.labels()[index];
    }
    TrainingGraph.StepResult result = graph.trainStep(tokens, labels, rows, new long[] {settings.seed(), step + 1});
    return new Trained(1, result.loss() * rows, result.accuracy() * rows, rows);
  }
}
