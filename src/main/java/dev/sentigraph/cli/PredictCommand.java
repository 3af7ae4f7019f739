package dev.sentigraph.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sentigraph.LoadOptions;
import dev.sentigraph.Prediction;
import dev.sentigraph.Predictions;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.data.OutputMode;
import dev.sentigraph.error.InputException;
import dev.sentigraph.model.ModelInput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sentigraph predict}: one record per review with its probability and label. Raw text becomes ids as
 * Keras' legacy Tokenizer does, with the model's word index and offsets, padded as the model expects.
 * Malformed input lines are reported by number; the good ones are still predicted, and the exit status is 2.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predict the sentiment of reviews with a run folder or a SavedModel.")
final class PredictCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "M", required = true, description = "A run folder or a SavedModel folder.")
  Path model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--text", paramLabel = "TEXT", description = "A review (repeatable).")
    List<String> texts;

    @Option(names = "--input", paramLabel = "FILE", description = "Reviews: plain lines, .jsonl (field text) or .csv (column text).")
    Path input;

    @Option(names = "--tokens", paramLabel = "FILE", description = "One JSON array of token ids per line.")
    Path tokens;
  }

  @Option(names = "--word-index", paramLabel = "FILE",
      description = "Word-to-rank JSON for raw text (default: the run's, else imdb_word_index.json beside the default data).")
  Path wordIndexFile;

  @Option(names = "--signature", paramLabel = "KEY", description = "SavedModel signature (default serving_default).")
  String signature;

  @Option(names = "--input-name", paramLabel = "NAME", description = "SavedModel input, for signatures with several.")
  String inputName;

  @Option(names = "--index-from", paramLabel = "N", description = "Offset of word ranks (default: the model's, else 3).")
  Integer indexFrom;

  @Option(names = "--num-words", paramLabel = "N", description = "Ids at or above N become OOV (default: the model's, else 10000).")
  Integer numWords;

  @Option(names = "--seq-len", paramLabel = "L", description = "Padded length, for SavedModels whose signature has none.")
  Integer seqLen;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256", description = "Reviews per inference batch.")
  int batchSize;

  @Option(names = "--checkpoint", paramLabel = "NAME", description = "Which checkpoint of a run (default: best, else latest).")
  String checkpoint;

  @Option(names = "--features", paramLabel = "MODE", description = "What a model's Dense input is, when the file"
      + " cannot say: multi_hot (Deep Learning with Python's vectorize_sequences of the token ids) or count.")
  String features;

  @Option(names = "--json", description = "JSON lines: {\"index\", \"probability\", \"label\"} plus \"text\" for text input, \"class\" with --labels, \"outputs\" for several.")
  boolean json;

  @Mixin OutputChoice outputChoice;
  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  /** One review to predict: its text (null for token input) or ids, and its position in the input. */
  private record Review(int index, String text, int[] ids) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    List<String> problems = new ArrayList<>();
    LoadOptions options = CliEnvironment.loadOptions().withWordIndex(wordIndexFile).withNumWords(numWords)
        .withIndexFrom(indexFrom).withSeqLen(seqLen).withSignature(signature).withInputName(inputName)
        .withCheckpoint(checkpoint).withBatchSize(batchSize).withOutputName(outputChoice.outputName())
        .withClassNames(outputChoice.labels())
        .withFeatures(features == null ? null
            : OutputMode.featuresOf(features, "--features"));
    try (SentimentModel m = SentimentModel.load(model, options)) {
      List<Review> reviews = source.tokens != null ? readTokens(source.tokens, m.tokenInput(), problems) : texts(problems);
      Predictions p = source.tokens != null ? m.predict(reviews.stream().map(Review::ids).toArray(int[][]::new))
          : m.predict(reviews.stream().map(Review::text).toList());
      PrintWriter out = spec.commandLine().getOut();
      List<Predictions> each = p.outputs().size() > 1 ? p.outputs().stream().map(o -> p.output(o.name())).toList()
          : List.of();
      for (int i = 0; i < reviews.size(); i++) {
        Review r = reviews.get(i);
        Prediction q = p.get(i);
        if (json) {
          JsonObject o = new JsonObject();
          o.addProperty("index", r.index());
          o.addProperty("probability", (float) q.probability());
          o.addProperty("label", q.label());
          if (!Double.isNaN(q.logit())) {
            o.addProperty("logit", (float) q.logit());
          }
          if (q.multiClass()) {
            JsonArray classes = new JsonArray();
            for (double c : q.classProbabilities()) {
              classes.add((float) c);
            }
            o.add("probabilities", classes);
          }
          if (q.className() != null) {
            o.addProperty("class", q.className());
          }
          if (!each.isEmpty()) {
            o.add("outputs", outputs(each, i));
          }
          if (r.text() != null) {
            o.addProperty("text", r.text());
          }
          out.println(o);
        } else {
          out.printf(Locale.ROOT, "%5d  %.4f  %s  %s%n", r.index(), (float) q.probability(), labelText(q),
              shown(r.text()));
        }
      }
      out.flush();
    }
    problems.forEach(err::println);
    return problems.isEmpty() ? 0 : ErrorHandler.BAD_INPUT;
  }

  private List<Review> texts(List<String> problems) throws IOException {
    List<String> texts = source.texts != null ? source.texts : PredictInputs.readTexts(source.input, problems);
    List<Review> out = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      out.add(new Review(i, texts.get(i), null));
    }
    return out;
  }

  private static List<Review> readTokens(Path file, ModelInput.TokenIds input, List<String> problems) {
    List<int[]> rows = PredictInputs.readTokens(file, input, problems);
    List<Review> out = new ArrayList<>();
    for (int[] ids : rows) {
      out.add(new Review(out.size(), null, ids));
    }
    return out;
  }

  /**
   * How the plain output names a prediction: positive or negative, a logit head's score beside it, a K-class
   * model's top class.
   */
  private static String labelText(Prediction q) {
    if (q.className() != null) {
      return q.className();
    }
    if (q.multiClass()) {
      return "class " + q.label();
    }
    String label = q.label() == 1 ? "positive" : "negative";
    return Double.isNaN(q.logit()) ? label : String.format(Locale.ROOT, "%s (logit %.4f)", label, q.logit());
  }

  /** Every output's values for review {@code i}, by name, as the model gave them. */
  private static JsonObject outputs(List<Predictions> each, int i) {
    JsonObject byName = new JsonObject();
    for (Predictions p : each) {
      JsonArray values = new JsonArray();
      for (float v : p.values(i)) {
        values.add(v);
      }
      byName.add(p.output().name(), values);
    }
    return byName;
  }

  /** A text as the plain output shows it: on one line (records are one per line), cut at 70 characters. */
  private static String shown(String text) {
    if (text == null) {
      return "";
    }
    String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
    return oneLine.length() > 70 ? oneLine.substring(0, 67) + "..." : oneLine;
  }
}
