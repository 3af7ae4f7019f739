package dev.sentigraph.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentigraph.InteropFixtures;
import dev.sentigraph.TestModels;
import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.model.ModelGraph;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.runtime.InferenceSession;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Every recurrent layer that runs its batch as chains (SimpleRNN and GRU of 32+ units unrolled, the fused LSTM,
 * the unrolled LSTM cell, stacked layers) must compute what one chain computes, row for row, in the serving
 * graph (projected tables) and in the training graph's passes, also for odd batches and a single review.
 */
class BatchChainsTest {
  private static final int STEPS = 9;

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"class_name\": \"SimpleRNN\", \"config\": {\"units\": 40}}",
      "{\"class_name\": \"GRU\", \"config\": {\"units\": 33}}",
      "{\"class_name\": \"LSTM\", \"config\": {\"units\": 34}}",
      "{\"class_name\": \"LSTM\", \"config\": {\"units\": 34, \"activation\": \"relu\"}}",
      "{\"class_name\": \"SimpleRNN\", \"config\": {\"units\": 40, \"return_sequences\": true}},"
          + " {\"class_name\": \"GRU\", \"config\": {\"units\": 33, \"return_sequences\": true}},"
          + " {\"class_name\": \"LSTM\", \"config\": {\"units\": 34}}"})
  void chainedGraphsEqualOneChain(String layers) {
    ModelConfig config = TestModels.embeddingThen(layers);
    List<NamedWeight> weights = InteropFixtures.randomWeights(config, 7, DataSettings.keras(50, STEPS)).weights();
    Random rng = new Random(5);
    for (int rows : new int[] {7, 1, 8}) {
      int[] ids = new int[rows * STEPS];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = rng.nextInt(50);
      }
      float[] serving;
      float[] servingOne;
      try (InferenceSession chained = new InferenceSession(config, weights, ExecutionOptions.DEFAULT);
          InferenceSession one = BatchChains.building(ExecutionOptions.DEFAULT.withChains(1, 1),
              () -> new InferenceSession(config, weights, ExecutionOptions.DEFAULT))) {
        serving = chained.predict(ids, rows);
        servingOne = one.predict(ids, rows);
      }
      float[][] passes = passes(config, weights, ids, rows);
      float[][] passesOne = BatchChains.building(ExecutionOptions.DEFAULT.withChains(1, 1), () -> passes(config, weights, ids, rows));
      for (int i = 0; i < rows; i++) {
        String where = rows + " rows, row " + i;
        assertEquals(servingOne[i], serving[i], 1e-6, "serving graph, " + where);
        assertEquals(passesOne[0][i], passes[0][i], 1e-5, "training pass, " + where);
        assertEquals(passesOne[1][i], passes[1][i], 1e-5, "evaluation pass, " + where);
        assertEquals(servingOne[i], sigmoid(passesOne[1][i]), 1e-5, "serving against evaluation, " + where);
      }
    }
  }

  /** Logits of the training pass (no dropout in these configs) and of the evaluation pass. */
  private static float[][] passes(ModelConfig config, List<NamedWeight> weights, int[] ids, int rows) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      ModelGraph model = SequentialModel.of(config).build(tf, 3);
      Placeholder<TInt32> tokens = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, STEPS)));
      Operand<TInt64> seed = tf.constant(new long[] {1, 2});
      Operand<TFloat32> training = model.logits(tokens, true, seed);
      Operand<TFloat32> evaluation = model.logits(tokens, false, seed);
      s.run(model.initializer());
      model.writeWeights(s, weights);
      try (TInt32 x = TInt32.tensorOf(Shape.of(rows, STEPS), DataBuffers.of(ids, true, false));
          Result r = s.runner().feed(tokens, x).fetch(training).fetch(evaluation).run()) {
        float[][] out = new float[2][rows];
        for (int k = 0; k < 2; k++) {
          for (int i = 0; i < rows; i++) {
            out[k][i] = ((TFloat32) r.get(k)).getFloat(i, 0);
          }
        }
        return out;
      }
    }
  }

  private static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-x)));
  }
}
