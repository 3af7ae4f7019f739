package dev.sentigraph.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.sentigraph.config.LayerConfig;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.error.InputException;
import dev.sentigraph.layers.Layer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

class SequentialModelTest {
  static ModelConfig meanEmbedding(int vocab, int dim, int seqLen) {
    String json = """
        {"class_name": "Sequential", "config": {"name": "mean", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, %d], "dtype": "int32"}},
          {"class_name": "Embedding", "config": {"input_dim": %d, "output_dim": %d}},
          {"class_name": "GlobalAveragePooling1D", "config": {}},
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}
        """.formatted(seqLen, vocab, dim);
    return ModelConfig.fromJson(JsonParser.parseString(json).getAsJsonObject(), "test");
  }

  @Test
  void meanEmbeddingModelHasKerasParameterCountAndNames() {
    SequentialModel model = SequentialModel.of(meanEmbedding(5000, 32, 100));
    assertEquals(160_033, model.paramCount());
    assertEquals(List.of("embedding", "global_average_pooling1d", "dense"),
        model.layers().stream().map(Layer::name).toList());
    assertArrayEquals(new long[] {100, 32}, model.outputShape(0));
  }

  @Test
  void forwardPassMatchesHandComputationAndWeightsRoundTrip() {
    SequentialModel model = SequentialModel.of(meanEmbedding(4, 2, 3));
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      ModelGraph mg = model.build(tf, 1);
      var tokens = tf.placeholder(TInt32.class);
      Operand<TFloat32> logits = mg.logits(tokens, false, tf.constant(new long[] {1, 2}));
      s.run(mg.initializer());
      float[] emb = {0, 0, 1, 2, 3, 4, -1, 5};
      mg.writeWeights(s, List.of(
          new NamedWeight("embedding/embeddings", new long[] {4, 2}, emb),
          new NamedWeight("dense/kernel", new long[] {2, 1}, new float[] {0.5f, -0.25f}),
          new NamedWeight("dense/bias", new long[] {1}, new float[] {0.1f})));
      try (TInt32 t = TInt32.tensorOf(StdArrays.ndCopyOf(new int[][] {{1, 2, 3}, {0, 0, 1}}));
          Result r = s.runner().feed(tokens, t).fetch(logits).run()) {
        TFloat32 out = (TFloat32) r.get(0);
        // row 0: mean of rows 1,2,3 = (1, 11/3); row 1: mean of rows 0,0,1 = (1/3, 2/3)
        assertEquals(0.5 * 1 - 0.25 * 11.0 / 3 + 0.1, out.getFloat(0, 0), 1e-6);
        assertEquals(0.5 / 3 - 0.25 * 2.0 / 3 + 0.1, out.getFloat(1, 0), 1e-6);
      }
      assertArrayEquals(emb, mg.readWeights(s).get(0).values());
    }
  }

  @Test
  void gradientsReachEveryTrainableVariable() {
    SequentialModel model = SequentialModel.of(meanEmbedding(10, 4, 5));
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      ModelGraph mg = model.build(tf, 3);
      Operand<TFloat32> logits = mg.logits(tf.constant(new int[][] {{1, 2, 3, 4, 5}}), true,
          tf.constant(new long[] {0, 0}));
      Operand<TFloat32> loss = tf.math.mean(tf.math.square(logits), tf.constant(new int[] {0, 1}));
      Output<?>[] grads = g.addGradients(loss.asOutput(),
          mg.trainableVariables().stream().map(v -> v.variable().asOutput()).toArray(Output[]::new));
      assertEquals(3, grads.length);
      s.run(mg.initializer());
      try (Result r = s.runner().fetch(grads[1]).run()) {
        TFloat32 dk = (TFloat32) r.get(0);
        assertEquals(4, dk.shape().size(0));
      }
    }
  }

  @Test
  void badConfigsNameTheLayerAndArgument() {
    var e = assertThrows(InputException.class, () -> SequentialModel.of(new ModelConfig("m", 10, List.of(
        new LayerConfig("Embedding", JsonParser.parseString("{\"input_dim\": 10, \"output_dim\": 0}").getAsJsonObject()),
        new LayerConfig("Dense", JsonParser.parseString("{\"units\": 1, \"activation\": \"sigmoid\"}").getAsJsonObject())))));
    assertTrue(e.getMessage().contains("layer 0 (Embedding) argument 'output_dim'"), e.getMessage());
    e = assertThrows(InputException.class, () -> SequentialModel.of(new ModelConfig("m", 10, List.of(
        new LayerConfig("Bogus", new com.google.gson.JsonObject())))));
    assertTrue(e.getMessage().contains("layer 0 (Bogus)"), e.getMessage());
    e = assertThrows(InputException.class, () -> SequentialModel.of(new ModelConfig("m", 10, List.of(
        new LayerConfig("Embedding", JsonParser.parseString("{\"input_dim\": 10, \"output_dim\": 2, \"colour\": 1}").getAsJsonObject()),
        new LayerConfig("Flatten", new com.google.gson.JsonObject()),
        new LayerConfig("Dense", JsonParser.parseString("{\"units\": 1, \"activation\": \"sigmoid\"}").getAsJsonObject())))));
    assertTrue(e.getMessage().contains("'colour'"), e.getMessage());
    e = assertThrows(InputException.class, () -> SequentialModel.of(new ModelConfig("m", 10, List.of(
        new LayerConfig("Embedding", JsonParser.parseString("{\"input_dim\": 10, \"output_dim\": 2}").getAsJsonObject()),
        new LayerConfig("Flatten", new com.google.gson.JsonObject()),
        new LayerConfig("Dense", JsonParser.parseString("{\"units\": 2, \"activation\": \"sigmoid\"}").getAsJsonObject())))));
    assertTrue(e.getMessage().startsWith("layer 2 (Dense) 'dense': a sentiment model's output must be, on a flat"
        + " input, Dense(1) with activation 'sigmoid' or none"), e.getMessage());
  }

  @Test
  void configRoundTripsThroughKerasJson() {
    ModelConfig c = meanEmbedding(50, 8, 20);
    ModelConfig back = ModelConfig.fromJson(JsonParser.parseString(c.toJsonString()).getAsJsonObject(), "x");
    assertEquals(c.seqLen(), back.seqLen());
    assertEquals(c.toJsonString(), back.toJsonString());
  }
}
