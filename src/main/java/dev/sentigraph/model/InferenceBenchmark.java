package dev.sentigraph.model;

import dev.sentigraph.data.PaddedSequences;
import java.util.Arrays;

/**
 * Times batch inference of any {@link Predictor} (a run, a {@code .keras} file, a SavedModel) over a whole
 * split, as Keras' {@code model.predict(x, batch_size=B)} does: the first batch alone (graph warm-up included),
 * then every review once, in order.
 */
public final class InferenceBenchmark {
  /** The figures; {@code reviewsPerS} covers the full pass after the first batch. */
  public record Result(int reviews, int batch, int seqLen, double firstBatchSeconds, double reviewsPerS) {}

  private InferenceBenchmark() {}

  public static Result run(Predictor predictor, PaddedSequences data, int batch) {
    int seqLen = data.seqLen();
    int first = Math.min(batch, data.size());
    long t = System.nanoTime();
    predictor.predict(Arrays.copyOf(data.tokens(), first * seqLen), first);
    double firstBatch = (System.nanoTime() - t) / 1e9;
    t = System.nanoTime();
    predictor.predictAll(data, batch);
    double seconds = (System.nanoTime() - t) / 1e9;
    return new Result(data.size(), batch, seqLen, firstBatch, data.size() / seconds);
  }
}
