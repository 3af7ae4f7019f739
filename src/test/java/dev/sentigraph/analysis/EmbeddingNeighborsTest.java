package dev.sentigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentigraph.analysis.EmbeddingNeighbors.Metric;
import dev.sentigraph.analysis.EmbeddingNeighbors.Neighbor;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingNeighborsTest {
  // ids 0-2 are padding/start/OOV; word ids 3.. are placed by hand in 2-d
  private static final float[] MATRIX = {
      0, 0, 0.1f, 0.1f, 9, 9, // 0, 1, 2: never neighbours, even when close
      1, 0, // 3
      2, 0, // 4: on the same ray as 3, farther
      0.9f, 0.1f, // 5: nearest to 3 by distance
      -1, 0, // 6: opposite direction
      10, 0.5f}; // 7: almost the same direction as 3, far away

  private final EmbeddingNeighbors neighbors = new EmbeddingNeighbors(MATRIX, 8, 2, 3);

  @Test
  void euclideanOrdersByDistanceAndSkipsReservedIds() {
    List<Neighbor> near = neighbors.nearest(3, 3, Metric.EUCLIDEAN);
    assertEquals(List.of(5, 4, 6), near.stream().map(Neighbor::id).toList());
    assertEquals(Math.hypot(0.1, 0.1), near.get(0).distance(), 1e-6);
  }

  @Test
  void cosineIgnoresLengthAndPutsOppositesLast() {
    List<Neighbor> near = neighbors.nearest(3, 4, Metric.COSINE);
    assertEquals(List.of(4, 7, 5, 6), near.stream().map(Neighbor::id).toList());
    assertEquals(0.0, near.get(0).distance(), 1e-9);
    assertEquals(2.0, near.get(3).distance(), 1e-9);
  }
}
