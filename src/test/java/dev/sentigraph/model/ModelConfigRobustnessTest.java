package dev.sentigraph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.error.InputException;
import dev.sentigraph.fuzz.HostileJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keras model configs from strangers: whatever the JSON holds, the answer is a model or one InputException. */
class ModelConfigRobustnessTest {
  static final String CNN = """
      {"class_name": "Sequential", "config": {"name": "cnn", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [null, 20], "dtype": "int32"}},
        {"class_name": "Embedding", "config": {"name": "embedding", "input_dim": 60, "output_dim": 8}},
        {"class_name": "Conv1D", "config": {"filters": 4, "kernel_size": [3], "activation": "relu", "padding": "same"}},
        {"class_name": "MaxPooling1D", "config": {"pool_size": [2]}},
        {"class_name": "LSTM", "config": {"units": 5}},
        {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid",
          "kernel_initializer": {"class_name": "RandomNormal", "config": {"stddev": 0.1}}}}]}}
      """;

  private static ModelConfig read(String json) throws Exception {
    Path f = Files.createTempFile("config", ".json");
    try {
      Files.writeString(f, json);
      return ModelConfig.read(f);
    } finally {
      Files.delete(f);
    }
  }

  @Property(tries = 200)
  void anyOneValueReplacedGivesAModelOrOneBadInputError(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    JsonObject json = JsonParser.parseString(CNN).getAsJsonObject();
    for (int n = 1 + r.nextInt(2); n > 0; n--) {
      List<HostileJson.Slot> slots = HostileJson.slots(json);
      slots.get(r.nextInt(slots.size())).replace().accept(HostileJson.value(r));
    }
    try {
      SequentialModel model = SequentialModel.of(read(json.toString()));
      MemoryBudget.require(model, 32, true);
      ModelSummary.render(model);
    } catch (InputException e) {
      assertTrue(!e.getMessage().isBlank() && e.getMessage().lines().count() == 1, e.getMessage());
      assertTrue(e.getMessage().length() < 400, e.getMessage());
    }
  }

  @Test
  void deepNestingIsRefusedWhereItIsParsed() {
    String deep = HostileJson.deepen(CNN, "\"embedding\"");
    var e = assertThrows(InputException.class, () -> read(deep));
    assertTrue(e.getMessage().contains("nested more than 256 levels deep"), e.getMessage());
  }

  @Test
  void wrongJsonKindsAreNamed() {
    var e = assertThrows(InputException.class, () -> read(CNN.replace("\"name\": \"embedding\"", "\"name\": {\"x\": 1}")));
    assertTrue(e.getMessage().endsWith("layer 1 (Embedding) argument 'name' is an object: expected a string"), e.getMessage());
    e = assertThrows(InputException.class, () -> read(CNN.replace("\"class_name\": \"Sequential\"", "\"class_name\": [1]")));
    assertTrue(e.getMessage().endsWith("class_name is an array: expected a string"), e.getMessage());
    e = assertThrows(InputException.class, () -> read(CNN.replace("[null, 20]", "[null, 1e12]")));
    assertTrue(e.getMessage().contains("argument 'batch_shape' has sequence length 1e12"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
      "'\"input_dim\": 60', '\"input_dim\": 1000000000', 0, input_dim",
      "'\"input_dim\": 60', '\"input_dim\": 1e9', 0, input_dim",
      "'\"output_dim\": 8', '\"output_dim\": 1000000000', 0, output_dim",
      "'\"kernel_size\": [3]', '\"kernel_size\": [1000000000]', 1, kernel_size",
      "'\"units\": 5', '\"units\": 1e9', 3, units"})
  void sizesBeyondMemoryNameTheLayerAndArgument(String from, String to, int layer, String argument) throws Exception {
    SequentialModel model = SequentialModel.of(read(CNN.replace(from, to)));
    var e = assertThrows(InputException.class, () -> MemoryBudget.require(model, 32, true, 16_000_000_000L));
    assertTrue(e.getMessage().startsWith("layer " + layer + " ("), e.getMessage());
    assertTrue(e.getMessage().contains("argument '" + argument + "' = "), e.getMessage());
    assertTrue(e.getMessage().endsWith("more than the 16.0 GB of memory available: expected a smaller value"), e.getMessage());
  }

  @Test
  void theReferenceModelFits() throws Exception {
    SequentialModel model = SequentialModel.of(read(CNN));
    MemoryBudget.require(model, 32, true, 1_000_000_000L);
    assertEquals(5, model.layers().size());
  }
}
