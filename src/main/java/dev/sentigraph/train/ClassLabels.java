package dev.sentigraph.train;

import dev.sentigraph.error.InputException;

/** The labels a head learns from: 0 or 1 for a binary head, a class 0..K-1 for a K-class one. */
public final class ClassLabels {
  private ClassLabels() {}

  /**
   * Refuses, in one line naming the row and the head, the first of {@code labels} (review {@code i} of the
   * {@code split} split) that a head of {@code width} values per review cannot learn.
   */
  public static void require(int[] labels, int width, String split) {
    int classes = width == 1 ? 2 : width;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new InputException(split + " review " + i + " has label " + labels[i] + ": "
            + (width == 1 ? "a binary head (Dense(1)) takes labels 0 or 1"
                : "a head over K=" + width + " classes (Dense(" + width + ")) takes labels 0.." + (width - 1)),
            "labels");
      }
    }
  }
}
