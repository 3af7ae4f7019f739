package dev.sentigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelComparisonTest {
  @Test
  void countsEachCaseAndListsDisagreements() {
    int[] labels = {1, 0, 1, 0, 1, 0};
    float[] a = {0.9f, 0.2f, 0.4f, 0.7f, 0.51f, 0.5f}; // right: 0, 1, 4, 5 (0.5 is not > 0.5, so label 0)
    float[] b = {0.8f, 0.6f, 0.7f, 0.1f, 0.2f, 0.9f}; // right: 0, 2, 3
    ModelComparison c = ModelComparison.of(labels, a, b);
    assertEquals(1, c.bothRight());
    assertEquals(List.of(1, 4, 5), c.onlyARight());
    assertEquals(List.of(2, 3), c.onlyBRight());
    assertEquals(0, c.bothWrong());
    assertEquals(4 / 6.0, c.accuracyA(), 1e-12);
  }
}
