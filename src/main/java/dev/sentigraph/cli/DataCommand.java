package dev.sentigraph.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.Dataset;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.data.LengthStats;
import dev.sentigraph.data.PaddedSequences;
import dev.sentigraph.data.TokenSequences;
import dev.sentigraph.error.InputException;
import dev.sentigraph.plot.PngCharts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentigraph data}: what a dataset holds, one review's ids or words, and a length histogram. */
@Command(name = "data", mixinStandardHelpOptions = true,
    description = "Counts, label balance and length percentiles of a dataset; one review's ids or words;"
        + " a review-length histogram. Defaults: --num-words 10000 --seq-len 500.")
final class DataCommand implements Callable<Integer> {
  @Mixin DataOptions dataOptions;
  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Option(names = "--row", paramLabel = "SPLIT:INDEX", description = "Print the padded token ids of one review, e.g. train:123.")
  String row;

  @Option(names = "--decode", paramLabel = "SPLIT:INDEX", description = "Print the words of one review, e.g. test:7.")
  String decode;

  @Option(names = "--histogram", paramLabel = "FILE.png", description = "Write a histogram of review lengths (train and test).")
  Path histogram;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    DataSettings settings = dataOptions.applyTo(DataSettings.keras(10000, 500));
    ReviewRef rowRef = row == null ? null : ReviewRef.parse("--row", row);
    ReviewRef decodeRef = decode == null ? null : ReviewRef.parse("--decode", decode);
    Dataset data = DatasetLoader.load(settings);
    PrintWriter out = spec.commandLine().getOut();
    if (rowRef != null) {
      printRow(out, data, rowRef);
    }
    if (decodeRef != null) {
      printDecoded(out, data, decodeRef);
    }
    if (histogram != null) {
      int[] lengths = concat(LengthStats.lengths(data.rawTrain()), LengthStats.lengths(data.rawTest()));
      PngCharts.histogram(histogram, "Review lengths (" + data.origin() + ")", "tokens (start token included)",
          lengths, 50, LengthStats.of(data.rawTrain()).percentile(99));
      spec.commandLine().getErr().println("wrote " + histogram);
    }
    if (rowRef == null && decodeRef == null) {
      printStats(out, data);
    }
    out.flush();
    return 0;
  }

  private void printRow(PrintWriter out, Dataset data, ReviewRef ref) {
    PaddedSequences split = ref.split().equals("train") ? data.train() : data.test();
    ref.check(split.size());
    if (json) {
      JsonObject o = new JsonObject();
      o.addProperty("split", ref.split());
      o.addProperty("index", ref.index());
      o.addProperty("label", split.labels()[ref.index()]);
      JsonArray tokens = new JsonArray();
      Arrays.stream(split.row(ref.index())).forEach(tokens::add);
      o.add("tokens", tokens);
      out.println(o);
    } else {
      out.println(ref.split() + ":" + ref.index() + " label " + split.labels()[ref.index()]);
      out.println(Arrays.toString(split.row(ref.index())));
    }
  }

  private void printDecoded(PrintWriter out, Dataset data, ReviewRef ref) {
    TokenSequences split = ref.split().equals("train") ? data.rawTrain() : data.rawTest();
    ref.check(split.size());
    if (data.wordIndex() == null) {
      throw new InputException("--decode needs a word index: put imdb_word_index.json beside " + data.origin());
    }
    String words = data.wordIndex().decode(split.sequences()[ref.index()], data.settings());
    if (json) {
      JsonObject o = new JsonObject();
      o.addProperty("split", ref.split());
      o.addProperty("index", ref.index());
      o.addProperty("label", split.labels()[ref.index()]);
      o.addProperty("text", words);
      out.println(o);
    } else {
      out.println(ref.split() + ":" + ref.index() + " label " + split.labels()[ref.index()]);
      out.println(words);
    }
  }

  private void printStats(PrintWriter out, Dataset data) {
    DataSettings s = data.settings();
    if (json) {
      JsonObject o = new JsonObject();
      o.addProperty("source", data.origin());
      o.addProperty("num_words", data.numWords());
      o.addProperty("seq_len", s.seqLen());
      o.add("train", splitJson(data.rawTrain(), s.seqLen()));
      o.add("test", splitJson(data.rawTest(), s.seqLen()));
      out.println(new GsonBuilder().setPrettyPrinting().create().toJson(o));
      return;
    }
    out.printf("source    %s%n", data.origin());
    out.printf("settings  num_words %d, skip_top %d, index_from %d, seq_len %d, padding %s, truncating %s%s%n",
        data.numWords(), s.skipTop(), s.indexFrom(), s.seqLen(), s.padding().name().toLowerCase(),
        s.truncating().name().toLowerCase(), s.dropLongerThan() == null ? "" : ", drop >= " + s.dropLongerThan());
    out.printf("%-6s %8s %16s %7s %6s %6s %6s %6s %6s %10s%n", "split", "reviews", "positive", "mean", "p50", "p90",
        "p99", "min", "max", "truncated");
    for (String name : new String[] {"train", "test"}) {
      TokenSequences split = name.equals("train") ? data.rawTrain() : data.rawTest();
      LengthStats st = LengthStats.of(split);
      long[] counts = classCounts(split.labels());
      String positive = counts.length > 2 ? "(classes below)" : String.format(Locale.ROOT, "%8d (%4.1f%%)", counts[1],
          100.0 * counts[1] / split.size());
      out.printf("%-6s %8d %16s %7.1f %6d %6d %6d %6d %6d %9.1f%%%n", name, split.size(), positive, st.mean(),
          st.percentile(50), st.percentile(90), st.percentile(99), st.min(), st.max(), 100.0 * st.longerThan(s.seqLen()) / split.size());
    }
    for (String name : new String[] {"train", "test"}) {
      TokenSequences split = name.equals("train") ? data.rawTrain() : data.rawTest();
      long[] counts = classCounts(split.labels());
      if (counts.length > 2) {
        StringBuilder line = new StringBuilder(String.format("%-6s classes", name));
        for (int k = 0; k < counts.length; k++) {
          line.append(String.format(Locale.ROOT, "  %d: %d (%.1f%%)", k, counts[k], 100.0 * counts[k] / split.size()));
        }
        out.println(line);
      }
    }
  }

  /** Reviews per label 0..max; K-class data (labels past 1) is counted by class rather than as positive. */
  private static long[] classCounts(int[] labels) {
    long[] counts = new long[Math.max(2, Arrays.stream(labels).max().orElse(0) + 1)];
    for (int y : labels) {
      counts[y]++;
    }
    return counts;
  }

  private static JsonObject splitJson(TokenSequences split, int seqLen) {
    LengthStats st = LengthStats.of(split);
    JsonObject o = new JsonObject();
    o.addProperty("count", split.size());
    long[] counts = classCounts(split.labels());
    if (counts.length > 2) {
      JsonArray classes = new JsonArray();
      Arrays.stream(counts).forEach(classes::add);
      o.add("classes", classes);
    } else {
      o.addProperty("positive", counts[1]);
      o.addProperty("negative", counts[0]);
    }
    JsonObject len = new JsonObject();
    len.addProperty("mean", st.mean());
    len.addProperty("min", st.min());
    for (int p : new int[] {50, 90, 99}) {
      len.addProperty("p" + p, st.percentile(p));
    }
    len.addProperty("max", st.max());
    o.add("length", len);
    o.addProperty("truncated", st.longerThan(seqLen));
    return o;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** {@code train:123} or {@code test:7}. */
  private record ReviewRef(String option, String split, int index) {
    static ReviewRef parse(String option, String spec) {
      String[] parts = spec.split(":", 2);
      if (parts.length == 2 && (parts[0].equals("train") || parts[0].equals("test"))) {
        try {
          return new ReviewRef(option, parts[0], Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
          // falls through to the error below
        }
      }
      throw new InputException(option + " '" + spec + "' is not valid: expected train:INDEX or test:INDEX");
    }

    void check(int size) {
      if (index < 0 || index >= size) {
        throw new InputException(option + " " + split + ":" + index + " is out of range: the " + split
            + " split has reviews 0 to " + (size - 1));
      }
    }
  }
}
