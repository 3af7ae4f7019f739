package dev.sentigraph.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.JsonInput;
import dev.sentigraph.io.TextInput;
import dev.sentigraph.model.ModelInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVRecord;

/**
 * What {@code predict} reads: review texts from {@code --input} (plain lines, {@code .jsonl} with field
 * {@code text}, {@code .csv} with column {@code text}) and token ids from {@code --tokens} (one JSON array per
 * line). A malformed line becomes one {@code error:} line in {@code problems} and the good lines are kept; a file
 * that is not UTF-8, not CSV, or holds no review at all is bad input as a whole.
 */
final class PredictInputs {
  private PredictInputs() {}

  /** The texts of {@code file}, in order. */
  static List<String> readTexts(Path file, List<String> problems) {
    requireFile("--input", file);
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    List<String> texts = new ArrayList<>();
    if (name.endsWith(".csv")) {
      TextInput.Csv csv = TextInput.csv(file, List.of("text"));
      for (int i = 0; i < csv.rows().size(); i++) {
        CSVRecord r = csv.rows().get(i);
        if (r.isConsistent()) {
          texts.add(r.get("text"));
        } else {
          problems.add("error: " + file + " line " + csv.lines().get(i) + ": expected "
              + csv.header().size() + " columns; skipped");
        }
      }
      return requireSome(file, texts, problems, "rows with a 'text' column");
    }
    List<String> lines = TextInput.lines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      if (!name.endsWith(".jsonl")) {
        texts.add(line);
        continue;
      }
      String text = jsonText(line);
      if (text == null) {
        problems.add("error: " + file + " line " + (i + 1) + ": expected a JSON object with a string \"text\" field; skipped");
      } else {
        texts.add(text);
      }
    }
    return requireSome(file, texts, problems, name.endsWith(".jsonl") ? "JSON objects with a \"text\" field" : "lines of text");
  }

  /**
   * The token id rows of {@code file}. Ids must be integer literals ({@code 14.5} or {@code "14"} make the line a
   * problem rather than being coerced), and ids the model does not look up ({@code tokens} says which) make it a
   * problem before anything reaches the model.
   */
  static List<int[]> readTokens(Path file, ModelInput.TokenIds tokens, List<String> problems) {
    requireFile("--tokens", file);
    List<String> lines = TextInput.lines(file);
    List<int[]> out = new ArrayList<>();
    String expected = "expected a JSON array of integer " + tokens.expected();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String problem = null;
      int[] ids = null;
      try {
        JsonElement e = JsonInput.parse(lines.get(i));
        if (!e.isJsonArray()) {
          problem = "got " + JsonInput.describe(e) + ": " + expected;
        } else {
          JsonArray a = e.getAsJsonArray();
          ids = new int[a.size()];
          for (int t = 0; t < ids.length && problem == null; t++) {
            Long id = integerLiteral(a.get(t));
            if (id == null || id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) {
              problem = "item " + t + " is " + JsonInput.describe(a.get(t)) + ": " + expected;
            } else {
              ids[t] = (int) (long) id;
            }
          }
          if (problem == null) {
            problem = tokens.problem(ids).orElse(null);
          }
        }
      } catch (JsonParseException e) {
        problem = "not JSON: " + expected;
      }
      if (problem != null) {
        problems.add("error: " + file + " line " + (i + 1) + ": " + problem + "; skipped");
      } else {
        out.add(ids);
      }
    }
    return requireSome(file, out, problems, "lines of token ids");
  }

  /** A JSON number written as a plain integer ({@code 14}, not {@code 14.5}, {@code 1e1} or {@code "14"}). */
  private static Long integerLiteral(JsonElement e) {
    if (!(e instanceof JsonPrimitive p) || !p.isNumber()) {
      return null;
    }
    String literal = p.getAsString();
    if (!literal.matches("-?\\d{1,18}")) {
      return null; // fractions, exponents, and integers beyond any id (19+ digits)
    }
    return Long.parseLong(literal);
  }

  private static String jsonText(String line) {
    try {
      JsonElement e = JsonInput.parse(line);
      if (e.isJsonObject() && e.getAsJsonObject().get("text") instanceof JsonPrimitive p && p.isString()) {
        return p.getAsString();
      }
    } catch (JsonParseException e) {
      // reported by the caller with its line number
    }
    return null;
  }

  private static <T> List<T> requireSome(Path file, List<T> items, List<String> problems, String what) {
    if (items.isEmpty()) {
      throw new InputException(file + " holds no reviews" + (problems.isEmpty() ? ""
          : " that can be read (" + problems.size() + " malformed, first: " + problems.get(0).replaceFirst("^error: ", "")
          + ")").replace("; skipped)", ")") + ": expected " + what);
    }
    return items;
  }

  private static void requireFile(String option, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException(option + " " + file + " does not exist or is not a file");
    }
  }
}
