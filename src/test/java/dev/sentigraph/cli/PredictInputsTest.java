package dev.sentigraph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.error.InputException;
import dev.sentigraph.model.ModelInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictInputsTest {
  @TempDir Path dir;

  @Test
  void tokenValuesAreNeverCoerced() throws Exception {
    Path f = dir.resolve("t.txt");
    Files.writeString(f, "[1, 2, 3]\n[14.5]\n[\"14\"]\n[9223372036854775808]\n[-1]\n[1e1]\n[4999]\n[5000]\n{\"a\":1}\n");
    List<String> problems = new ArrayList<>();
    List<int[]> rows = PredictInputs.readTokens(f, new ModelInput.TokenIds(10, 5000), problems);
    assertEquals(2, rows.size());
    assertArrayEquals(new int[] {1, 2, 3}, rows.get(0));
    assertArrayEquals(new int[] {4999}, rows.get(1));
    assertEquals(7, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("line 2: item 0 is the number 14.5"), problems.get(0));
    assertTrue(problems.get(1).contains("item 0 is a string"), problems.get(1));
    assertTrue(problems.get(3).contains("line 5: item 0 is -1, a negative id"), problems.get(3));
    assertTrue(problems.get(5).contains("line 8: item 0 is 5000, past the model's vocabulary"), problems.get(5));
    assertTrue(problems.get(5).contains("in [0, 5000)"), problems.get(5));
  }

  @Test
  void deeplyNestedLinesAreProblemsNotStackOverflows() throws Exception {
    Path f = dir.resolve("t.txt");
    Files.writeString(f, "[".repeat(100_000) + "]".repeat(100_000) + "\n[1]\n");
    List<String> problems = new ArrayList<>();
    assertEquals(1, PredictInputs.readTokens(f, new ModelInput.TokenIds(10, null), problems).size());
    assertTrue(problems.get(0).contains("line 1: not JSON"), problems.toString());
    Path j = dir.resolve("r.jsonl");
    Files.writeString(j, "{\"text\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}\n{\"text\": {\"a\": 1}}\n{\"text\": \"ok\"}\n");
    problems.clear();
    assertEquals(List.of("ok"), PredictInputs.readTexts(j, problems));
    assertEquals(2, problems.size(), problems.toString());
  }

  @Test
  void invalidUtf8NamesFileAndLine() throws Exception {
    Path f = dir.resolve("r.txt");
    Files.write(f, new byte[] {'o', 'k', '\n', 'b', (byte) 0xC3, '(', '\n'});
    InputException e = assertThrows(InputException.class, () -> PredictInputs.readTexts(f, new ArrayList<>()));
    assertEquals(f + " line 2 is not valid UTF-8: expected UTF-8 text", e.getMessage());
  }

  @Test
  void badCsvIsOneErrorNamingTheFile() throws Exception {
    Path quote = dir.resolve("q.csv");
    Files.writeString(quote, "text,label\n\"unclosed,1\nmore,0\n");
    InputException e = assertThrows(InputException.class, () -> PredictInputs.readTexts(quote, new ArrayList<>()));
    assertTrue(e.getMessage().startsWith(quote + " is not valid CSV"), e.getMessage());
    Path header = dir.resolve("h.csv");
    Files.writeString(header, "text,,label\na,b,1\n");
    e = assertThrows(InputException.class, () -> PredictInputs.readTexts(header, new ArrayList<>()));
    assertTrue(e.getMessage().startsWith(header + " line 1 has an unusable header"), e.getMessage());
  }

  @Test
  void inputWithoutReviewsIsRefused() throws Exception {
    Path empty = dir.resolve("e.txt");
    Files.writeString(empty, "\n  \n");
    InputException e = assertThrows(InputException.class, () -> PredictInputs.readTexts(empty, new ArrayList<>()));
    assertEquals(empty + " holds no reviews: expected lines of text", e.getMessage());
    Path bad = dir.resolve("b.jsonl");
    Files.writeString(bad, "nope\n");
    e = assertThrows(InputException.class, () -> PredictInputs.readTexts(bad, new ArrayList<>()));
    assertTrue(e.getMessage().contains("1 malformed, first: " + bad + " line 1"), e.getMessage());
  }

  @Test
  void multiLineCsvTextStaysOneReview() throws Exception {
    Path f = dir.resolve("m.csv");
    Files.writeString(f, "text\n\"two\nlines\"\nthird\n");
    assertEquals(List.of("two\nlines", "third"), PredictInputs.readTexts(f, new ArrayList<>()));
  }

  @Property(tries = 150)
  void anyBytesGiveReviewsOrOneBadInputError(@ForAll @Size(max = 200) byte[] bytes, @ForAll boolean tokens,
      @ForAll("extensions") String ext) throws Exception {
    Path f = Files.createTempFile("input", tokens ? ".txt" : ext);
    try {
      Files.write(f, bytes);
      List<String> problems = new ArrayList<>();
      try {
        if (tokens) {
          for (int[] row : PredictInputs.readTokens(f, new ModelInput.TokenIds(10, 60), problems)) {
            for (int id : row) {
              assertTrue(id >= 0 && id < 60, "id " + id);
            }
          }
        } else {
          PredictInputs.readTexts(f, problems);
        }
      } catch (InputException e) {
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().lines().count() == 1, e.getMessage());
      }
      problems.forEach(p -> assertTrue(p.startsWith("error: " + f) && p.lines().count() == 1, p));
    } finally {
      Files.delete(f);
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> extensions() {
    return net.jqwik.api.Arbitraries.of(".txt", ".jsonl", ".csv");
  }

  @Property(tries = 100)
  void tokenRowsRoundTripExactly(@ForAll List<@net.jqwik.api.constraints.IntRange(max = 59) Integer> ids) throws Exception {
    Path f = Files.createTempFile("tokens", ".txt");
    try {
      Files.writeString(f, ids + "\n" + (ids.isEmpty() ? "[0]\n" : ""));
      List<int[]> rows = PredictInputs.readTokens(f, new ModelInput.TokenIds(10, 60), new ArrayList<>());
      assertArrayEquals(ids.stream().mapToInt(Integer::intValue).toArray(), rows.get(0));
    } finally {
      Files.delete(f);
    }
  }
}
