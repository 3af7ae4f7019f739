package dev.sentigraph.cli;

import com.google.gson.JsonObject;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.analysis.InferenceBenchmark;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.data.PaddedSequences;
import dev.sentigraph.error.InputException;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.train.PeakMemory;
import dev.sentigraph.train.Preset;
import dev.sentigraph.train.StepProfile;
import dev.sentigraph.train.TrainSettings;
import dev.sentigraph.train.TrainingBenchmark;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sentigraph bench}: training step time, inference throughput and memory of a preset; with
 * {@code --model}, load time and batch inference over the test reviews of any model sentigraph loads.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Time the training step `train` runs (median after warm-up), inference and peak memory;",
        "with --model M, model load and batch inference over the 25,000 test reviews (random ids when the",
        "data is not found)."})
final class BenchCommand implements Callable<Integer> {
  @Mixin ModelChoice choice;
  @Mixin DataOptions dataOptions;

  @Option(names = "--model", paramLabel = "M", description = "Time inference of a run folder, .keras file or SavedModel.")
  Path model;
  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "Timed steps (default 20).")
  int steps;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Untimed steps first (default 3).")
  int warmup;

  @Option(names = "--batch-size", paramLabel = "B", description = "Batch size (default: the preset's).")
  Integer batchSize;

  @Option(names = "--reviews", paramLabel = "N", description = "With --model: time the first N test reviews only"
      + " (default: all).")
  Integer reviews;

  @Option(names = "--profile", description = "With --preset: also trace one training step and show where its time"
      + " goes, by op type (TF's step stats).")
  boolean profile;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Override
  public Integer call() {
    if (steps <= 0 || warmup <= 0) {
      throw new InputException("--steps and --warmup must be positive");
    }
    if (model != null) {
      return benchModel();
    }
    Preset p = choice.resolve();
    TrainSettings settings = p.train().with(null, null, batchSize, null, null, null);
    SequentialModel model = SequentialModel.of(p.model());
    int vocabulary = p.data().numWords() != null ? p.data().numWords() : 10000;
    TrainingBenchmark.Result r = TrainingBenchmark.run(p.name(), model, settings, CliEnvironment.execution(), vocabulary,
        steps, warmup, profile);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonObject o = new JsonObject();
      o.addProperty("preset", r.preset());
      o.addProperty("batch", r.batch());
      o.addProperty("seq_len", r.seqLen());
      o.addProperty("train_ms_per_step", r.trainMsPerStep());
      o.addProperty("predict_reviews_per_s", r.predictReviewsPerS());
      o.addProperty("peak_rss_mb", r.peakRssMb());
      o.addProperty("gflops_per_s", r.gflopsPerS());
      o.addProperty("estimated_s_per_epoch", r.estimatedSecondsPerEpoch());
      o.addProperty("first_step_s", r.firstStepSeconds());
      o.addProperty("params", r.params());
      out.println(o);
    } else {
      out.printf(Locale.ROOT, "%s: batch %d, seq_len %d, %,d params%n  train      %.1f ms/step (~%.0f s/epoch on 25,000"
          + " reviews), %.1f GFLOP/s%n  first step %.2f s after start%n  predict    %.0f reviews/s%n  peak RSS   %d MB%n",
          r.preset(), r.batch(), r.seqLen(), r.params(), r.trainMsPerStep(), r.estimatedSecondsPerEpoch(), r.gflopsPerS(),
          r.firstStepSeconds(), r.predictReviewsPerS(), r.peakRssMb());
      if (r.profile() != null) {
        printProfile(out, r.profile());
      }
    }
    out.flush();
    return 0;
  }

  /** The traced step's op types, largest first, down to the last one over 1% of the summed kernel time. */
  private static void printProfile(PrintWriter out, StepProfile p) {
    long total = p.kernelMicros();
    out.printf(Locale.ROOT, "  traced step: %.1f ms wall, %.1f ms of kernels (the two chains overlap)%n", p.wallMicros() / 1e3,
        total / 1e3);
    for (StepProfile.OpTime op : p.ops()) {
      if (op.micros() * 100 < total) {
        break;
      }
      out.printf(Locale.ROOT, "    %-28s %8.1f ms  %5.1f%%  %6d kernels%n", op.type(), op.micros() / 1e3,
          100.0 * op.micros() / total, op.count());
    }
  }

  private int benchModel() {
    int batch = batchSize != null ? batchSize : 256;
    if (batch <= 0) {
      throw new InputException("--batch-size " + batch + " must be positive");
    }
    long begin = System.nanoTime();
    try (SentimentModel m = SentimentModel.load(model, CliEnvironment.loadOptions().withBatchSize(batch))) {
      double loadSeconds = (System.nanoTime() - begin) / 1e9;
      DataSettings settings = dataOptions.applyTo(m.dataSettings()).withSeqLen(m.seqLen());
      PaddedSequences data;
      String source;
      try {
        data = DatasetLoader.load(settings, m.encoding().vectorization()).test();
        source = "imdb test split";
      } catch (InputException e) {
        data = randomReviews(25000, settings.seqLen(), settings.numWords() != null ? settings.numWords() : 10000);
        source = "random ids: IMDB data not found (--data or $SENTIGRAPH_DATA)";
      }
      if (reviews != null) {
        if (reviews <= 0) {
          throw new InputException("--reviews " + reviews + " must be positive");
        }
        data = data.head(reviews);
      }
      InferenceBenchmark.Result r = InferenceBenchmark.run(m, data, batch);
      double sinceStart = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
      PrintWriter out = spec.commandLine().getOut();
      String graph = r.ownGraph() ? "sentigraph" : "the model's own";
      if (json) {
        JsonObject o = new JsonObject();
        o.addProperty("model", model.toString());
        o.addProperty("reviews", r.reviews());
        o.addProperty("batch", r.batch());
        o.addProperty("seq_len", r.seqLen());
        o.addProperty("load_s", loadSeconds);
        o.addProperty("load_and_first_batch_s", loadSeconds + r.firstBatchSeconds());
        o.addProperty("predict_reviews_per_s", r.reviewsPerS());
        o.addProperty("graph", graph);
        o.addProperty("jvm_start_to_done_s", sinceStart);
        o.addProperty("peak_rss_mb", PeakMemory.residentMb());
        o.addProperty("data", source);
        out.println(o);
      } else {
        out.printf(Locale.ROOT, "%s: %,d reviews (%s), batch %d, seq_len %d%n  load       %.2f s, first batch %.2f s"
            + " later%n  predict    %.0f reviews/s (graph: %s)%n  peak RSS   %d MB%n", model, r.reviews(), source, r.batch(),
            r.seqLen(), loadSeconds, r.firstBatchSeconds(), r.reviewsPerS(), graph, PeakMemory.residentMb());
      }
      out.flush();
    }
    return 0;
  }

  private static PaddedSequences randomReviews(int count, int seqLen, int vocabulary) {
    Random rng = new Random(42);
    int[] tokens = new int[count * seqLen];
    Arrays.setAll(tokens, i -> rng.nextInt(vocabulary));
    return new PaddedSequences(tokens, seqLen, new int[count]);
  }
}
