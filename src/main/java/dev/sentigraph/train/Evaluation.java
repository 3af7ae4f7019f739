package dev.sentigraph.train;

import java.util.Arrays;

/**
 * Binary classification metrics on probabilities: loss (Keras' binary cross-entropy with its 1e-7 clip),
 * accuracy, precision, recall, F1, ROC AUC (exact, ties averaged) and the confusion matrix
 * {@code [[tn, fp], [fn, tp]]}.
 */
public record Evaluation(double loss, double accuracy, double precision, double recall, double f1, double auc,
    long[][] confusion, int count) {

  public static Evaluation of(int[] labels, float[] probabilities) {
    int n = labels.length;
    long tp = 0;
    long fp = 0;
    long tn = 0;
    long fn = 0;
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double p = Math.min(Math.max(probabilities[i], 1e-7), 1 - 1e-7);
      loss -= labels[i] == 1 ? Math.log(p) : Math.log(1 - p);
      boolean positive = probabilities[i] > 0.5f;
      if (positive && labels[i] == 1) {
        tp++;
      } else if (positive) {
        fp++;
      } else if (labels[i] == 1) {
        fn++;
      } else {
        tn++;
      }
    }
    double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
    double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    return new Evaluation(loss / n, (tp + tn) / (double) n, precision, recall, f1, auc(labels, probabilities),
        new long[][] {{tn, fp}, {fn, tp}}, n);
  }

  /** The probability that a random positive scores above a random negative (Mann-Whitney, ties count half). */
  static double auc(int[] labels, float[] scores) {
    Integer[] order = new Integer[labels.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
    double rankSum = 0;
    long positives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] == 1) {
          rankSum += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = labels.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
