package dev.sentigraph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Functional models (branches, merges, nested models) built from Keras' own configs with Keras' weights predict
 * what Keras predicted (fixtures from scripts/make_graph_goldens.py); configs sentigraph cannot run are refused
 * in one line.
 */
class GraphParityTest {
  static final Path DIR = Path.of("src/test/resources/golden/graphs");
  static final Path BAD = Path.of("src/test/resources/golden/graphs_bad");

  static Stream<String> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .map(n -> n.replace(".json", "")).sorted().toList().stream();
    }
  }

  static JsonObject read(Path dir, String name) throws IOException {
    return JsonParser.parseString(Files.readString(dir.resolve(name + ".json"))).getAsJsonObject();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void matchesKerasPredictions(String name) throws IOException {
    JsonObject golden = read(DIR, name);
    ModelConfig config = ModelConfig.fromJson(golden.getAsJsonObject("config"), name);
    assertNotNull(config.graph(), name + " is read as a layer graph");
    assertEquals(golden.get("params").getAsLong(), SequentialModel.of(config).paramCount(), name + " params");
    float[] actual = LayerParityTest.predict(golden, Map.of());
    JsonArray expected = golden.getAsJsonArray("probabilities");
    for (int i = 0; i < actual.length; i++) {
      assertEquals(expected.get(i).getAsDouble(), actual[i], 1e-5, name + " row " + i);
    }
  }

  @Test
  void configRoundTripsThroughJson() throws IOException {
    ModelConfig config = ModelConfig.fromJson(read(DIR, "merges").getAsJsonObject("config"), "merges");
    ModelConfig back = ModelConfig.fromJson(JsonParser.parseString(config.toJsonString()).getAsJsonObject(), "again");
    assertEquals(config.layers(), back.layers());
    ModelConfig longer = config.withSeqLen(20);
    ModelConfig reread = ModelConfig.fromJson(longer.toJson(), "longer");
    assertEquals(20, reread.seqLen());
    assertEquals(SequentialModel.of(config).paramCount(), SequentialModel.of(reread).paramCount());
  }

  @Test
  void nestedModelsAreFlattenedWithKerasWeightGroups() throws IOException {
    ModelConfig config = ModelConfig.fromJson(read(DIR, "nested_sequential").getAsJsonObject("config"), "nested");
    assertEquals("layers/sequential/layers/embedding", config.graph().weightGroups().get(0), "named by class, not by name");
    assertEquals("layers/sequential/layers/conv1d", config.graph().weightGroups().get(1));
    assertEquals("layers/dense_1", config.graph().weightGroups().get(config.layers().size() - 1));
    assertEquals(-1, config.graph().inputs().get(0)[0]);
  }

  /** Keras' model with a sigmoid head and a logit head beside it: two outputs, named for their layers, in order. */
  @Test
  void twoHeadsAreTwoNamedOutputs() throws IOException {
    SequentialModel model = SequentialModel.of(ModelConfig.fromJson(read(BAD, "two_outputs").getAsJsonObject("config"),
        "two_outputs"));
    assertEquals(List.of(ModelOutput.Kind.PROBABILITY, ModelOutput.Kind.LOGIT),
        model.outputs().stream().map(ModelOutput::kind).toList());
    assertEquals(model.outputLayers().stream().map(i -> model.layers().get(i).name()).toList(),
        model.outputs().stream().map(ModelOutput::name).toList());
    var e = assertThrows(InputException.class, model::output);
    assertTrue(e.getMessage().contains("has 2 outputs"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "two_inputs|has 2 inputs|one input",
      "custom_layer|custom class 'my_project>Scale'|SavedModel",
      "lambda_layer|Lambda layer|SavedModel"})
  void refusesWhatItCannotRunInOneLine(String name, String part1, String part2) throws IOException {
    JsonObject config = read(BAD, name).getAsJsonObject("config");
    var e = assertThrows(InputException.class, () -> SequentialModel.of(ModelConfig.fromJson(config, name)));
    assertTrue(e.getMessage().contains(part1) && e.getMessage().contains(part2), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
