package dev.sentigraph.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.model.ModelVariable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** The first five steps of each optimizer against Keras 3 (scripts/make_optimizer_goldens.py). */
class OptimizerParityTest {
  @ParameterizedTest
  @ValueSource(strings = {"adam", "rmsprop", "rmsprop_small_lr", "sgd", "sgd_momentum", "adagrad"})
  void matchesKerasStepByStep(String name) throws Exception {
    JsonObject doc = JsonParser.parseString(
        Files.readString(Path.of("src/test/resources/golden/optimizers/steps.json"))).getAsJsonObject();
    JsonObject c = doc.getAsJsonObject("cases").getAsJsonObject(name);
    double lr = c.getAsJsonObject("config").get("learning_rate").getAsDouble();
    Optimizer optimizer = switch (name) {
      case "adam" -> new AdamOptimizer(lr);
      case "rmsprop", "rmsprop_small_lr" -> new RmspropOptimizer(lr);
      case "sgd" -> new SgdOptimizer(lr, 0);
      case "sgd_momentum" -> new SgdOptimizer(lr, c.getAsJsonObject("config").get("momentum").getAsDouble());
      default -> new AdagradOptimizer(lr);
    };
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> w = tf.withName("w").variable(Shape.of(3, 2), TFloat32.class);
      Placeholder<TFloat32> grad = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(3, 2)));
      Placeholder<TInt64> step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      ModelVariable mv = new ModelVariable(0, "layer", "kernel", new long[] {3, 2}, true, w);
      Op update = optimizer.apply(tf, List.of(mv), List.of(grad), step);
      Op init = optimizer.initializer(tf);
      s.run(tf.assign(w, tf.constant(matrix(doc.getAsJsonArray("start")))));
      s.run(init);
      JsonArray gradients = doc.getAsJsonArray("gradients");
      for (int t = 0; t < gradients.size(); t++) {
        try (TFloat32 gt = TFloat32.tensorOf(Shape.of(3, 2), DataBuffers.of(flat(gradients.get(t).getAsJsonArray()), true, false));
            TInt64 st = TInt64.scalarOf(t + 1)) {
          s.runner().feed(grad, gt).feed(step, st).addTarget(update).run();
        }
        float[] expected = flat(c.getAsJsonArray("steps").get(t).getAsJsonArray());
        try (Result r = s.runner().fetch(w).run()) {
          float[] actual = new float[6];
          ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(actual);
          for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], actual[i], 1e-6, name + " step " + (t + 1) + " element " + i);
          }
        }
      }
    }
  }

  private static float[][] matrix(JsonArray rows) {
    float[][] m = new float[rows.size()][];
    for (int i = 0; i < m.length; i++) {
      JsonArray r = rows.get(i).getAsJsonArray();
      m[i] = new float[r.size()];
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = r.get(j).getAsFloat();
      }
    }
    return m;
  }

  private static float[] flat(JsonArray rows) {
    float[][] m = matrix(rows);
    float[] out = new float[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
    }
    return out;
  }
}
