package dev.sentigraph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.layers.BatchChains;
import dev.sentigraph.train.BinaryCrossentropy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Analytic gradients ({@code Graph.addGradients}, the registered BlockLSTMV2 gradient included) against
 * central finite differences of the loss, for a few coordinates of every weight of tiny models.
 */
class GradientCheckTest {
  @ParameterizedTest
  @ValueSource(strings = {"LSTM", "GRU", "SimpleRNN", "Conv1D", "BidirectionalLSTM", "BidirectionalGRU",
      "GRUResetBeforeHardSigmoid", "LSTMUnrolledHardSigmoid", "StridedConv1DGlobalMax", "graph:branches",
      "graph:merges"})
  void analyticGradientsMatchFiniteDifferences(String layer) throws java.io.IOException {
    check(layer, false);
  }

  /**
   * Training graphs differ: batch chains and the GRU's own backward (models without dropout, whose masks would
   * differ between the runs).
   */
  @ParameterizedTest
  @ValueSource(strings = {"GRU", "BidirectionalGRUResetAfter", "SimpleRNN", "LSTMUnrolledHardSigmoid",
      "GRUResetBeforeHardSigmoid", "Conv1D"})
  void trainingGraphGradientsMatchFiniteDifferences(String layer) throws java.io.IOException {
    check(layer, true);
  }

  private static void check(String layer, boolean training) throws java.io.IOException {
    String middle = switch (layer) {
      case "Conv1D" -> "{\"class_name\": \"Conv1D\", \"config\": {\"filters\": 3, \"kernel_size\": 2, \"padding\": \"same\", \"activation\": \"tanh\"}}, {\"class_name\": \"Flatten\", \"config\": {}}";
      case "StridedConv1DGlobalMax" -> "{\"class_name\": \"SpatialDropout1D\", \"config\": {\"rate\": 0.5}},"
          + " {\"class_name\": \"Conv1D\", \"config\": {\"filters\": 3, \"kernel_size\": 2, \"strides\": 2, \"activation\": \"tanh\"}},"
          + " {\"class_name\": \"GlobalMaxPooling1D\", \"config\": {}}";
      case "BidirectionalLSTM" -> "{\"class_name\": \"Bidirectional\", \"config\": {\"layer\": {\"class_name\": \"LSTM\","
          + " \"config\": {\"units\": 3, \"return_sequences\": true}}}}, {\"class_name\": \"Flatten\", \"config\": {}}";
      case "BidirectionalGRU" -> "{\"class_name\": \"Bidirectional\", \"config\": {\"merge_mode\": \"sum\", \"layer\":"
          + " {\"class_name\": \"GRU\", \"config\": {\"units\": 3, \"reset_after\": false}}}}";
      case "BidirectionalGRUResetAfter" -> "{\"class_name\": \"Bidirectional\", \"config\": {\"layer\":"
          + " {\"class_name\": \"GRU\", \"config\": {\"units\": 3}}}}";
      case "GRUResetBeforeHardSigmoid" -> "{\"class_name\": \"GRU\", \"config\": {\"units\": 3, \"reset_after\": false,"
          + " \"recurrent_activation\": \"hard_sigmoid\"}}";
      case "LSTMUnrolledHardSigmoid" -> "{\"class_name\": \"LSTM\", \"config\": {\"units\": 3,"
          + " \"recurrent_activation\": \"hard_sigmoid\"}}"; // not the fused kernel's gates: the unrolled cell
      default -> "{\"class_name\": \"" + layer + "\", \"config\": {\"units\": 3}}";
    };
    ModelConfig config = layer.startsWith("graph:")
        ? ModelConfig.fromJson(GraphParityTest.read(GraphParityTest.DIR, layer.substring(6)).getAsJsonObject("config"),
            layer).withSeqLen(4)
        : ModelConfig.fromJson(JsonParser.parseString("""
        {"class_name": "Sequential", "config": {"name": "g", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 4]}},
          {"class_name": "Embedding", "config": {"input_dim": 6, "output_dim": 2,
             "embeddings_initializer": {"class_name": "RandomUniform", "config": {"minval": -1, "maxval": 1}}}},
          %s,
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}
        """.formatted(middle)).getAsJsonObject(), "test");
    SequentialModel model = SequentialModel.of(config);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      ModelGraph mg = model.build(tf, 5);
      // training graphs run two chains of one review each, as the presets' batches do
      Operand<TFloat32> logits = BatchChains.building(ExecutionOptions.DEFAULT.withChains(training ? 2 : 1, training ? 2 : 1),
          () -> mg.logits(tf.constant(new int[][] {{1, 2, 3, 4}, {0, 5, 5, 1}}), training, tf.constant(new long[] {0, 0})));
      Operand<TFloat32> loss = BinaryCrossentropy.mean(tf, tf.constant(new float[][] {{1}, {0}}), logits);
      List<ModelVariable> vars = mg.trainableVariables();
      Output<?>[] grads = g.addGradients(loss.asOutput(), vars.stream().map(v -> v.variable().asOutput()).toArray(Output[]::new));
      s.run(mg.initializer());
      List<NamedWeight> base = mg.readWeights(s);
      List<float[]> analytic = new ArrayList<>();
      Session.Runner runner = s.runner();
      for (Output<?> grad : grads) {
        runner.fetch(grad);
      }
      try (Result r = runner.run()) {
        for (int i = 0; i < grads.length; i++) {
          TFloat32 t = (TFloat32) r.get(i);
          float[] values = new float[(int) t.shape().size()];
          t.asRawTensor().data().asFloats().read(values);
          analytic.add(values);
        }
      }
      double eps = 1e-3; // small enough not to cross relu and max-pooling kinks in these tiny models
      for (int w = 0; w < vars.size(); w++) {
        int n = base.get(w).values().length;
        for (int k : new int[] {0, n / 2, n - 1}) {
          double up = lossWith(s, mg, base, w, k, eps, loss);
          double down = lossWith(s, mg, base, w, k, -eps, loss);
          double numeric = (up - down) / (2 * eps);
          assertEquals(numeric, analytic.get(w)[k], 2e-3 + 2e-2 * Math.abs(numeric),
              layer + " d loss / d " + vars.get(w).path() + "[" + k + "]");
        }
      }
    }
  }

  private static double lossWith(Session s, ModelGraph mg, List<NamedWeight> base, int w, int k, double delta,
      Operand<TFloat32> loss) {
    List<NamedWeight> changed = new ArrayList<>(base);
    float[] values = base.get(w).values().clone();
    values[k] += (float) delta;
    changed.set(w, new NamedWeight(base.get(w).path(), base.get(w).shape(), values));
    mg.writeWeights(s, changed);
    try (Result r = s.runner().fetch(loss).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }
}
