package dev.sentigraph.runtime;

import dev.sentigraph.data.PaddedSequences;
import java.util.List;

/**
 * The engine that runs a model: sentigraph's own session on a run folder's, a {@code .keras} file's or a rebuilt
 * SavedModel's graph, or a SavedModel's own graph. Callers outside the library reach it only through
 * {@code SentimentModel}.
 */
public interface Predictor extends AutoCloseable {
  /**
   * The model's output for {@code rows} reviews given row-major token ids: row-major too, one value per review for
   * a binary head, K for a K-class one.
   */
  float[] predict(int[] tokens, int rows);

  /**
   * Probabilities for review strings, for an engine whose graph tokenises ({@link ModelInput.Text}); other engines
   * take token ids only.
   */
  default float[] predictTexts(List<String> texts) {
    throw new UnsupportedOperationException(this + " takes token ids, not review strings");
  }

  /** The padded length the model takes; {@link ModelConfig#ANY_LENGTH} when each batch may pick one. */
  int seqLen();

  /**
   * Waits until this engine answers from the graph it keeps answering from; true when that is sentigraph's own
   * (a Keras SavedModel's own graph answers until sentigraph's is rebuilt and agrees, or for good).
   */
  default boolean awaitOwnGraph() {
    return true;
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
