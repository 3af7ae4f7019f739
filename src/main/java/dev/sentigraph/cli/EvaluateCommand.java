package dev.sentigraph.cli;

import com.google.gson.Gson;
import dev.sentigraph.Predictions;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.Dataset;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.train.Evaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentigraph evaluate}: a model's metrics on the test split, prepared as the model expects. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Loss, accuracy, precision, recall, F1, ROC AUC and the confusion matrix on the test split"
        + " (for a K-class model: averaged over the classes, and the K x K matrix).")
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "M", required = true, description = "A run folder.")
  Path model;

  @Option(names = "--checkpoint", paramLabel = "NAME", description = "Which checkpoint of a run (default: best, else latest).")
  String checkpoint;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256", description = "Reviews per inference batch.")
  int batchSize;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Mixin DataOptions dataOptions;
  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (SentimentModel m = SentimentModel.load(model, CliEnvironment.loadOptions().withCheckpoint(checkpoint)
        .withBatchSize(batchSize))) {
      DataSettings settings = dataOptions.applyTo(m.dataSettings());
      Dataset data = DatasetLoader.load(settings, m.encoding().vectorization());
      Predictions predictions = m.predictAll(data.test());
      int width = predictions.output().width();
      Evaluation e = Evaluation.of(data.test().labels(), width == 1 ? predictions.probabilities()
          : predictions.classProbabilities(), width);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(new Gson().toJson(e));
      } else if (width > 1) {
        out.printf(Locale.ROOT, "reviews    %d%nloss       %.4f%naccuracy   %.4f%nprecision  %.4f (macro)%n"
            + "recall     %.4f (macro)%nf1         %.4f (macro)%nroc auc    %.4f (one vs rest, macro)%n", e.count(),
            e.loss(), e.accuracy(), e.precision(), e.recall(), e.f1(), e.auc());
        out.printf(Locale.ROOT, "confusion  rows: true class, columns: predicted class%n");
        for (int k = 0; k < width; k++) {
          StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "           %10s", "class " + k));
          for (long v : e.confusion()[k]) {
            row.append(String.format(Locale.ROOT, " %10d", v));
          }
          out.println(row);
        }
      } else {
        out.printf(Locale.ROOT, "reviews    %d%nloss       %.4f%naccuracy   %.4f%nprecision  %.4f%nrecall     %.4f%n"
            + "f1         %.4f%nroc auc    %.4f%n", e.count(), e.loss(), e.accuracy(), e.precision(), e.recall(), e.f1(), e.auc());
        out.printf(Locale.ROOT, "confusion  %10s %10s%n           %10s %10d %10d%n           %10s %10d %10d%n",
            "pred neg", "pred pos", "neg", e.confusion()[0][0], e.confusion()[0][1], "pos", e.confusion()[1][0],
            e.confusion()[1][1]);
      }
      out.flush();
    }
    return 0;
  }

}
