package dev.sentigraph.cli;

import dev.sentigraph.SentimentModel;
import dev.sentigraph.analysis.ModelComparison;
import dev.sentigraph.data.Dataset;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.error.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sentigraph compare}: two models on the test split, each with its own encoding of the reviews: how
 * often both, one or neither is right, and reviews that one gets right and the other wrong.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Compare two models on the test split: counts of both/only A/only B/neither right, and examples.")
final class CompareCommand implements Callable<Integer> {
  @Option(names = "--a", paramLabel = "M1", required = true, description = "First model (run folder or SavedModel).")
  Path a;

  @Option(names = "--b", paramLabel = "M2", required = true, description = "Second model.")
  Path b;

  @Option(names = "--show", paramLabel = "N", defaultValue = "3", description = "Reviews to show for each disagreement (default 3).")
  int show;

  @Mixin DataOptions dataOptions;
  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (SentimentModel ma = SentimentModel.load(a, CliEnvironment.loadOptions());
        SentimentModel mb = SentimentModel.load(b, CliEnvironment.loadOptions())) {
      Dataset da = DatasetLoader.load(dataOptions.applyTo(ma.dataSettings()), ma.encoding().vectorization());
      Dataset db = DatasetLoader.load(dataOptions.applyTo(mb.dataSettings()), mb.encoding().vectorization());
      if (!Arrays.equals(da.test().labels(), db.test().labels())) {
        throw new InputException("--a and --b see different test reviews (their data settings filter differently):"
            + " expected the same reviews in the same order");
      }
      if (!ma.dataSettings().equals(mb.dataSettings())) {
        err.println("note: the models encode reviews differently (vocabulary or length); each uses its own encoding");
      }
      float[] pa = ma.predictAll(da.test()).probabilities();
      float[] pb = mb.predictAll(db.test()).probabilities();
      ModelComparison c = ModelComparison.of(da.test().labels(), pa, pb);
      out.printf(Locale.ROOT, "reviews %d: both right %d, only A right %d, only B right %d, both wrong %d%n", c.count(),
          c.bothRight(), c.onlyA(), c.onlyB(), c.bothWrong());
      out.printf(Locale.ROOT, "accuracy: A %.4f (%s), B %.4f (%s)%n", c.accuracyA(), a, c.accuracyB(), b);
      showExamples(out, "A right, B wrong", c.onlyARight(), da, pa, pb);
      showExamples(out, "B right, A wrong", c.onlyBRight(), da, pa, pb);
      out.flush();
    }
    return 0;
  }

  private void showExamples(PrintWriter out, String title, List<Integer> indices, Dataset data, float[] pa, float[] pb) {
    if (show <= 0 || indices.isEmpty()) {
      return;
    }
    out.println();
    out.println(title + ":");
    for (int i : indices.subList(0, Math.min(show, indices.size()))) {
      String text = data.wordIndex() == null ? "(no word index to decode)"
          : data.wordIndex().decode(data.rawTest().sequences()[i], data.settings());
      out.printf(Locale.ROOT, "  test:%d label %d, A %.3f, B %.3f: %s%n", i, data.test().labels()[i], pa[i], pb[i],
          text.length() > 300 ? text.substring(0, 297) + "..." : text);
    }
  }
}
