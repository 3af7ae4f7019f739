package dev.sentigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PredictCommandTest {
  @ParameterizedTest
  @ValueSource(strings = {"savedmodels/gru/tfsave", "savedmodels/gru/model.keras"})
  void kerasModelsOnTokensMatchKerasGolden(String model, @TempDir Path dir) throws Exception {
    JsonObject golden = JsonParser.parseString(Files.readString(Path.of("savedmodels/gru/golden.json"))).getAsJsonObject();
    Path tokens = dir.resolve("tokens.txt");
    StringBuilder lines = new StringBuilder();
    golden.getAsJsonArray("tokens").forEach(r -> lines.append(r).append('\n'));
    Files.writeString(tokens, lines.toString());
    Cli.Run r = Cli.run("predict", "--model", model, "--tokens", tokens.toString(), "--json");
    assertEquals(0, r.status(), r.err());
    List<String> out = r.out().lines().toList();
    assertEquals(golden.getAsJsonArray("probabilities").size(), out.size());
    for (int i = 0; i < out.size(); i++) {
      JsonObject o = JsonParser.parseString(out.get(i)).getAsJsonObject();
      assertEquals(i, o.get("index").getAsInt());
      assertEquals(golden.getAsJsonArray("probabilities").get(i).getAsDouble(), o.get("probability").getAsDouble(), 1e-5);
      assertEquals(o.get("probability").getAsDouble() > 0.5 ? 1 : 0, o.get("label").getAsInt());
    }
  }

  @Test
  void malformedLinesAreReportedAndGoodLinesStillPredicted(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("reviews.jsonl");
    Files.writeString(in, "{\"text\": \"great film\"}\nnot json\n{\"text\": \"bad plot\"}\n");
    Path words = dir.resolve("words.json");
    Files.writeString(words, "{\"great\": 1, \"film\": 2, \"bad\": 3, \"plot\": 4}");
    Cli.Run r = Cli.run("predict", "--model", "savedmodels/mean/export", "--input", in.toString(), "--word-index",
        words.toString(), "--num-words", "60", "--json");
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains("line 2"), r.err());
    assertEquals(2, r.out().lines().count(), r.out());
    assertEquals("bad plot", JsonParser.parseString(r.out().lines().toList().get(1)).getAsJsonObject().get("text").getAsString());
  }

  @Test
  void inspectAndBadModels(@TempDir Path dir) {
    Cli.Run r = Cli.run("inspect", "savedmodels/lstm/keras2");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("input  embedding_input"), r.out());
    assertTrue(r.out().contains("output dense"), r.out());
    Cli.Run keras = Cli.run("inspect", "savedmodels/lstm/model.keras");
    assertEquals(0, keras.status(), keras.err());
    assertTrue(keras.out().matches("(?s).*layer 1  LSTM .*recurrent_kernel\\s+\\[6, 24\\]\\s+layers/lstm/cell/vars/1.*"), keras.out());
    assertTrue(keras.out().contains("total params: 847"), keras.out());
    Cli.Run bad = Cli.run("inspect", dir.toString());
    assertEquals(2, bad.status());
    assertTrue(bad.err().contains("is not a SavedModel folder"), bad.err());
    bad = Cli.run("predict", "--model", "savedmodels/lstm/export", "--signature", "nope", "--text", "hi");
    assertEquals(2, bad.status());
    assertTrue(bad.err().contains("available [serve, serving_default]"), bad.err());
  }
}
