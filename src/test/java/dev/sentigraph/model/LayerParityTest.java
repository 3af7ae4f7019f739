package dev.sentigraph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.config.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Each layer family, built from Keras' own get_config() with Keras' weights, predicts what Keras predicted
 * (fixtures from scripts/make_layer_goldens.py).
 */
class LayerParityTest {
  static final Path DIR = Path.of("src/test/resources/golden/layers");

  static Stream<String> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.map(p -> p.getFileName().toString().replace(".json", "")).sorted().toList().stream();
    }
  }

  /** A fixture's model with Keras' weights loaded, and its probabilities for the fixture's tokens. */
  static float[] predict(JsonObject golden, Map<String, NamedWeight> override) {
    ModelConfig config = ModelConfig.fromJson(golden.getAsJsonObject("config"), "fixture");
    SequentialModel model = SequentialModel.of(config);
    JsonArray rows = golden.getAsJsonArray("tokens");
    int batch = rows.size();
    int seqLen = config.seqLen();
    int[] tokens = new int[batch * seqLen];
    for (int i = 0; i < batch; i++) {
      for (int t = 0; t < seqLen; t++) {
        tokens[i * seqLen + t] = rows.get(i).getAsJsonArray().get(t).getAsInt();
      }
    }
    try (Graph g = new Graph(); Session s = new Session(g);
        TInt32 input = TInt32.tensorOf(Shape.of(batch, seqLen), DataBuffers.of(tokens, true, false))) {
      Ops tf = Ops.create(g);
      ModelGraph mg = model.build(tf, 1);
      var ph = tf.placeholder(TInt32.class);
      Operand<TFloat32> p = tf.math.sigmoid(mg.logits(ph, false, tf.constant(new long[] {0, 0})));
      s.run(mg.initializer());
      List<NamedWeight> weights = new ArrayList<>(kerasWeights(golden));
      weights.replaceAll(w -> override.getOrDefault(w.path(), w));
      mg.writeWeights(s, weights);
      try (Result r = s.runner().feed(ph, input).fetch(p).run()) {
        float[] out = new float[batch];
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
        return out;
      }
    }
  }

  static List<NamedWeight> kerasWeights(JsonObject golden) {
    List<NamedWeight> weights = new ArrayList<>();
    for (Map.Entry<String, JsonElement> e : golden.getAsJsonObject("weights").entrySet()) {
      JsonObject w = e.getValue().getAsJsonObject();
      long[] shape = w.getAsJsonArray("shape").asList().stream().mapToLong(JsonElement::getAsLong).toArray();
      JsonArray v = w.getAsJsonArray("values");
      float[] values = new float[v.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = v.get(i).getAsFloat();
      }
      weights.add(new NamedWeight(e.getKey(), shape, values));
    }
    return weights;
  }

  static JsonObject read(String name) throws IOException {
    return JsonParser.parseString(Files.readString(DIR.resolve(name + ".json"))).getAsJsonObject();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void matchesKerasPredictions(String name) throws IOException {
    JsonObject golden = read(name);
    ModelConfig config = ModelConfig.fromJson(golden.getAsJsonObject("config"), name);
    assertEquals(golden.get("params").getAsLong(), SequentialModel.of(config).paramCount(), name + " params");
    float[] actual = predict(golden, Map.of());
    JsonArray expected = golden.getAsJsonArray("probabilities");
    for (int i = 0; i < actual.length; i++) {
      assertEquals(expected.get(i).getAsDouble(), actual[i], 1e-5, name + " row " + i);
    }
  }
}
