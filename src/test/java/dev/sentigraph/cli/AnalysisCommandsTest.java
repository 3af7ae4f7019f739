package dev.sentigraph.cli;

import dev.sentigraph.config.ExecutionOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.WordIndex;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.train.FitState;
import dev.sentigraph.train.RunFolder;
import dev.sentigraph.train.TrainSettings;
import dev.sentigraph.train.TrainingGraph;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** neighbors and compare on runs whose weights are set by hand, so the answers are known. */
class AnalysisCommandsTest {
  static final String TINY = "src/test/resources/fixtures/tiny_imdb/reviews.npz";

  /** A mean-embedding run over the tiny fixture's 12-word vocabulary (ids 3..14), weights given. */
  static Path run(Path dir, String name, float[] embedding, float bias) throws Exception {
    ModelConfig config = ModelConfig.fromJson(JsonParser.parseString("""
        {"class_name": "Sequential", "config": {"name": "hand", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 6]}},
          {"class_name": "Embedding", "config": {"input_dim": 15, "output_dim": 2}},
          {"class_name": "GlobalAveragePooling1D", "config": {}},
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}""").getAsJsonObject(), "test");
    TrainSettings s = new TrainSettings("adam", 1e-3, 4, 1, "test", 1);
    DataSettings data = DataSettings.keras(15, 6);
    RunFolder run = RunFolder.create(dir.resolve(name), config, data, s,
        WordIndex.read(Path.of(TINY).resolveSibling("imdb_word_index.json")));
    try (TrainingGraph g = new TrainingGraph(SequentialModel.of(config), s, ExecutionOptions.DEFAULT)) {
      g.setWeights(List.of(new NamedWeight("embedding/embeddings", new long[] {15, 2}, embedding),
          new NamedWeight("dense/kernel", new long[] {2, 1}, new float[] {0, 0}),
          new NamedWeight("dense/bias", new long[] {1}, new float[] {bias})));
      run.writeCheckpoint("epoch-001", g::save, FitState.start());
    }
    return run.dir();
  }

  @Test
  void neighborsFindsTheHandPlacedWord(@TempDir Path dir) throws Exception {
    float[] e = new float[30];
    // the tiny index: the=1 film=2 was=3 great=4 bad=5 ...; ids are rank + 3
    for (int id = 3; id < 15; id++) {
      e[2 * id] = id * 10; // far apart on a line
    }
    e[2 * 7] = 1000; // great (rank 4, id 7), away from the rest
    e[2 * 13] = 999.5f; // loved (rank 10, id 13) is the one word close to it
    Path run = run(dir, "hand", e, 0);
    Cli.Run r = Cli.run("neighbors", "--model", run.toString(), "great", "--k", "2", "--json");
    assertEquals(0, r.status(), r.err());
    JsonArray a = JsonParser.parseString(r.out()).getAsJsonArray();
    assertEquals("loved", a.get(0).getAsJsonObject().get("word").getAsString());
    assertEquals(0.5, a.get(0).getAsJsonObject().get("distance").getAsDouble(), 1e-6);
    // the same embedding found in the run's .keras and SavedModel exports (the index given, as they carry none)
    String index = Path.of(TINY).resolveSibling("imdb_word_index.json").toString();
    for (String format : new String[] {"keras", "savedmodel"}) {
      Path out = dir.resolve("hand." + format);
      assertEquals(0, Cli.run("export", "--model", run.toString(), "--format", format, "--out", out.toString()).status());
      Cli.Run exported = Cli.run("neighbors", "--model", out.toString(), "great", "--k", "2", "--json",
          "--word-index", index);
      assertEquals(0, exported.status(), exported.err());
      assertEquals(a, JsonParser.parseString(exported.out()).getAsJsonArray(), format);
    }
    Cli.Run missing = Cli.run("neighbors", "--model", run.toString(), "spaceship");
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("'spaceship' is not in the model's vocabulary"), missing.err());
  }

  @Test
  void compareCountsAlwaysPositiveAgainstAlwaysNegative(@TempDir Path dir) throws Exception {
    Path yes = run(dir, "yes", new float[30], 5f);
    Path no = run(dir, "no", new float[30], -5f);
    Cli.Run r = Cli.run("compare", "--a", yes.toString(), "--b", no.toString(), "--data", TINY, "--show", "1");
    assertEquals(0, r.status(), r.err());
    // the tiny test split has labels [0, 1, 1, 1, 0] (Keras' order): A is right on the 3 positives, B on the 2 negatives
    assertTrue(r.out().contains("reviews 5: both right 0, only A right 3, only B right 2, both wrong 0"), r.out());
    assertTrue(r.out().contains("A right, B wrong:"), r.out());
    // any model source: A as a .keras file, B as a SavedModel
    Path yesKeras = dir.resolve("yes.keras");
    Path noSavedModel = dir.resolve("no-savedmodel");
    assertEquals(0, Cli.run("export", "--model", yes.toString(), "--format", "keras", "--out", yesKeras.toString()).status());
    assertEquals(0, Cli.run("export", "--model", no.toString(), "--out", noSavedModel.toString()).status());
    Cli.Run mixed = Cli.run("compare", "--a", yesKeras.toString(), "--b", noSavedModel.toString(), "--data", TINY,
        "--num-words", "15");
    assertEquals(0, mixed.status(), mixed.err());
    assertTrue(mixed.out().contains("reviews 5: both right 0, only A right 3, only B right 2, both wrong 0"), mixed.out());
    // a Keras-made model with its own vocabulary (60 words) and length (16): said, then each encodes for itself
    Cli.Run other = Cli.run("compare", "--a", yes.toString(), "--b", "savedmodels/lstm/model.keras", "--data", TINY);
    assertEquals(0, other.status(), other.err());
    assertTrue(other.err().contains("the models encode reviews differently"), other.err());
    assertTrue(other.out().matches("(?s)reviews 5: both right \\d, only A right \\d.*"), other.out());
    Cli.Run unknown = Cli.run("compare", "--a", yes.toString(), "--b", dir.resolve("nope").toString(), "--data", TINY);
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("does not exist"), unknown.err());
  }

  @Test
  void reportTabulatesRunsAndEmbedsCurves(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("lstm-run");
    assertEquals(0, Cli.run("train", "--config", TrainCommandTest.config(dir).toString(), "--data", TINY,
        "--num-words", "20", "--seq-len", "8", "--epochs", "2", "--out", run.toString()).status());
    double accuracy = JsonParser.parseString(java.nio.file.Files.readString(run.resolve("metrics.json")))
        .getAsJsonObject().get("accuracy").getAsDouble();
    Path html = dir.resolve("report.html");
    Cli.Run r = Cli.run("report", run.toString(), "--html", html.toString());
    assertEquals(0, r.status(), r.err());
    String row = r.out().lines().filter(l -> l.startsWith("| lstm-run |")).findFirst().orElseThrow();
    // Embedding 20x4 = 80; LSTM(3) on 4: 4*(3*(4+3)+3) = 96; Dense 4
    assertTrue(row.contains("Embedding 80, LSTM 96, Dense 4 | 180 |"), row);
    assertTrue(row.endsWith(String.format(java.util.Locale.ROOT, "| %.4f |", accuracy)), row);
    assertTrue(!row.contains("| - |"), "peak memory and accuracies recorded: " + row);
    assertTrue(java.nio.file.Files.readString(html).contains("data:image/png;base64,"));
  }
}
