package dev.sentigraph.train;

import java.util.Arrays;

/**
 * Classification metrics on probabilities. Binary: loss (Keras' binary cross-entropy with its 1e-7 clip), accuracy,
 * precision, recall, F1, ROC AUC (exact, ties averaged) and the confusion matrix {@code [[tn, fp], [fn, tp]]}.
 * K classes: loss (Keras' sparse categorical cross-entropy with the same clip), accuracy (arg-max), precision,
 * recall and F1 averaged over the classes (scikit-learn's {@code average="macro"}), ROC AUC one class against the
 * rest averaged ({@code multi_class="ovr"}) over the classes the split holds, and the K x K confusion matrix, rows
 * the true class.
 */
public record Evaluation(double loss, double accuracy, double precision, double recall, double f1, double auc,
    long[][] confusion, int count) {

  /** A binary head's metrics: one probability per review. */
  public static Evaluation of(int[] labels, float[] probabilities) {
    return of(labels, probabilities, 1);
  }

  /**
   * Metrics of a head of {@code width} values per review: {@code probabilities} row-major [reviews, width], the
   * positive class's probability for a binary head, every class's for a K-class one. Labels the head cannot have
   * given are refused.
   */
  public static Evaluation of(int[] labels, float[] probabilities, int width) {
    ClassLabels.require(labels, width, "test");
    return width == 1 ? binary(labels, probabilities) : classes(labels, probabilities, width);
  }

  private static Evaluation binary(int[] labels, float[] probabilities) {
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

  private static Evaluation classes(int[] labels, float[] probabilities, int k) {
    int n = labels.length;
    long[][] confusion = new long[k][k];
    double loss = 0;
    for (int i = 0; i < n; i++) {
      loss += SparseCategoricalCrossentropy.fromProbability(probabilities[i * k + labels[i]]);
      confusion[labels[i]][SparseCategoricalAccuracy.predicted(probabilities, i * k, k)]++;
    }
    long right = 0;
    double precision = 0;
    double recall = 0;
    double f1 = 0;
    double auc = 0;
    int aucClasses = 0;
    int[] isClass = new int[n];
    float[] scores = new float[n];
    for (int c = 0; c < k; c++) {
      right += confusion[c][c];
      long predicted = 0;
      long actual = 0;
      for (int j = 0; j < k; j++) {
        predicted += confusion[j][c];
        actual += confusion[c][j];
      }
      double p = predicted == 0 ? 0 : confusion[c][c] / (double) predicted;
      double r = actual == 0 ? 0 : confusion[c][c] / (double) actual;
      precision += p / k;
      recall += r / k;
      f1 += (p + r == 0 ? 0 : 2 * p * r / (p + r)) / k;
      for (int i = 0; i < n; i++) {
        isClass[i] = labels[i] == c ? 1 : 0;
        scores[i] = probabilities[i * k + c];
      }
      double classAuc = auc(isClass, scores);
      if (!Double.isNaN(classAuc)) {
        auc += classAuc;
        aucClasses++;
      }
    }
    // a class missing from the split has no AUC of its own: the mean is over the classes present
    return new Evaluation(loss / n, right / (double) n, precision, recall, f1,
        aucClasses == 0 ? Double.NaN : auc / aucClasses, confusion, n);
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
