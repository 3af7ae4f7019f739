package dev.sentigraph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.LoadOptions;
import dev.sentigraph.Prediction;
import dev.sentigraph.SentimentModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job in-process on local[2]: each input kind, row numbers, and its one-line errors. */
class ScoreJobTest {
  private static final Path MODEL = Path.of(System.getProperty("sentigraph.savedmodels", "../../savedmodels"), "gru", "export");
  private static final Path WORD_INDEX = SentimentScorerTest.WORD_INDEX;
  private static final String A = "a wonderful film, great acting and a fun story";
  private static final String B = "boring and bad, \"the worst\" movie,\nwith an awful plot";

  @TempDir
  Path dir;

  @BeforeAll
  static void present() {
    Assumptions.assumeTrue(Files.isRegularFile(WORD_INDEX), "IMDB word index absent: " + WORD_INDEX);
    System.setProperty("spark.ui.enabled", "false");
  }

  private Map<Object, Row> run(Path input, String... extra) throws Exception {
    Path out = dir.resolve("out");
    String[] base = {"--model", MODEL.toString(), "--input", input.toString(), "--output", out.toString(),
        "--word-index", WORD_INDEX.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    System.setProperty("spark.master", "local[2]");
    assertEquals(0, ScoreJob.run(args));
    try (SparkSession spark = SparkSession.builder().config(new SparkConf()).getOrCreate()) {
      Map<Object, Row> rows = new HashMap<>();
      for (Row r : spark.read().parquet(out.toString()).collectAsList()) {
        assertEquals(null, rows.put(r.get(0), r), "id " + r.get(0) + " twice");
      }
      return rows;
    }
  }

  private static double expected(String text) {
    try (SentimentModel m = SentimentModel.load(MODEL, LoadOptions.defaults().withWordIndex(WORD_INDEX))) {
      List<Prediction> p = m.predict(List.of(text));
      return p.get(0).probability();
    }
  }

  @Test
  void csvWithQuotedLineBreaksAndNoIdGetsRowNumbers() throws Exception {
    Path csv = dir.resolve("reviews.csv");
    Files.writeString(csv, "text,stars\n\"" + A.replace("\"", "\"\"") + "\",5\n\"" + B.replace("\"", "\"\"")
        + "\",1\n,3\n");

    Map<Object, Row> rows = run(csv);

    assertEquals(3, rows.size());
    assertEquals(List.of("row", "probability", "label", "probabilities", "error"),
        List.of(rows.get(0L).schema().fieldNames()));
    assertEquals(expected(A), rows.get(0L).getDouble(1), 1e-6);
    assertEquals(expected(B), rows.get(1L).getDouble(1), 1e-6);
    assertEquals(RowText.NULL, rows.get(2L).getAs("error"));
  }

  @Test
  void folderOfTextFilesIsScoredByFileName() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("reviews/pos"));
    Files.writeString(folder.resolve("1_9.txt"), A);
    Files.writeString(folder.resolve("2_1.txt"), B);
    Files.write(folder.resolve("3_4.txt"), new byte[] {'b', 'a', 'd', ' ', (byte) 0xFF, ' ', 'f', 'i', 'l', 'm'});
    Files.writeString(folder.resolve("notes.md"), "not a review");

    Map<Object, Row> rows = run(dir.resolve("reviews"));

    assertEquals(3, rows.size());
    assertEquals(expected(A), rows.get("1_9.txt").getDouble(1), 1e-6);
    assertEquals(expected(B), rows.get("2_1.txt").getDouble(1), 1e-6);
    assertEquals(RowText.UNDECODABLE, rows.get("3_4.txt").getAs("error"));
  }

  @Test
  void badOptionsAreOneErrorLineAndStatusTwo() throws Exception {
    Path jsonl = dir.resolve("in.jsonl");
    Files.writeString(jsonl, "{\"id\": 1, \"text\": \"fine\"}\n");
    Files.createDirectories(dir.resolve("taken"));
    assertError("error: output " + dir.resolve("taken") + " already exists: give a new path",
        "--model", MODEL.toString(), "--input", jsonl.toString(), "--output", dir.resolve("taken").toString());
    assertError("error: model " + dir.resolve("nope") + " does not exist on this machine, nor as a file shipped with"
        + " --files: expected a path every executor can read",
        "--model", dir.resolve("nope").toString(), "--input", jsonl.toString(), "--output", dir.resolve("o").toString());
    assertError("error: output format xml is not parquet or json",
        "--model", MODEL.toString(), "--input", jsonl.toString(), "--output", dir.resolve("o").toString(), "--format", "xml");
  }

  private static void assertError(String line, String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int status;
    try {
      System.setProperty("spark.master", "local[2]");
      status = ScoreJob.run(args);
    } finally {
      System.setErr(err);
    }
    assertEquals(2, status);
    String out = captured.toString(StandardCharsets.UTF_8);
    assertTrue(out.lines().anyMatch(line::equals), "expected the line <" + line + "> in:\n" + out);
  }
}
