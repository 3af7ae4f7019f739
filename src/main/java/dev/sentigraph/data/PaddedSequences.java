package dev.sentigraph.data;

import java.util.Arrays;

/**
 * Reviews padded to a fixed length, row-major in one array ({@code tokens[row * seqLen + t]}) so batches
 * copy straight into tensor buffers.
 */
public record PaddedSequences(int[] tokens, int seqLen, int[] labels) {
  public PaddedSequences {
    if (tokens.length != (long) labels.length * seqLen) {
      throw new IllegalArgumentException(
          tokens.length + " tokens do not make " + labels.length + " rows of " + seqLen);
    }
  }

  public int size() {
    return labels.length;
  }

  /** The first {@code n} rows (all of them when there are no more). */
  public PaddedSequences head(int n) {
    int rows = Math.min(n, size());
    return new PaddedSequences(Arrays.copyOf(tokens, rows * seqLen), seqLen, Arrays.copyOf(labels, rows));
  }

  public int[] row(int index) {
    int[] row = new int[seqLen];
    System.arraycopy(tokens, index * seqLen, row, 0, seqLen);
    return row;
  }
}
