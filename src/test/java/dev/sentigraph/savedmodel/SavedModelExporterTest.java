package dev.sentigraph.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sentigraph.InvalidInputException;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.io.AtomicFile;
import dev.sentigraph.model.InferenceSession;
import dev.sentigraph.model.ModelConfig;
import dev.sentigraph.model.ModelGraph;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.train.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * Exports of every layer family reload with identical predictions. With SENTIGRAPH_EXPORT_DIR set, the
 * exports and sentigraph's predictions stay there for scripts/check_savedmodel_export.py (run by scripts/test).
 */
class SavedModelExporterTest {
  static final String[] FAMILIES = {
      "{\"class_name\": \"GlobalAveragePooling1D\", \"config\": {}}",
      "{\"class_name\": \"LSTM\", \"config\": {\"units\": 5, \"dropout\": 0.3}}",
      "{\"class_name\": \"GRU\", \"config\": {\"units\": 5}}",
      "{\"class_name\": \"SimpleRNN\", \"config\": {\"units\": 5, \"activation\": \"relu\"}}",
      "{\"class_name\": \"Conv1D\", \"config\": {\"filters\": 4, \"kernel_size\": 3, \"padding\": \"same\", \"activation\": \"relu\"}},"
          + "{\"class_name\": \"MaxPooling1D\", \"config\": {\"pool_size\": 2}}, {\"class_name\": \"Flatten\", \"config\": {}},"
          + "{\"class_name\": \"Dense\", \"config\": {\"units\": 6, \"activation\": \"relu\"}}",
  };

  static TrainedModel randomModel(String middle, long seed) {
    ModelConfig config = ModelConfig.fromJson(com.google.gson.JsonParser.parseString("""
        {"class_name": "Sequential", "config": {"name": "m", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 12]}},
          {"class_name": "Embedding", "config": {"input_dim": 30, "output_dim": 6,
            "embeddings_initializer": {"class_name": "RandomUniform", "config": {"minval": -1, "maxval": 1}}}},
          %s,
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}
        """.formatted(middle)).getAsJsonObject(), "test");
    try (Graph g = new Graph(); Session s = new Session(g)) {
      ModelGraph mg = SequentialModel.of(config).build(Ops.create(g), seed);
      s.run(mg.initializer());
      return new TrainedModel(config, mg.readWeights(s), DataSettings.keras(30, 12), null);
    }
  }

  @Test
  void everyFamilyReloadsWithTheSamePredictions(@TempDir Path tmp) throws Exception {
    String env = System.getenv("SENTIGRAPH_EXPORT_DIR");
    Path root = env != null ? Path.of(env).resolve("savedmodel") : tmp;
    Files.createDirectories(root);
    Random rng = new Random(1);
    int rows = 4;
    int[] tokens = new int[rows * 12];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = rng.nextInt(30);
    }
    JsonArray cases = new JsonArray();
    for (int f = 0; f < FAMILIES.length; f++) {
      TrainedModel model = randomModel(FAMILIES[f], f + 1);
      Path out = root.resolve("family" + f);
      SavedModelExporter.export(model, out, true, "test");
      float[] expected;
      try (InferenceSession direct = new InferenceSession(model.config(), model.weights(), SessionSettings.config())) {
        expected = direct.predict(tokens, rows);
      }
      try (SavedModelPredictor reloaded = SavedModelPredictor.open(out, null, null, null)) {
        assertEquals("tokens", reloaded.inputName());
        assertEquals("int32", reloaded.inputDtype());
        float[] actual = reloaded.predict(tokens, rows);
        for (int i = 0; i < rows; i++) {
          assertEquals(expected[i], actual[i], 1e-6, "family " + f + " row " + i);
        }
      }
      assertTrue(Files.isRegularFile(out.resolve("assets.extra/sentigraph.json")));
      JsonObject c = new JsonObject();
      c.addProperty("path", out.toString());
      JsonArray p = new JsonArray();
      for (float v : expected) {
        p.add(v);
      }
      c.add("probabilities", p);
      cases.add(c);
    }
    JsonObject doc = new JsonObject();
    JsonArray t = new JsonArray();
    for (int i = 0; i < rows; i++) {
      JsonArray row = new JsonArray();
      for (int j = 0; j < 12; j++) {
        row.add(tokens[i * 12 + j]);
      }
      t.add(row);
    }
    doc.add("tokens", t);
    doc.add("models", cases);
    AtomicFile.writeString(root.resolve("predictions.json"), doc.toString());
  }

  @Test
  void existingTargetNeedsForceAndSurvivesRefusal(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("model");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "mine");
    var e = assertThrows(InvalidInputException.class,
        () -> SavedModelExporter.export(randomModel(FAMILIES[0], 1), out, false, "test"));
    assertTrue(e.getMessage().contains("--force"), e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    try (var files = Files.list(tmp)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("tmp")));
    }
  }
}
