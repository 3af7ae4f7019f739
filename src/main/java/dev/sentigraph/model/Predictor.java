package dev.sentigraph.model;

import dev.sentigraph.data.PaddedSequences;

/** A model that turns padded token ids into probabilities: a run folder's, a SavedModel's, a .keras file's. */
public interface Predictor extends AutoCloseable {
  /** Probabilities for {@code rows} reviews given row-major token ids. */
  float[] predict(int[] tokens, int rows);

  /** The padded length the model takes. */
  int seqLen();

  /** The word embedding matrix (rows are ids), when the model starts with an Embedding layer; else null. */
  default NamedWeight embedding() {
    return null;
  }

  @Override
  default void close() {}

  /** Probabilities for a whole split, {@code batchSize} reviews at a time. */
  default float[] predictAll(PaddedSequences data, int batchSize) {
    float[] out = new float[data.size()];
    int seqLen = data.seqLen();
    for (int start = 0; start < data.size(); start += batchSize) {
      int rows = Math.min(batchSize, data.size() - start);
      int[] batch = new int[rows * seqLen];
      System.arraycopy(data.tokens(), start * seqLen, batch, 0, rows * seqLen);
      System.arraycopy(predict(batch, rows), 0, out, start, rows);
    }
    return out;
  }
}
