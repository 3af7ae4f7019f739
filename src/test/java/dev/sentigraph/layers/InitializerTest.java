package dev.sentigraph.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Initial values follow Keras' distributions (tensorflow-framework's Glorot and Orthogonal do not). */
class InitializerTest {
  static float[] values(InitializerSpec spec, long... shape) {
    try (Graph g = new Graph(); Session s = new Session(g); Result r = s.runner()
        .fetch(spec.create(Ops.create(g), shape, 3)).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.shape().size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  @Test
  void glorotUniformIsSymmetricWithKerasLimit() {
    // Conv1D kernel [k=3, in=100, filters=32]: fan_in 300, fan_out 96
    float[] v = values(InitializerSpec.GLOROT_UNIFORM, 3, 100, 32);
    double limit = Math.sqrt(6.0 / (300 + 96));
    double mean = 0;
    double min = 0;
    double max = 0;
    for (float x : v) {
      mean += x / v.length;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    assertTrue(min >= -limit && max <= limit, min + " " + max);
    assertTrue(min < -0.9 * limit && max > 0.9 * limit, "spans both signs: " + min + " " + max);
    assertEquals(0, mean, 0.01 * limit);
  }

  @Test
  void orthogonalHasOrthonormalRowsWhenWide() {
    float[] v = values(InitializerSpec.ORTHOGONAL, 4, 12); // LSTM-like [u, 4u]
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        double dot = 0;
        for (int j = 0; j < 12; j++) {
          dot += v[a * 12 + j] * v[b * 12 + j];
        }
        assertEquals(a == b ? 1 : 0, dot, 1e-5, a + "," + b);
      }
    }
  }
}
