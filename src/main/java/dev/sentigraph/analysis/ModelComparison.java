package dev.sentigraph.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Two models' predictions on the same labelled reviews: how often both, one or neither is right, and the
 * reviews where they disagree, as the SimpleRNN-vs-LSTM notebook does by hand. A prediction is right when
 * {@code p > 0.5} equals the label (Keras' BinaryAccuracy).
 */
public record ModelComparison(int bothRight, int onlyA, int onlyB, int bothWrong, List<Integer> onlyARight,
    List<Integer> onlyBRight) {

  public static ModelComparison of(int[] labels, float[] probabilitiesA, float[] probabilitiesB) {
    if (labels.length != probabilitiesA.length || labels.length != probabilitiesB.length) {
      throw new IllegalArgumentException("labels and predictions differ in length: " + labels.length + ", "
          + probabilitiesA.length + ", " + probabilitiesB.length);
    }
    int both = 0;
    int neither = 0;
    List<Integer> onlyA = new ArrayList<>();
    List<Integer> onlyB = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      boolean a = right(labels[i], probabilitiesA[i]);
      boolean b = right(labels[i], probabilitiesB[i]);
      if (a && b) {
        both++;
      } else if (a) {
        onlyA.add(i);
      } else if (b) {
        onlyB.add(i);
      } else {
        neither++;
      }
    }
    return new ModelComparison(both, onlyA.size(), onlyB.size(), neither, List.copyOf(onlyA), List.copyOf(onlyB));
  }

  private static boolean right(int label, float probability) {
    return (probability > 0.5f ? 1 : 0) == label;
  }

  public int count() {
    return bothRight + onlyA + onlyB + bothWrong;
  }

  public double accuracyA() {
    return (bothRight + onlyA) / (double) count();
  }

  public double accuracyB() {
    return (bothRight + onlyB) / (double) count();
  }
}
