package dev.sentigraph.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.JsonInput;
import dev.sentigraph.io.TextInput;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.csv.CSVRecord;

/**
 * Raw labelled reviews from the user's own files, split into train and test: an aclImdb folder
 * ({@code train|test/pos|neg/*.txt}) or its tarball as downloaded ({@code aclImdb_v1.tar.gz}), or a {@code .csv}/{@code .jsonl} file with {@code text} and
 * {@code label} fields. A file's rows go to the split named in an optional {@code split} field
 * (train/test); without one, every fifth row (rows 4, 9, 14, ...) is test data, so both splits see the
 * whole file. Labels may be 0/1, true/false, pos/neg or positive/negative, or a class number 0..K-1 for a K-class
 * model. An aclImdb review's label is its polarity, or the band of its star rating ({@link ReviewLabels}).
 */
public record TextReviews(List<LabeledText> train, List<LabeledText> test, String origin) {

  /** The reviews of {@code path}, an aclImdb's labelled as {@code labels} asks; a file's labels are its own. */
  public static TextReviews read(Path path, ReviewLabels labels) {
    if (Files.isDirectory(path)) {
      return readAclImdb(path, labels);
    }
    if (isTarball(path)) {
      return readAclImdbTarball(path, labels);
    }
    if (labels != ReviewLabels.POLARITY) {
      throw new InputException("labels " + labels.id() + " are read from aclImdb's file names, and " + path
          + " is not an aclImdb folder or tarball: give a .csv/.jsonl file's classes 0..K-1 in its label column",
          "labels");
    }
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return readCsv(path);
    }
    if (name.endsWith(".jsonl")) {
      return readJsonl(path);
    }
    throw new InputException(path + " is not a supported text dataset: expected an aclImdb folder,"
        + " aclImdb_v1.tar.gz, .csv or .jsonl");
  }

  static boolean isTarball(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".tar.gz") || name.endsWith(".tgz") || name.endsWith(".tar");
  }

  /**
   * The aclImdb tarball read in place: {@code <top>/train|test/pos|neg/*.txt} entries (anything else, such as
   * {@code train/unsup}, is skipped), in the folder reader's order.
   */
  static TextReviews readAclImdbTarball(Path file, ReviewLabels labels) {
    // split/polarity -> file name -> text, names sorted as the folder reader sorts paths
    Map<String, TreeMap<String, String>> parts = new LinkedHashMap<>();
    for (String split : List.of("train", "test")) {
      for (String polarity : List.of("pos", "neg")) {
        parts.put(split + "/" + polarity, new TreeMap<>());
      }
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        InputStream in = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tar") ? raw
            : new GzipCompressorInputStream(raw);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String[] path = entry.getName().split("/");
        if (!entry.isFile() || path.length < 3 || !path[path.length - 1].endsWith(".txt")) {
          continue;
        }
        TreeMap<String, String> part = parts.get(path[path.length - 3] + "/" + path[path.length - 2]);
        if (part != null) {
          part.put(path[path.length - 1], TextInput.decode(tar.readAllBytes(), file + "!" + entry.getName()));
        }
      }
    } catch (IOException e) {
      throw new InputException(file + " is not a readable .tar.gz (" + e.getMessage() + "): expected the"
          + " aclImdb_v1.tar.gz archive");
    }
    List<LabeledText> train = new ArrayList<>();
    List<LabeledText> test = new ArrayList<>();
    for (Map.Entry<String, TreeMap<String, String>> part : parts.entrySet()) {
      if (part.getValue().isEmpty()) {
        throw new InputException(file + " has no " + part.getKey() + "/*.txt reviews: expected the aclImdb"
            + " layout aclImdb/train|test/pos|neg/*.txt");
      }
      for (Map.Entry<String, String> review : part.getValue().entrySet()) {
        int label = labels.label(review.getKey(), part.getKey().endsWith("pos"), file + "!" + part.getKey());
        (part.getKey().startsWith("train") ? train : test).add(new LabeledText(review.getValue(), label));
      }
    }
    return new TextReviews(train, test, file.toString());
  }

  static TextReviews readAclImdb(Path root, ReviewLabels labels) {
    List<LabeledText> train = new ArrayList<>();
    List<LabeledText> test = new ArrayList<>();
    for (String split : List.of("train", "test")) {
      for (String polarity : List.of("pos", "neg")) {
        Path dir = root.resolve(split).resolve(polarity);
        if (!Files.isDirectory(dir)) {
          throw new InputException(root + " has no folder " + split + "/" + polarity
              + ": expected the aclImdb layout train|test/pos|neg/*.txt");
        }
        try (Stream<Path> files = Files.list(dir)) {
          // aclImdb order as the npz was built: pos then neg, file names sorted as strings
          for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
            int label = labels.label(f.getFileName().toString(), polarity.equals("pos"), dir.toString());
            (split.equals("train") ? train : test).add(new LabeledText(TextInput.read(f), label));
          }
        } catch (IOException e) {
          throw new InputException("cannot read " + dir + ": " + e.getMessage());
        }
      }
    }
    return new TextReviews(train, test, root.toString());
  }

  static TextReviews readCsv(Path file) {
    Builder b = new Builder(file);
    TextInput.Csv csv = TextInput.csv(file, List.of("text", "label"));
    boolean hasSplit = csv.header().contains("split");
    for (int i = 0; i < csv.rows().size(); i++) {
      CSVRecord r = csv.rows().get(i);
      long line = csv.lines().get(i);
      if (!r.isConsistent()) {
        throw new InputException(file + " line " + line + ": expected " + csv.header().size() + " columns");
      }
      b.add(r.get("text"), r.get("label"), hasSplit ? r.get("split") : null, line);
    }
    return b.build();
  }

  static TextReviews readJsonl(Path file) {
    Builder b = new Builder(file);
    List<String> lines = TextInput.lines(file);
    for (int i = 0; i < lines.size(); i++) {
      long n = i + 1;
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      JsonObject o;
      try {
        JsonElement e = JsonInput.parse(line);
        if (!e.isJsonObject()) {
          throw new JsonParseException("not an object");
        }
        o = e.getAsJsonObject();
      } catch (JsonParseException e) {
        throw new InputException(file + " line " + n + " is not a JSON object: expected {\"text\": ..., \"label\": ...}");
      }
      if (!o.has("text") || !o.has("label")) {
        throw new InputException(file + " line " + n + " lacks 'text' or 'label'");
      }
      b.add(field(o, "text", file, n, false), field(o, "label", file, n, true),
          o.has("split") && !o.get("split").isJsonNull() ? field(o, "split", file, n, false) : null, n);
    }
    return b.build();
  }

  /** A string field of a JSON line (a label may also be a number or a boolean). */
  private static String field(JsonObject o, String key, Path file, long line, boolean label) {
    JsonElement e = o.get(key);
    if (e instanceof JsonPrimitive p && (p.isString() || label)) {
      return p.getAsString();
    }
    throw new InputException(file + " line " + line + ": '" + key + "' is " + JsonInput.describe(e)
        + ": expected " + (label ? "a label (0/1, true/false, pos/neg, or a class number)" : "a string"));
  }

  /**
   * Reviews from rows read elsewhere (a Spark DataFrame): each row is {text, label, split or null}, taken under the
   * rules of a file's rows (labels 0/1, true/false, pos/neg or class numbers; without a split every fifth row is test data).
   */
  public static TextReviews fromRows(String origin, List<String[]> rows) {
    Builder b = new Builder(Path.of(origin));
    long n = 0;
    for (String[] row : rows) {
      b.add(row[0], row[1], row[2], ++n);
    }
    TextReviews r = b.build();
    return new TextReviews(r.train(), r.test(), origin);
  }

  /** Collects rows of a file, parsing labels and splits with line numbers for errors. */
  private static final class Builder {
    private final Path file;
    private final List<LabeledText> train = new ArrayList<>();
    private final List<LabeledText> test = new ArrayList<>();
    private int rows;

    Builder(Path file) {
      this.file = file;
    }

    void add(String text, String label, String split, long line) {
      int y = switch (label.strip().toLowerCase(Locale.ROOT)) {
        case "1", "1.0", "true", "pos", "positive" -> 1;
        case "0", "0.0", "false", "neg", "negative" -> 0;
        default -> classNumber(label, line);
      };
      boolean isTest;
      if (split == null) {
        isTest = rows % 5 == 4;
      } else {
        isTest = switch (split.strip().toLowerCase(Locale.ROOT)) {
          case "test" -> true;
          case "train" -> false;
          default -> throw new InputException(file + " line " + line + ": split '" + split
              + "' is not valid: expected train or test");
        };
      }
      rows++;
      (isTest ? test : train).add(new LabeledText(text, y, line));
    }

    /** A K-class label, 0..K-1; whether it is below K the model decides when it trains. */
    private int classNumber(String label, long line) {
      String digits = label.strip();
      if (digits.endsWith(".0")) {
        digits = digits.substring(0, digits.length() - 2);
      }
      if (digits.matches("[0-9]{1,9}")) {
        return Integer.parseInt(digits);
      }
      throw new InputException(file + " line " + line + ": label '" + label
          + "' is not valid: expected 0/1, true/false, pos/neg, positive/negative or a class number 0..K-1");
    }

    TextReviews build() {
      if (train.isEmpty() || test.isEmpty()) {
        throw new InputException(file + " has " + train.size() + " training and " + test.size()
            + " test reviews: expected both splits to be non-empty");
      }
      return new TextReviews(train, test, file.toString());
    }
  }

  /** Ranks from a vocabulary built on the training texts (test words never seen in training are dropped). */
  public TokenSequences[] toRanks(WordIndex vocabulary) {
    return new TokenSequences[] {ranks(train, vocabulary), ranks(test, vocabulary)};
  }

  public WordIndex buildVocabulary() {
    return WordIndex.fromTexts(train.stream().map(t -> KerasTextStandardizer.words(t.text())).toList());
  }

  private static TokenSequences ranks(List<LabeledText> texts, WordIndex vocabulary) {
    int[][] seqs = new int[texts.size()][];
    int[] labels = new int[texts.size()];
    for (int i = 0; i < seqs.length; i++) {
      seqs[i] = vocabulary.ranksOf(KerasTextStandardizer.words(texts.get(i).text()));
      labels[i] = texts.get(i).label();
    }
    return new TokenSequences(seqs, labels);
  }
}
