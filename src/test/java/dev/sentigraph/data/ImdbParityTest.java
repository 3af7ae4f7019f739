package dev.sentigraph.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.TestData;
import dev.sentigraph.data.DataSettings.Padding;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row and label of the Java loader against Keras' own load_data + pad_sequences (scripts/make_data_goldens.py). */
class ImdbParityTest {
  private static TokenSequences[] ranks;

  @BeforeAll
  static void readNpz() {
    Path dir = TestData.imdbFolder();
    assumeTrue(dir != null, TestData.ABSENT);
    ranks = ImdbLoader.readRanks(dir.resolve("imdb.npz"));
  }

  static Stream<String> goldens() {
    return Stream.of("nw10000_len500", "nw5000_len100", "nw20000_len80", "nw20000_len30",
        "nw10000_skip2_maxlen200_len80", "nw10000_from2_len80_post", "nwNone_len500");
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void matchesKerasRowForRow(String name) throws IOException {
    JsonObject golden = readGolden(name);
    JsonObject load = golden.getAsJsonObject("load_data");
    DataSettings s = new DataSettings(null,
        load.has("num_words") ? load.get("num_words").getAsInt() : null,
        load.has("skip_top") ? load.get("skip_top").getAsInt() : 0,
        load.has("index_from") ? load.get("index_from").getAsInt() : 3, 1, 2,
        load.has("maxlen") ? load.get("maxlen").getAsInt() : null,
        golden.get("seq_len").getAsInt(),
        Padding.valueOf(golden.get("padding").getAsString().toUpperCase()),
        Padding.valueOf(golden.get("truncating").getAsString().toUpperCase()), 113);
    ImdbLoader.Splits splits = ImdbLoader.fromRanks(ranks[0], ranks[1], s, "imdb.npz");
    for (String split : List.of("train", "test")) {
      JsonObject g = golden.getAsJsonObject(split);
      TokenSequences raw = split.equals("train") ? splits.train() : splits.test();
      PaddedSequences padded = SequencePadding.pad(raw, s.seqLen(), s.padding(), s.truncating());
      assertEquals(g.get("count").getAsInt(), raw.size(), name + " " + split + " count");
      StringBuilder labels = new StringBuilder();
      for (int y : raw.labels()) {
        labels.append(y);
      }
      assertEquals(g.get("labels").getAsString(), labels.toString(), name + " " + split + " labels");
      int[] lengths = ints(g.get("lengths_b64_i4").getAsString());
      int[] crcs = ints(g.get("crc32_b64_u4").getAsString());
      ByteBuffer row = ByteBuffer.allocate(s.seqLen() * 4).order(ByteOrder.LITTLE_ENDIAN);
      CRC32 crc = new CRC32();
      for (int i = 0; i < raw.size(); i++) {
        assertEquals(lengths[i], raw.sequences()[i].length, name + " " + split + " length of row " + i);
        row.clear();
        row.asIntBuffer().put(padded.tokens(), i * s.seqLen(), s.seqLen());
        crc.reset();
        crc.update(row.array());
        assertEquals(crcs[i], (int) crc.getValue(), name + " " + split + " row " + i);
      }
      for (String index : g.getAsJsonObject("rows").keySet()) {
        int[] expected = g.getAsJsonObject("rows").getAsJsonArray(index).asList().stream()
            .mapToInt(e -> e.getAsInt()).toArray();
        assertArrayEquals(expected, padded.row(Integer.parseInt(index)), name + " " + split + " row " + index);
      }
    }
  }

  private static int[] ints(String base64) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    int[] out = new int[b.remaining() / 4];
    b.asIntBuffer().get(out);
    return out;
  }

  private static JsonObject readGolden(String name) throws IOException {
    try (Reader r = new InputStreamReader(new GZIPInputStream(
        ImdbParityTest.class.getResourceAsStream("/golden/data/" + name + ".json.gz")), StandardCharsets.UTF_8)) {
      return JsonParser.parseReader(r).getAsJsonObject();
    }
  }
}
