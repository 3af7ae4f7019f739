package dev.sentigraph.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.InteropFixtures;
import dev.sentigraph.TestModels;
import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A serving batch cut into slices that run side by side (all at once, whichever threads run them) answers every row in its place, exactly as the whole
 * batch in one run; a failing slice fails the call only after every slice is done.
 */
class BatchSlicesTest {
  private static final int STEPS = 9;

  @Test
  void slicesRunSideBySideAndAnswerEveryRowInItsPlace() {
    for (int rows : new int[] {1, 7, 16, 17, 40}) {
      for (int slices : new int[] {1, 2, 3}) {
        int expected = Math.max(1, Math.min(slices, rows / 8));
        String where = rows + " rows in " + slices + " slices";
        // each slice waits until all the expected slices are running at once: none runs after another
        CyclicBarrier together = new CyclicBarrier(expected);
        AtomicInteger runs = new AtomicInteger();
        float[] out = BatchSlices.run(rows, 2, slices, (from, count) -> {
          runs.incrementAndGet();
          try {
            together.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException(where + ": slices did not run side by side", e);
          }
          float[] part = new float[count * 2];
          for (int r = 0; r < count; r++) {
            part[2 * r] = from + r;
            part[2 * r + 1] = -(from + r);
          }
          return part;
        });
        assertEquals(expected, runs.get(), where);
        for (int r = 0; r < rows; r++) {
          assertEquals(r, out[2 * r], where + ", row " + r);
          assertEquals(-r, out[2 * r + 1], where + ", row " + r);
        }
      }
    }
  }

  @Test
  void aFailingSliceFailsTheCallAfterEverySliceIsDone() {
    AtomicInteger finished = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("slice failed");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> BatchSlices.run(32, 1, 4, (from, count) -> {
      if (from == 8) {
        throw boom;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.incrementAndGet();
      return new float[count];
    }));
    assertSame(boom, thrown);
    assertEquals(3, finished.get(), "the other slices ran to their end before the call failed");
  }

  @Test
  void anLstmServesInSlicesWhereTheCallerChoseNoThreads() {
    ModelConfig lstm = TestModels.embeddingThen("{\"class_name\": \"LSTM\", \"config\": {\"units\": 34}}");
    int cores = Runtime.getRuntime().availableProcessors();
    SequentialModel model = SequentialModel.of(lstm);
    assertEquals(cores >= 2 ? cores : 1, SessionSettings.serving(model, ExecutionOptions.DEFAULT).slices());
    assertEquals(1, SessionSettings.serving(model, ExecutionOptions.DEFAULT.withThreads(2, 2)).slices(),
        "thread counts the caller gives run each batch whole");
    ModelConfig gru = TestModels.embeddingThen("{\"class_name\": \"GRU\", \"config\": {\"units\": 33}}");
    assertEquals(1, SessionSettings.serving(SequentialModel.of(gru), ExecutionOptions.DEFAULT).slices(),
        "unrolled GRU inference keeps TF's shared pools");
  }

  @Test
  void slicedLstmAnswersAsTheWholeBatch() {
    ModelConfig config = TestModels.embeddingThen("{\"class_name\": \"LSTM\", \"config\": {\"units\": 34}}");
    List<NamedWeight> weights = InteropFixtures.randomWeights(config, 7, DataSettings.keras(50, STEPS)).weights();
    Random rng = new Random(5);
    try (InferenceSession sliced = new InferenceSession(config, weights, ExecutionOptions.DEFAULT);
        InferenceSession whole = new InferenceSession(config, weights, ExecutionOptions.DEFAULT.withThreads(1, 1))) {
      for (int rows : new int[] {1, 8, 17, 40}) {
        int[] ids = new int[rows * STEPS];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = rng.nextInt(50);
        }
        float[] a = sliced.predict(ids, rows);
        float[] b = whole.predict(ids, rows);
        assertEquals(rows, a.length);
        assertArrayEquals(b, a, 1e-6f, rows + " rows");
        assertTrue(a[rows - 1] > 0 && a[rows - 1] < 1, "a probability");
      }
    }
  }
}
