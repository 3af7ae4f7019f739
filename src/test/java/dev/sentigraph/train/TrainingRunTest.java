package dev.sentigraph.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.SentimentModel;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.data.PaddedSequences;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training from Java, as {@code sentigraph train} does, then scoring the run through the front door. */
class TrainingRunTest {
  private static final Path TINY = Path.of("src/test/resources/fixtures/tiny_imdb/reviews.npz");

  private static Preset tiny() {
    ModelConfig config = ModelConfig.fromJson(com.google.gson.JsonParser.parseString("""
        {"class_name": "Sequential", "config": {"name": "tiny", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 8]}},
          {"class_name": "Embedding", "config": {"input_dim": 20, "output_dim": 4}},
          {"class_name": "GlobalAveragePooling1D", "config": {}},
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}""").getAsJsonObject(), "tiny");
    return new Preset("tiny", "a test model", config, DataSettings.keras(20, 8).withSource(TINY),
        new TrainSettings("adam", 1e-2, 4, 2, "test", 1));
  }

  @Test
  void aRunTrainsWithListenersAndItsFolderScoresAsItsMetricsSay(@TempDir Path dir) throws Exception {
    AtomicInteger epochs = new AtomicInteger();
    TrainingRun run = TrainingRun.of(tiny()).out(dir.resolve("run"))
        .listener(new TrainingListener() {
          @Override
          public void onEpochEnd(EpochLogs logs, FitLoop loop) {
            epochs.incrementAndGet();
          }
        }).build();
    TrainingRun.Result r = run.run();
    assertNull(r.stopReason());
    assertEquals(2, epochs.get());
    assertEquals(2, r.history().size());
    assertTrue(Files.isRegularFile(dir.resolve("run/metrics.json")));
    PaddedSequences test = DatasetLoader.load(tiny().data()).test();
    try (SentimentModel m = SentimentModel.load(dir.resolve("run"),
        dev.sentigraph.LoadOptions.defaults().withCheckpoint("epoch-002"))) {
      Evaluation again = Evaluation.of(test.labels(), m.predictAll(test).probabilities());
      assertEquals(r.test().accuracy(), again.accuracy(), 1e-9);
      assertEquals(r.test().loss(), again.loss(), 1e-5);
    }
  }

  @Test
  void aStoppedRunLeavesACheckpointThatResumes(@TempDir Path dir) throws Exception {
    AtomicReference<TrainingRun> self = new AtomicReference<>();
    TrainingRun first = TrainingRun.of(tiny()).out(dir.resolve("run")).listener(new TrainingListener() {
      @Override
      public void onBatchEnd(int epoch, int batch, int steps, double loss, double accuracy) {
        if (epoch == 2 && batch == 2) {
          self.get().interrupt();
        }
      }
    }).build();
    self.set(first);
    TrainingRun.Result stopped = first.run();
    assertTrue(stopped.interrupted());
    assertNull(stopped.test());
    assertNotNull(first.runFolder().latest());
    TrainingRun.Result resumed = TrainingRun.resume(dir.resolve("run")).build().run();
    assertNull(resumed.stopReason());
    assertEquals(2, resumed.history().size());
    assertNotNull(resumed.test());
  }
}
