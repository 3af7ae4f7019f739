package dev.sentigraph.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Nearest rows of a trained embedding matrix, as the notebooks list the words closest to "great". Ids below
 * {@code firstWordId} (padding, start, OOV) are never offered as neighbours.
 */
public final class EmbeddingNeighbors {
  /** How closeness is measured. */
  public enum Metric {
    EUCLIDEAN,
    COSINE
  }

  /** One neighbour: its token id and its distance (Euclidean, or 1 - cosine similarity). */
  public record Neighbor(int id, double distance) {}

  private final float[] matrix;
  private final int rows;
  private final int dim;
  private final int firstWordId;

  public EmbeddingNeighbors(float[] matrix, int rows, int dim, int firstWordId) {
    if ((long) rows * dim != matrix.length) {
      throw new IllegalArgumentException(matrix.length + " values do not make " + rows + " x " + dim);
    }
    this.matrix = matrix;
    this.rows = rows;
    this.dim = dim;
    this.firstWordId = firstWordId;
  }

  public int rows() {
    return rows;
  }

  /** The {@code k} ids nearest to {@code id}, closest first (ties by lower id). */
  public List<Neighbor> nearest(int id, int k, Metric metric) {
    if (id < 0 || id >= rows) {
      throw new IllegalArgumentException("id " + id + " is outside the embedding's " + rows + " rows");
    }
    PriorityQueue<Neighbor> worstFirst = new PriorityQueue<>(
        (a, b) -> a.distance() != b.distance() ? Double.compare(b.distance(), a.distance()) : Integer.compare(b.id(), a.id()));
    double selfNorm = norm(id);
    for (int other = firstWordId; other < rows; other++) {
      if (other == id) {
        continue;
      }
      double d = metric == Metric.EUCLIDEAN ? euclidean(id, other) : 1 - dot(id, other) / (selfNorm * norm(other));
      if (Double.isNaN(d)) {
        continue; // a zero row has no direction
      }
      worstFirst.add(new Neighbor(other, d));
      if (worstFirst.size() > k) {
        worstFirst.poll();
      }
    }
    List<Neighbor> result = new ArrayList<>(worstFirst);
    result.sort((a, b) -> a.distance() != b.distance() ? Double.compare(a.distance(), b.distance()) : Integer.compare(a.id(), b.id()));
    return result;
  }

  private double euclidean(int a, int b) {
    double sum = 0;
    for (int j = 0; j < dim; j++) {
      double diff = matrix[a * dim + j] - matrix[b * dim + j];
      sum += diff * diff;
    }
    return Math.sqrt(sum);
  }

  private double dot(int a, int b) {
    double sum = 0;
    for (int j = 0; j < dim; j++) {
      sum += (double) matrix[a * dim + j] * matrix[b * dim + j];
    }
    return sum;
  }

  private double norm(int a) {
    return Math.sqrt(dot(a, a));
  }
}
