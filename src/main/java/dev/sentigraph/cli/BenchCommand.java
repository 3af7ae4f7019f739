package dev.sentigraph.cli;

import com.google.gson.JsonObject;
import dev.sentigraph.InvalidInputException;
import dev.sentigraph.model.Preset;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.train.TrainSettings;
import dev.sentigraph.train.TrainingBenchmark;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentigraph bench}: training step time, inference throughput and memory of a preset. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time the training step `train` runs (median after warm-up), inference and peak memory.")
final class BenchCommand implements Callable<Integer> {
  @Mixin ModelChoice choice;
  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "Timed steps (default 20).")
  int steps;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Untimed steps first (default 3).")
  int warmup;

  @Option(names = "--batch-size", paramLabel = "B", description = "Batch size (default: the preset's).")
  Integer batchSize;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Override
  public Integer call() {
    if (steps <= 0 || warmup <= 0) {
      throw new InvalidInputException("--steps and --warmup must be positive");
    }
    Preset p = choice.resolve();
    TrainSettings settings = p.train().with(null, null, batchSize, null, null, null);
    SequentialModel model = SequentialModel.of(p.model());
    int vocabulary = p.data().numWords() != null ? p.data().numWords() : 10000;
    TrainingBenchmark.Result r = TrainingBenchmark.run(p.name(), model, settings, vocabulary, steps, warmup);
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
    }
    out.flush();
    return 0;
  }
}
