package dev.sentigraph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import java.util.Random;
import org.junit.jupiter.api.Test;
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
 * Inference graphs cut the batch into independent chains (recurrent layers of 32+ units, and every fused
 * LSTM); without dropout they must compute what the single-chain training pass computes, row for row, also for
 * odd batches and a single review.
 */
class BatchChainsTest {
  @Test
  void chainedInferenceEqualsTheSingleChainPass() {
    ModelConfig config = ModelConfig.fromJson(JsonParser.parseString("""
        {"class_name": "Sequential", "config": {"name": "chains", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 9]}},
          {"class_name": "Embedding", "config": {"input_dim": 50, "output_dim": 8}},
          {"class_name": "SimpleRNN", "config": {"units": 40, "return_sequences": true}},
          {"class_name": "GRU", "config": {"units": 33, "return_sequences": true}},
          {"class_name": "LSTM", "config": {"units": 34}},
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}""").getAsJsonObject(), "test");
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      ModelGraph model = SequentialModel.of(config).build(tf, 3);
      Placeholder<TInt32> tokens = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, 9)));
      Operand<TInt64> seed = tf.constant(new long[] {1, 2});
      Operand<TFloat32> training = model.logits(tokens, true, seed);
      Operand<TFloat32> inference = model.logits(tokens, false, seed);
      s.run(model.initializer());
      Random rng = new Random(5);
      for (int rows : new int[] {7, 1, 8}) {
        int[] ids = new int[rows * 9];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = rng.nextInt(50);
        }
        try (TInt32 x = TInt32.tensorOf(Shape.of(rows, 9), DataBuffers.of(ids, true, false));
            Result r = s.runner().feed(tokens, x).fetch(training).fetch(inference).run()) {
          TFloat32 single = (TFloat32) r.get(0);
          TFloat32 chained = (TFloat32) r.get(1);
          for (int i = 0; i < rows; i++) {
            assertEquals(single.getFloat(i, 0), chained.getFloat(i, 0), 1e-6, rows + " rows, row " + i);
          }
        }
      }
    }
  }
}
