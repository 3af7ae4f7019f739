package dev.sentigraph.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.data.DataSettings.Padding;
import dev.sentigraph.error.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {
  static final Path TINY = Path.of("src/test/resources/fixtures/tiny_imdb");

  @Test
  void tinyNpzMatchesKerasLoadData() throws Exception {
    JsonObject expected = JsonParser.parseString(Files.readString(TINY.resolve("expected.json"))).getAsJsonObject();
    for (String name : expected.keySet()) {
      JsonObject e = expected.getAsJsonObject(name);
      JsonObject load = e.getAsJsonObject("load_data");
      DataSettings s = new DataSettings(TINY.resolve("reviews.npz"), load.has("num_words") ? load.get("num_words").getAsInt() : null,
          load.has("skip_top") ? load.get("skip_top").getAsInt() : 0, 3, 1, 2,
          load.has("maxlen") ? load.get("maxlen").getAsInt() : null, e.get("seq_len").getAsInt(),
          Padding.PRE, Padding.PRE, 113);
      Dataset d = DatasetLoader.load(s);
      assertEquals(rows(e.getAsJsonArray("x_train")), rows(d.train()), name + " x_train");
      assertArrayEquals(ints(e.getAsJsonArray("y_train")), d.train().labels(), name + " y_train");
      assertEquals(rows(e.getAsJsonArray("x_test")), rows(d.test()), name + " x_test");
      assertArrayEquals(ints(e.getAsJsonArray("y_test")), d.test().labels(), name + " y_test");
    }
  }

  @Test
  void paddingAndTruncatingFollowPadSequences() {
    TokenSequences s = new TokenSequences(new int[][] {{1, 2, 3, 4, 5}, {7}}, new int[] {0, 1});
    assertEquals(List.of(List.of(3, 4, 5), List.of(0, 0, 7)), rows(SequencePadding.pad(s, 3, Padding.PRE, Padding.PRE)));
    assertEquals(List.of(List.of(1, 2, 3), List.of(7, 0, 0)), rows(SequencePadding.pad(s, 3, Padding.POST, Padding.POST)));
    assertEquals(List.of(List.of(1, 2, 3), List.of(0, 0, 7)), rows(SequencePadding.pad(s, 3, Padding.PRE, Padding.POST)));
  }

  @Test
  void wordIndexEncodesAndDecodesWithKerasOffsets() {
    WordIndex index = WordIndex.read(TINY.resolve("imdb_word_index.json"));
    DataSettings s = DataSettings.keras(10, 5);
    // the=1 film=2 was=3 great=4 ...: ids are rank + 3; 'loved' (10 -> 13) is past num_words, 'zzz' unknown
    assertArrayEquals(new int[] {1, 4, 5, 6, 7, 2, 2}, index.encode("The film, was GREAT!  loved zzz", s, 10));
    assertEquals("<START> the film <UNK> <PAD>", index.decode(new int[] {1, 4, 5, 2, 0}, s));
  }

  @Test
  void standardizerKeepsApostrophesAndDropsKerasFilters() {
    assertEquals(List.of("don't", "stop", "br", "it's", "great"),
        KerasTextStandardizer.words("Don't STOP<br />it's\tgreat!!"));
  }

  @Test
  void textSourcesBuildTokenizerOrderVocabulary(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("reviews.csv");
    Files.writeString(csv, "text,label,split\n\"good, good film\",1,train\nbad film,0,train\n\"a \"\"good\"\" one\",pos,test\n"
        + "awful,neg,test\n");
    Dataset d = DatasetLoader.load(DataSettings.keras(null, 4).withSource(csv));
    // counts: good 2, film 2 (good seen first), bad 1 -> ranks good=1 film=2 bad=3
    assertEquals(1, d.wordIndex().rank("good"));
    assertEquals(2, d.wordIndex().rank("film"));
    assertEquals(3, d.wordIndex().rank("bad"));
    assertEquals(2, d.train().size());
    assertEquals(2, d.test().size());
    Path jsonl = dir.resolve("reviews.jsonl");
    Files.writeString(jsonl, "{\"text\": \"fine\", \"label\": 1}\n{\"text\": \"poor\", \"label\": 0}\n".repeat(5));
    Dataset j = DatasetLoader.load(DataSettings.keras(null, 4).withSource(jsonl));
    assertEquals(8, j.train().size());
    assertEquals(2, j.test().size());
  }

  @Test
  void aclImdbFolderLayoutIsRead(@TempDir Path dir) throws Exception {
    for (String split : List.of("train", "test")) {
      for (String pol : List.of("pos", "neg")) {
        Files.createDirectories(dir.resolve(split).resolve(pol));
        Files.writeString(dir.resolve(split).resolve(pol).resolve("0_1.txt"), pol.equals("pos") ? "loved it<br />" : "hated it");
      }
    }
    Dataset d = DatasetLoader.load(DataSettings.keras(null, 5).withSource(dir));
    assertEquals(2, d.train().size());
    assertEquals(1, d.wordIndex().rank("it"));
    assertEquals(1, java.util.Arrays.stream(d.train().labels()).sum());
  }

  @Test
  void badInputGivesOneLineNamingTheCulprit(@TempDir Path dir) throws Exception {
    Path notZip = dir.resolve("imdb.npz");
    Files.writeString(notZip, "hello");
    assertMessage(() -> DatasetLoader.load(DataSettings.keras(null, 5).withSource(notZip)), "is not a zip archive");
    assertMessage(() -> DatasetLoader.load(DataSettings.keras(null, 5).withSource(dir.resolve("missing.npz"))),
        "does not exist");
    Path noText = dir.resolve("x.csv");
    Files.writeString(noText, "review,label\nfine,1\n");
    assertMessage(() -> DatasetLoader.load(DataSettings.keras(null, 5).withSource(noText)), "expected a header with 'text'");
    assertMessage(() -> DataSettings.keras(3, 5), "num_words 3 is too small");
    assertMessage(() -> DataSettings.keras(100, 0), "sequence length 0 must be a positive");
    Path badJson = dir.resolve("idx");
    Files.createDirectories(badJson);
    Files.copy(TINY.resolve("reviews.npz"), badJson.resolve("imdb.npz"));
    Files.writeString(badJson.resolve("imdb_word_index.json"), "{not json");
    assertMessage(() -> DatasetLoader.load(DataSettings.keras(null, 5).withSource(badJson)), "is not valid JSON");
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "");
    assertMessage(() -> DatasetLoader.load(DataSettings.keras(null, 5).withSource(empty)), "expected both splits");
  }

  @Test
  void npzWithoutKeysOrTruncatedMemberIsRejected(@TempDir Path dir) throws Exception {
    byte[] npz = Files.readAllBytes(TINY.resolve("reviews.npz"));
    Path wrongKeys = dir.resolve("wrong.npz");
    try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(wrongKeys))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("arr_0.npy"));
      zip.write(new byte[] {1, 2, 3});
    }
    assertMessage(() -> DatasetLoader.load(DataSettings.keras(null, 5).withSource(wrongKeys)),
        "has no array x_train, y_train, x_test, y_test");
    // cut the x_train member's pickle short inside a stored (uncompressed) zip
    Path truncated = dir.resolve("truncated.npz");
    try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(npz));
        var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(truncated))) {
      for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] data = in.readAllBytes();
        zip.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
        zip.write(e.getName().equals("x_train.npy") ? java.util.Arrays.copyOf(data, data.length - 20) : data);
      }
    }
    assertMessage(() -> DatasetLoader.load(DataSettings.keras(null, 5).withSource(truncated)), "x_train");
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable run, String part) {
    InputException e = assertThrows(InputException.class, run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  private static List<List<Integer>> rows(PaddedSequences p) {
    return java.util.stream.IntStream.range(0, p.size())
        .mapToObj(i -> java.util.Arrays.stream(p.row(i)).boxed().toList()).toList();
  }

  private static List<List<Integer>> rows(JsonArray a) {
    return a.asList().stream().map(r -> r.getAsJsonArray().asList().stream().map(e -> e.getAsInt()).toList()).toList();
  }

  private static int[] ints(JsonArray a) {
    return a.asList().stream().mapToInt(e -> e.getAsInt()).toArray();
  }
}
