package dev.sentigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {
  static final String TINY = "src/test/resources/fixtures/tiny_imdb/reviews.npz";

  @Test
  void rowAsJsonHasTheSpecFields() {
    Cli.Run r = Cli.run("data", "--data", TINY, "--num-words", "10", "--seq-len", "6", "--row", "train:0", "--json");
    assertEquals(0, r.status(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals("train", o.get("split").getAsString());
    assertEquals(0, o.get("index").getAsInt());
    assertEquals(0, o.get("label").getAsInt());
    assertEquals("[0,0,1,7,9,6]", o.get("tokens").toString()); // Keras: pad_sequences(load_data(num_words=10))
  }

  @Test
  void statsAndHistogram(@TempDir Path dir) {
    Path png = dir.resolve("lengths.png");
    Cli.Run r = Cli.run("data", "--data", TINY, "--json", "--histogram", png.toString());
    assertEquals(0, r.status(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals(7, o.getAsJsonObject("train").get("count").getAsInt());
    assertEquals(4, o.getAsJsonObject("train").get("positive").getAsInt());
    assertTrue(Files.isRegularFile(png));
  }

  @Test
  void badInputExitsTwoWithOneLine() {
    for (String[] args : new String[][] {
        {"data", "--data", "no/such/file.npz"},
        {"data", "--data", TINY, "--row", "train:99"},
        {"data", "--data", TINY, "--num-words", "2"},
        {"data", "--data", TINY, "--seq-len", "-1"},
        {"data", "--data", TINY, "--padding", "middle"},
        {"data", "--bogus"}}) {
      Cli.Run r = Cli.run(args);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().startsWith("error: "), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
  }
}
