package dev.sentigraph.analysis;

import dev.sentigraph.SentimentModel;
import dev.sentigraph.data.PaddedSequences;

/**
 * Times batch inference of a loaded model (a run, a Keras file, a SavedModel) over a whole split, as Keras'
 * {@code model.predict(x, batch_size=B)} does: the first batch alone (graph warm-up included), then, once the model
 * answers from the graph it keeps ({@link SentimentModel#awaitOwnGraph}: a Keras SavedModel hands over to
 * sentigraph's after loading, which would otherwise fall inside the timed pass or not), every review once, in
 * order, in the model's batches.
 */
public final class InferenceBenchmark {
  /**
   * The figures; {@code reviewsPerS} covers the full pass after the first batch, {@code ownGraph} says whether
   * sentigraph's graph ran it (else a SavedModel's own).
   */
  public record Result(int reviews, int batch, int seqLen, double firstBatchSeconds, double reviewsPerS,
      boolean ownGraph) {}

  private InferenceBenchmark() {}

  /** {@code model} loaded with the batch size to time ({@code LoadOptions.withBatchSize}). */
  public static Result run(SentimentModel model, PaddedSequences data, int batch) {
    long t = System.nanoTime();
    model.predictAll(data.head(Math.min(batch, data.size())));
    double firstBatch = (System.nanoTime() - t) / 1e9;
    boolean ownGraph = model.awaitOwnGraph();
    t = System.nanoTime();
    model.predictAll(data);
    double seconds = (System.nanoTime() - t) / 1e9;
    return new Result(data.size(), batch, data.seqLen(), firstBatch, data.size() / seconds, ownGraph);
  }
}
