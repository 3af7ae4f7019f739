package dev.sentigraph.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.PaddedSequences;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One K-class training step against Keras 3's own (scripts/make_sparse_categorical_goldens.py): the loss, the
 * accuracy and the gradient of every weight, for a Dense(3, softmax) head and a Dense(3) head trained from logits;
 * then the metrics Keras' evaluate reports after the step, and Keras' metrics of fixed class probabilities.
 */
class SparseCategoricalStepTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/training/sparse_categorical.json");

  @ParameterizedTest
  @ValueSource(strings = {"softmax", "logits"})
  void oneStepMatchesKeras(String head) throws Exception {
    JsonObject doc = JsonParser.parseString(Files.readString(GOLDEN)).getAsJsonObject();
    JsonObject golden = doc.getAsJsonObject("cases").getAsJsonObject(head);
    assertEquals(List.of("accuracy", "loss"), strings(golden.getAsJsonArray("history_keys")),
        "the history keys sentigraph writes (loss, accuracy) are Keras' for this loss");
    int[][] rows = rows(doc.getAsJsonArray("tokens"));
    int[] labels = ints(doc.getAsJsonArray("labels"));
    int seq = rows[0].length;
    ModelConfig config = ModelConfig.fromJson(JsonParser.parseString("""
        {"class_name": "Sequential", "config": {"name": "k3", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, %d]}},
          {"class_name": "Embedding", "config": {"input_dim": 20, "output_dim": 4}},
          {"class_name": "GlobalAveragePooling1D", "config": {}},
          {"class_name": "Dense", "config": {"units": 3, "activation": %s}}]}}
        """.formatted(seq, head.equals("softmax") ? "\"softmax\"" : "null")).getAsJsonObject(), "test");
    TrainSettings sgd = new TrainSettings("sgd", 1.0, rows.length, 1, "none", 1);
    try (TrainingGraph g = new TrainingGraph(SequentialModel.of(config), sgd, ExecutionOptions.DEFAULT)) {
      List<NamedWeight> start = new ArrayList<>();
      List<NamedWeight> fresh = g.weights();
      for (int i = 0; i < fresh.size(); i++) {
        start.add(new NamedWeight(fresh.get(i).path(), fresh.get(i).shape(),
            floats(doc.getAsJsonArray("start").get(i).getAsJsonArray())));
      }
      g.setWeights(start);
      int[] tokens = new int[rows.length * seq];
      float[] y = new float[rows.length];
      for (int r = 0; r < rows.length; r++) {
        System.arraycopy(rows[r], 0, tokens, r * seq, seq);
        y[r] = labels[r];
      }
      TrainingGraph.StepResult step = g.trainStep(tokens, y, rows.length, new long[] {1, 1});
      assertEquals(golden.get("loss").getAsDouble(), step.loss(), 1e-6, "loss");
      assertEquals(golden.get("accuracy").getAsDouble(), step.accuracy(), 1e-7, "accuracy");
      List<NamedWeight> after = g.weights();
      for (int i = 0; i < after.size(); i++) {
        // SGD with learning rate 1: the step taken is minus the gradient
        float[] gradient = new float[after.get(i).values().length];
        for (int k = 0; k < gradient.length; k++) {
          gradient[k] = start.get(i).values()[k] - after.get(i).values()[k];
        }
        assertArrayEquals(floats(golden.getAsJsonArray("gradients").get(i).getAsJsonArray()), gradient, 1e-6f,
            "gradient of " + after.get(i).path());
      }
      // Keras' evaluate on the same batch after the step: what sentigraph's validation and evaluate report
      PaddedSequences batch = new PaddedSequences(tokens, seq, labels);
      float[] probabilities = new FitLoop(g, batch, null, sgd, List.of()).probabilities(batch);
      Evaluation e = Evaluation.of(labels, probabilities, 3);
      JsonObject evaluated = golden.getAsJsonObject("evaluate");
      assertEquals(evaluated.get("loss").getAsDouble(), e.loss(), 1e-6, "evaluate loss");
      assertEquals(evaluated.get("accuracy").getAsDouble(), e.accuracy(), 1e-9, "evaluate accuracy");
    }
  }

  @Test
  void evaluationMatchesKerasMetricsOnClassProbabilities() throws Exception {
    JsonObject golden = JsonParser.parseString(Files.readString(GOLDEN)).getAsJsonObject().getAsJsonObject("evaluation");
    int[] labels = ints(golden.getAsJsonArray("labels"));
    Evaluation e = Evaluation.of(labels, floats(golden.getAsJsonArray("probabilities")), golden.get("classes").getAsInt());
    assertEquals(golden.get("loss").getAsDouble(), e.loss(), 1e-5, "loss, a probability of 0 clipped to 1e-7");
    assertEquals(golden.get("accuracy").getAsDouble(), e.accuracy(), 1e-7, "accuracy");
    assertEquals(golden.get("precision").getAsDouble(), e.precision(), 1e-6, "macro precision");
    assertEquals(golden.get("recall").getAsDouble(), e.recall(), 1e-6, "macro recall");
    assertEquals(golden.get("f1").getAsDouble(), e.f1(), 1e-6, "macro F1");
    long[][] confusion = e.confusion();
    for (int k = 0; k < confusion.length; k++) {
      assertEquals(labels.length / 4, java.util.Arrays.stream(confusion[k]).sum(), "row " + k + " counts class " + k);
    }
  }

  private static int[][] rows(JsonArray a) {
    int[][] out = new int[a.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = ints(a.get(i).getAsJsonArray());
    }
    return out;
  }

  private static int[] ints(JsonArray a) {
    return a.asList().stream().mapToInt(JsonElement::getAsInt).toArray();
  }

  private static float[] floats(JsonArray a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsFloat();
    }
    return out;
  }

  private static List<String> strings(JsonArray a) {
    return a.asList().stream().map(JsonElement::getAsString).toList();
  }
}
