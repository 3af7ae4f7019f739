package dev.sentigraph.train;

import dev.sentigraph.data.LabeledText;
import dev.sentigraph.data.TextReviews;
import dev.sentigraph.error.InputException;
import java.util.List;

/** The labels a head learns from: 0 or 1 for a binary head, a class 0..K-1 for a K-class one. */
public final class ClassLabels {
  private ClassLabels() {}

  /**
   * Refuses, in one line naming its file line (or its place in a split where it has none) and the head, the first
   * review of {@code reviews} whose label a head of {@code width} values per review cannot learn.
   */
  public static void require(TextReviews reviews, int width) {
    for (String split : new String[] {"training", "test"}) {
      List<LabeledText> texts = split.equals("training") ? reviews.train() : reviews.test();
      for (int i = 0; i < texts.size(); i++) {
        LabeledText t = texts.get(i);
        if (!learnable(t.label(), width)) {
          throw refused(t.line() > 0 ? reviews.origin() + " line " + t.line()
              : split + " review " + i + " of " + reviews.origin(), t.label(), width);
        }
      }
    }
  }

  /**
   * Refuses, in one line naming the row and the head, the first of {@code labels} (review {@code i} of the
   * {@code split} split) that a head of {@code width} values per review cannot learn.
   */
  public static void require(int[] labels, int width, String split) {
    for (int i = 0; i < labels.length; i++) {
      if (!learnable(labels[i], width)) {
        throw refused(split + " review " + i, labels[i], width);
      }
    }
  }

  private static boolean learnable(int label, int width) {
    return label >= 0 && label < (width == 1 ? 2 : width);
  }

  private static InputException refused(String where, int label, int width) {
    return new InputException(where + " has label " + label + ": " + (width == 1
        ? "a binary head (Dense(1)) takes labels 0 or 1"
        : "a head over K=" + width + " classes (Dense(" + width + ")) takes labels 0.." + (width - 1)), "labels");
  }
}
