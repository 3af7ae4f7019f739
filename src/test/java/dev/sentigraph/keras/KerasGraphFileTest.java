package dev.sentigraph.keras;

import dev.sentigraph.config.ExecutionOptions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.InteropFixtures;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.runtime.InferenceSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Functional {@code .keras} files: Keras' own (scripts/make_graph_goldens.py) read and run as Keras ran them,
 * and written back by sentigraph in the layout Keras reads (scripts/check_keras_export.py opens the written
 * files from SENTIGRAPH_EXPORT_DIR/keras-graphs).
 */
class KerasGraphFileTest {
  static final Path DIR = Path.of("src/test/resources/golden/graphs");
  static final List<String> MODELS = List.of("branches", "merges", "time_concat", "nested_sequential", "nested_functional");
  /** Layer goldens (scripts/make_layer_goldens.py) of the layers added with the Functional models. */
  static final Path LAYERS = Path.of("src/test/resources/golden/layers");
  static final List<String> LAYER_MODELS = List.of("bilstm", "bigru_sum", "birnn_mul_sequences",
      "bilstm_ave_hard_sigmoid", "text_cnn", "spatial_dropout_cnn_same_strided", "gru_keras2_defaults");

  @ParameterizedTest
  @ValueSource(strings = {"branches", "merges", "time_concat", "nested_sequential", "nested_functional"})
  void predictsWhatKerasPredicted(String name) throws Exception {
    JsonObject golden = JsonParser.parseString(Files.readString(DIR.resolve(name + ".json"))).getAsJsonObject();
    KerasFile file = KerasFileReader.read(DIR.resolve(name + ".keras"));
    assertNotNull(file.config().graph());
    float[] actual = predict(file.toTrainedModel(), tokens(golden), golden.getAsJsonArray("tokens").size());
    JsonArray expected = golden.getAsJsonArray("probabilities");
    for (int i = 0; i < actual.length; i++) {
      assertEquals(expected.get(i).getAsDouble(), actual[i], 1e-5, name + " row " + i);
    }
  }

  @Test
  void writesFilesKerasReads(@TempDir Path tmp) throws Exception {
    Path root = InteropFixtures.exportRoot("keras-graphs", tmp);
    List<InteropFixtures.Case> cases = new ArrayList<>();
    for (String name : MODELS) {
      TrainedModel model = KerasFileReader.read(DIR.resolve(name + ".keras")).toTrainedModel();
      Path out = root.resolve(name + ".keras");
      KerasFileWriter.write(model, out, true, "test");
      KerasFile back = KerasFileReader.read(out);
      assertEquals(model.config().layers(), back.config().layers(), name);
      assertEquals(model.config().graph().weightGroups(), back.config().graph().weightGroups(), name);
      for (int i = 0; i < model.weights().size(); i++) {
        NamedWeight w = model.weights().get(i);
        assertEquals(w.path(), back.weights().get(i).path());
        assertArrayEquals(w.values(), back.weights().get(i).values(), w.path());
      }
      cases.add(new InteropFixtures.Case(out, predict(back.toTrainedModel(), InteropFixtures.tokens(), InteropFixtures.ROWS)));
    }
    for (String name : LAYER_MODELS) {
      JsonObject golden = JsonParser.parseString(Files.readString(LAYERS.resolve(name + ".json"))).getAsJsonObject();
      ModelConfig config = ModelConfig.fromJson(golden.getAsJsonObject("config"), name);
      TrainedModel model = new TrainedModel(config, weights(golden), DataSettings.keras(40, config.seqLen()), null, null);
      Path out = root.resolve(name + ".keras");
      KerasFileWriter.write(model, out, true, "test");
      TrainedModel back = KerasFileReader.read(out).toTrainedModel();
      float[] expected = predict(model, tokens(golden), golden.getAsJsonArray("tokens").size());
      float[] actual = predict(back, tokens(golden), golden.getAsJsonArray("tokens").size());
      assertArrayEquals(expected, actual, name + " reads back as written");
      cases.add(new InteropFixtures.Case(out, predict(back, InteropFixtures.tokens(), InteropFixtures.ROWS)));
    }
    InteropFixtures.writePredictions(root, cases);
  }

  private static float[] predict(TrainedModel model, int[] tokens, int rows) {
    try (InferenceSession session = new InferenceSession(model.config(), model.weights(), ExecutionOptions.DEFAULT)) {
      return session.predict(tokens, rows);
    }
  }

  private static List<NamedWeight> weights(JsonObject golden) {
    List<NamedWeight> weights = new ArrayList<>();
    for (var e : golden.getAsJsonObject("weights").entrySet()) {
      JsonObject w = e.getValue().getAsJsonObject();
      long[] shape = w.getAsJsonArray("shape").asList().stream().mapToLong(x -> x.getAsLong()).toArray();
      JsonArray v = w.getAsJsonArray("values");
      float[] values = new float[v.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = v.get(i).getAsFloat();
      }
      weights.add(new NamedWeight(e.getKey(), shape, values));
    }
    return weights;
  }

  private static int[] tokens(JsonObject golden) {
    JsonArray rows = golden.getAsJsonArray("tokens");
    int seqLen = rows.get(0).getAsJsonArray().size();
    int[] tokens = new int[rows.size() * seqLen];
    for (int i = 0; i < rows.size(); i++) {
      for (int t = 0; t < seqLen; t++) {
        tokens[i * seqLen + t] = rows.get(i).getAsJsonArray().get(t).getAsInt();
      }
    }
    return tokens;
  }
}
