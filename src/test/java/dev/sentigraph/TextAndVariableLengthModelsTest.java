package dev.sentigraph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.savedmodel.SavedModelPredictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras models as keras.io's examples export them (scripts/make_text_models.py): an end-to-end model whose
 * signature takes raw strings (TextVectorization inside), and a variable-length token model, through the front
 * door, against Keras' own predictions.
 */
class TextAndVariableLengthModelsTest {
  private static JsonObject golden(String family) throws IOException {
    return JsonParser.parseString(Files.readString(Path.of("savedmodels", family, "golden.json"))).getAsJsonObject();
  }

  private static List<String> texts(JsonObject golden) {
    List<String> texts = new ArrayList<>();
    golden.getAsJsonArray("texts").forEach(t -> texts.add(t.getAsString()));
    return texts;
  }

  @Test
  void stringSignatureGetsTheRawTexts() throws IOException {
    JsonObject golden = golden("text");
    try (SentimentModel model = SentimentModel.load(Path.of("savedmodels/text/export"),
        LoadOptions.defaults().withBatchSize(4))) {
      assertTrue(model.takesText());
      List<Prediction> p = model.predict(texts(golden));
      JsonArray expected = golden.getAsJsonArray("probabilities");
      for (int i = 0; i < p.size(); i++) {
        assertEquals(expected.get(i).getAsDouble(), p.get(i).probability(), 1e-5, "text " + i);
      }
      var e = assertThrows(InvalidInputException.class, () -> model.predictTokens(new int[][] {{1, 2}}));
      assertTrue(e.getMessage().contains("takes raw text"), e.getMessage());
    }
  }

  @Test
  void savedModelPredictorRunsTextsDirectly() throws IOException {
    JsonObject golden = golden("text");
    try (SavedModelPredictor p = SavedModelPredictor.open(Path.of("savedmodels/text/export"), null, null, null, ExecutionOptions.DEFAULT)) {
      assertEquals(ModelConfig.ANY_LENGTH, p.seqLen());
      float[] out = p.predictTexts(texts(golden));
      assertEquals(golden.getAsJsonArray("probabilities").get(0).getAsDouble(), out[0], 1e-5);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"export", "model.keras"})
  void variableLengthRowsArePaddedPerBatchToTheLongest(String file) throws IOException {
    JsonObject golden = golden("varlen");
    JsonArray rows = golden.getAsJsonArray("rows");
    int[][] tokens = new int[rows.size()][];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = rows.get(i).getAsJsonArray().asList().stream().mapToInt(x -> x.getAsInt()).toArray();
    }
    try (SentimentModel model = SentimentModel.load(Path.of("savedmodels/varlen").resolve(file))) {
      assertEquals(ModelConfig.ANY_LENGTH, model.seqLen());
      float[] p = model.predictTokens(tokens);
      for (int i = 0; i < p.length; i++) {
        assertEquals(golden.getAsJsonArray("probabilities").get(i).getAsDouble(), p[i], 1e-5, "row " + i);
      }
    }
    try (SentimentModel model = SentimentModel.load(Path.of("savedmodels/varlen").resolve(file),
        LoadOptions.defaults().withSeqLen(12))) {
      assertEquals(12, model.seqLen());
      float[] p = model.predictTokens(tokens);
      for (int i = 0; i < p.length; i++) {
        assertEquals(golden.getAsJsonArray("probabilities_len12").get(i).getAsDouble(), p[i], 1e-5, "row " + i);
      }
    }
  }
}
