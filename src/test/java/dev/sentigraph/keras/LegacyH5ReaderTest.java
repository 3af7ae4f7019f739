package dev.sentigraph.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.InteropFixtures;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.config.LayerConfig;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.AtomicFile;
import dev.sentigraph.model.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras 2 style {@code model.save("x.h5")} files (scripts/make_legacy_h5.py) predict what Keras predicted, and
 * {@code export --format keras} turns them into {@code .keras} files Keras 3 opens (check_keras_export.py reads
 * SENTIGRAPH_EXPORT_DIR/keras-legacy).
 */
class LegacyH5ReaderTest {
  static final Path DIR = Path.of("savedmodels/legacy");

  static JsonObject golden() throws Exception {
    return JsonParser.parseString(Files.readString(DIR.resolve("golden.json"))).getAsJsonObject();
  }

  static int[][] tokens(JsonObject golden) {
    JsonArray rows = golden.getAsJsonArray("tokens");
    int[][] out = new int[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i).getAsJsonArray().asList().stream().mapToInt(x -> x.getAsInt()).toArray();
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"seq_lstm", "embedding_flatten", "functional_gru", "bidirectional"})
  void predictsWhatKerasPredicted(String name) throws Exception {
    JsonObject golden = golden();
    KerasFile file = LegacyH5Reader.read(DIR.resolve(name + ".h5"));
    assertEquals("2.15.0", file.kerasVersion());
    try (SentimentModel model = SentimentModel.load(DIR.resolve(name + ".h5"))) {
      float[] p = model.predictTokens(tokens(golden));
      JsonArray expected = golden.getAsJsonObject("models").getAsJsonArray(name);
      for (int i = 0; i < p.length; i++) {
        assertEquals(expected.get(i).getAsDouble(), p[i], 1e-5, name + " row " + i);
      }
    }
  }

  /**
   * CuDNNLSTM / CuDNNGRU files (scripts/make_cudnn_h5.py, Keras 2.2.4's layout) predict what Keras 3's LSTM /
   * GRU(reset_after=True) predicts with the weights converted as Keras 2 converted them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"cudnn_lstm", "cudnn_gru", "bidirectional_cudnn_lstm"})
  void readsCudnnLayersAsKerasDid(String name) throws Exception {
    JsonObject golden = JsonParser.parseString(Files.readString(DIR.resolve("cudnn_golden.json"))).getAsJsonObject();
    KerasFile file = LegacyH5Reader.read(DIR.resolve(name + ".h5"));
    assertEquals("2.2.4", file.kerasVersion());
    String json = file.config().toJson().toString();
    assertFalse(json.contains("CuDNN"), json);
    assertFalse(json.contains("VarianceScaling"), json);
    if (name.equals("cudnn_gru")) {
      LayerConfig gru = file.config().layers().get(1);
      assertEquals("GRU", gru.className());
      assertTrue(gru.config().get("reset_after").getAsBoolean());
      assertEquals("sigmoid", gru.config().get("recurrent_activation").getAsString());
    }
    try (SentimentModel model = SentimentModel.load(DIR.resolve(name + ".h5"))) {
      float[] p = model.predictTokens(tokens(golden));
      JsonArray expected = golden.getAsJsonObject("models").getAsJsonArray(name);
      for (int i = 0; i < p.length; i++) {
        assertEquals(expected.get(i).getAsDouble(), p[i], 1e-5, name + " row " + i);
      }
    }
  }

  @Test
  void exportsKerasFilesKeras3Opens(@TempDir Path tmp) throws Exception {
    Path root = InteropFixtures.exportRoot("keras-legacy", tmp);
    JsonObject golden = golden();
    JsonArray models = new JsonArray();
    for (String name : List.of("seq_lstm", "embedding_flatten", "functional_gru", "bidirectional", "cudnn_lstm",
        "cudnn_gru", "bidirectional_cudnn_lstm")) {
      TrainedModel model = SentimentModel.readTrained(DIR.resolve(name + ".h5"), null);
      Path out = root.resolve(name + ".keras");
      KerasFileWriter.write(model, out, true, "test");
      // the CuDNN files' Keras goldens are on other rows (readsCudnnLayersAsKerasDid): here the .h5's own predictions
      float[] expected;
      try (SentimentModel h5 = SentimentModel.load(DIR.resolve(name + ".h5"))) {
        expected = h5.predictTokens(tokens(golden));
      }
      if (golden.getAsJsonObject("models").has(name)) {
        JsonArray keras = golden.getAsJsonObject("models").getAsJsonArray(name);
        for (int i = 0; i < expected.length; i++) {
          expected[i] = (float) keras.get(i).getAsDouble();
        }
      }
      try (SentimentModel back = SentimentModel.load(out)) {
        float[] p = back.predictTokens(tokens(golden));
        JsonArray probabilities = new JsonArray();
        for (int i = 0; i < p.length; i++) {
          assertEquals(expected[i], p[i], 1e-5, name + " as .keras, row " + i);
          probabilities.add(p[i]);
        }
        JsonObject c = new JsonObject();
        c.addProperty("path", out.toString());
        c.add("probabilities", probabilities);
        models.add(c);
      }
    }
    JsonObject doc = new JsonObject();
    doc.add("tokens", golden.getAsJsonArray("tokens"));
    doc.add("models", models);
    AtomicFile.writeString(root.resolve("predictions.json"), doc.toString());
  }

  @Test
  void weightsOnlyFilesAreRefusedInOneLine(@TempDir Path tmp) throws Exception {
    Path notH5 = tmp.resolve("x.h5");
    Files.writeString(notH5, "not hdf5");
    var e = assertThrows(InputException.class, () -> LegacyH5Reader.read(notH5));
    assertTrue(e.getMessage().contains("x.h5"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
