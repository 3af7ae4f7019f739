package dev.sentigraph.train;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.runtime.InferenceSession;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Times the training step {@code train} runs ({@link TrainingGraph#trainStep}) and inference, on random
 * token ids of the model's shape: median ms/step after warm-up, reviews/s of a serving session with the trained
 * weights (as {@code predict} runs), the first step's latency from graph construction, peak resident memory, and
 * achieved GFLOP/s (three times the forward FLOPs per example, the usual estimate for forward plus backward).
 */
public final class TrainingBenchmark {
  /**
   * The figures, named as {@code bench --json} prints them; {@code profile} is one traced step after the timed
   * ones, or null when none was asked for.
   */
  public record Result(String preset, int batch, int seqLen, double trainMsPerStep, double estimatedSecondsPerEpoch,
      double predictReviewsPerS, double firstStepSeconds, long peakRssMb, double gflopsPerS, long params,
      StepProfile profile) {}

  private TrainingBenchmark() {}

  public static Result run(String name, SequentialModel model, TrainSettings settings, ExecutionOptions options,
      int vocabulary, int steps, int warmup, boolean profile) {
    int batch = settings.batchSize();
    int seqLen = model.config().seqLen();
    Random rng = new Random(42);
    int[] tokens = new int[batch * seqLen];
    Arrays.setAll(tokens, i -> rng.nextInt(vocabulary));
    float[] labels = new float[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = rng.nextInt(2);
    }
    long begin = System.nanoTime();
    try (TrainingGraph graph = new TrainingGraph(model, settings, options)) {
      graph.trainStep(tokens, labels, batch, new long[] {1, 0});
      double firstStep = (System.nanoTime() - begin) / 1e9;
      for (int i = 1; i < warmup; i++) {
        graph.trainStep(tokens, labels, batch, new long[] {1, i});
      }
      double[] ms = new double[steps];
      for (int i = 0; i < steps; i++) {
        long t = System.nanoTime();
        graph.trainStep(tokens, labels, batch, new long[] {1, warmup + i});
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
      Arrays.sort(ms);
      double median = ms[steps / 2];
      StepProfile traced = profile
          ? StepProfile.of(graph.tracedStep(tokens, labels, batch, new long[] {1, warmup + steps})) : null;
      double reviewsPerS = predictReviewsPerS(model, graph.weights(), options, rng, vocabulary);
      double gflops = 3.0 * model.forwardFlops() * batch / (median / 1000) / 1e9;
      return new Result(name, batch, seqLen, median, median / 1000 * Math.ceil(25000.0 / batch), reviewsPerS,
          firstStep, PeakMemory.residentMb(), gflops, model.paramCount(), traced);
    }
  }

  /** Batch-256 inference in a serving session with the trained weights, as {@code predict} runs it. */
  private static double predictReviewsPerS(SequentialModel model, List<NamedWeight> weights, ExecutionOptions options,
      Random rng, int vocabulary) {
    int batch = 256;
    int seqLen = model.config().seqLen();
    int[] tokens = new int[batch * seqLen];
    Arrays.setAll(tokens, i -> rng.nextInt(vocabulary));
    try (InferenceSession session = new InferenceSession(model.config(), weights, options)) {
      session.predict(tokens, batch);
      int rounds = 0;
      long t = System.nanoTime();
      while (rounds < 3 || System.nanoTime() - t < 2_000_000_000L) {
        session.predict(tokens, batch);
        rounds++;
      }
      return rounds * batch / ((System.nanoTime() - t) / 1e9);
    }
  }
}
