package dev.sentigraph.train;

import dev.sentigraph.config.ExecutionOptions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.PaddedSequences;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitLoopTest {
  /** The checkpoint tests' settings: one Adam epoch of 32-review batches. */
  private static final TrainSettings ONE_ADAM_EPOCH = new TrainSettings("adam", 0.01, 32, 1, "none", 1);
  static final int SEQ = 20;

  /** Reviews whose label says whether "good" ids (10-19) outnumber "bad" ids (20-29). */
  static PaddedSequences synthetic(int n, long seed) {
    Random rng = new Random(seed);
    int[] tokens = new int[n * SEQ];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int good = 0;
      int bad = 0;
      for (int t = 0; t < SEQ; t++) {
        int id = 3 + rng.nextInt(47);
        tokens[i * SEQ + t] = id;
        good += id >= 10 && id < 20 ? 1 : 0;
        bad += id >= 20 && id < 30 ? 1 : 0;
      }
      labels[i] = good > bad ? 1 : 0;
    }
    return new PaddedSequences(tokens, SEQ, labels);
  }

  static ModelConfig config(String middle) {
    return ModelConfig.fromJson(JsonParser.parseString("""
        {"class_name": "Sequential", "config": {"name": "tiny", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, %d]}},
          {"class_name": "Embedding", "config": {"input_dim": 50, "output_dim": 8}},
          %s,
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}
        """.formatted(SEQ, middle)).getAsJsonObject(), "test");
  }

  static final String MEAN = "{\"class_name\": \"GlobalAveragePooling1D\", \"config\": {}}";
  static final String LSTM_DROPOUT = "{\"class_name\": \"LSTM\", \"config\": {\"units\": 4, \"dropout\": 0.2}}";

  @Test
  void smokeTrainingLearnsTheTask() {
    PaddedSequences train = synthetic(1600, 1);
    PaddedSequences test = synthetic(400, 2);
    TrainSettings s = new TrainSettings("adam", 0.01, 32, 4, "test", 7);
    try (TrainingGraph g = new TrainingGraph(SequentialModel.of(config(MEAN)), s, ExecutionOptions.DEFAULT)) {
      List<EpochLogs> h = new FitLoop(g, train, test, s, List.of()).fit(FitState.start());
      assertEquals(4, h.size());
      assertTrue(h.get(3).loss() < h.get(0).loss() - 0.1, "loss falls: " + h);
      assertTrue(h.get(3).valAccuracy() > 0.8, "accuracy clearly beats chance: " + h);
    }
  }

  @Test
  void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws IOException {
    PaddedSequences train = synthetic(300, 3);
    PaddedSequences test = synthetic(100, 4);
    TrainSettings s = new TrainSettings("adam", 0.01, 32, 3, "test", 11);
    SequentialModel model = SequentialModel.of(config(LSTM_DROPOUT));
    List<NamedWeight> straight;
    try (TrainingGraph g = new TrainingGraph(model, s, ExecutionOptions.DEFAULT)) {
      new FitLoop(g, train, test, s, List.of()).fit(FitState.start());
      straight = g.weights();
    }
    RunFolder run = runFolder(dir, model, s);
    // first process: stops in the middle of epoch 2 (as Ctrl-C does), writing an 'interrupted' checkpoint
    try (TrainingGraph g = new TrainingGraph(model, s, ExecutionOptions.DEFAULT)) {
      FitLoop[] loop = new FitLoop[1];
      TrainingListener stopper = new TrainingListener() {
        @Override
        public void onBatchEnd(int epoch, int batch, int steps, double loss, double accuracy) {
          if (epoch == 2 && batch == 4) {
            loop[0].requestStop("interrupted");
          }
        }
      };
      loop[0] = new FitLoop(g, train, test, s, List.of(new Checkpointer(run), stopper));
      loop[0].fit(FitState.start());
      assertTrue(loop[0].interrupted());
    }
    RunFolder.Checkpoint last = RunFolder.open(run.dir()).latest();
    assertEquals("interrupted", last.dir().getFileName().toString());
    assertEquals(2, last.state().epoch());
    assertEquals(4, last.state().batchesDone());
    // second process: resumes from it
    try (TrainingGraph g = new TrainingGraph(model, s, ExecutionOptions.DEFAULT)) {
      g.restore(last.prefix());
      new FitLoop(g, train, test, s, List.of(new Checkpointer(run))).fit(last.state());
      List<NamedWeight> resumed = g.weights();
      for (int i = 0; i < straight.size(); i++) {
        assertArrayEquals(straight.get(i).values(), resumed.get(i).values(), 1e-6f, straight.get(i).path());
      }
    }
    assertEquals("epoch-003", RunFolder.open(run.dir()).latest().dir().getFileName().toString());
  }

  @Test
  void stateMovedToAnotherGraphTrainsOnAsTheFirstWould() {
    // what data-parallel training relies on: weights, Adam's moments and the step counter carry over exactly
    PaddedSequences train = synthetic(96, 5);
    TrainSettings s = new TrainSettings("adam", 0.01, 32, 2, "none", 13);
    SequentialModel model = SequentialModel.of(config(LSTM_DROPOUT));
    try (TrainingGraph a = new TrainingGraph(model, s, ExecutionOptions.DEFAULT);
        TrainingGraph b = new TrainingGraph(SequentialModel.of(config(LSTM_DROPOUT)), s.with(null, null, null, null,
            null, 99L), ExecutionOptions.DEFAULT)) {
      new FitLoop(a, train, null, s, List.of()).fit(FitState.start());
      float[] state = a.readState();
      assertEquals(a.stateSize(), state.length);
      b.writeState(state, a.iterations());
      assertArrayEquals(state, b.readState());
      assertEquals(6, b.iterations());
      int[] tokens = java.util.Arrays.copyOf(train.tokens(), 32 * SEQ);
      float[] labels = new float[32];
      for (int i = 0; i < 32; i++) {
        labels[i] = train.labels()[i];
      }
      a.trainStep(tokens, labels, 32, new long[] {1, 7});
      b.trainStep(tokens, labels, 32, new long[] {1, 7});
      assertArrayEquals(a.readState(), b.readState(), 0f);
      assertThrows(IllegalArgumentException.class, () -> b.writeState(new float[3], 0));
    }
  }

  @Test
  void earlyStoppingStopsAndRestoresBestWeights() {
    PaddedSequences train = synthetic(200, 5);
    PaddedSequences test = synthetic(200, 6);
    // a large learning rate overfits fast, so val_loss stops improving within a few epochs
    TrainSettings s = new TrainSettings("adam", 0.3, 16, 30, "test", 3);
    try (TrainingGraph g = new TrainingGraph(SequentialModel.of(config(MEAN)), s, ExecutionOptions.DEFAULT)) {
      EarlyStopping early = new EarlyStopping(2);
      List<NamedWeight>[] bestWeights = new List[1];
      TrainingListener recorder = new TrainingListener() {
        @Override
        public void onEpochEnd(EpochLogs logs, FitLoop loop) {
          if (loop.state().bestEpoch() == logs.epoch()) {
            bestWeights[0] = loop.graph().weights();
          }
        }
      };
      FitLoop loop = new FitLoop(g, train, test, s, List.of(recorder, early));
      List<EpochLogs> h = loop.fit(FitState.start());
      assertTrue(h.size() < 30, "stopped early after " + h.size());
      assertTrue(loop.stopReason().startsWith("early stopping"));
      assertEquals(h.size() - 2, early.bestEpoch());
      assertArrayEquals(bestWeights[0].get(0).values(), g.weights().get(0).values());
    }
  }

  @Test
  void divergingLossStopsWithoutANewCheckpoint(@TempDir Path dir) throws IOException {
    PaddedSequences train = synthetic(200, 7);
    TrainSettings s = new TrainSettings("sgd", 1e30, 20, 3, "none", 1);
    SequentialModel model = SequentialModel.of(config(MEAN));
    RunFolder run = runFolder(dir, model, s);
    try (TrainingGraph g = new TrainingGraph(model, s, ExecutionOptions.DEFAULT)) {
      FitLoop loop = new FitLoop(g, train, null, s, List.of(new Checkpointer(run)));
      loop.fit(FitState.start());
      assertNotNull(loop.stopReason());
      assertTrue(loop.stopReason().contains("the loss became"), loop.stopReason());
    }
    assertEquals(null, RunFolder.open(run.dir()).latest());
  }

  @Test
  void failedCheckpointWriteLeavesThePreviousOneIntact(@TempDir Path dir) throws IOException {
    SequentialModel model = SequentialModel.of(config(MEAN));
    RunFolder run = runFolder(dir, model, ONE_ADAM_EPOCH);
    try (TrainingGraph g = new TrainingGraph(model, ONE_ADAM_EPOCH, ExecutionOptions.DEFAULT)) {
      run.writeCheckpoint("best", g::save, FitState.start());
      byte[] before = Files.readAllBytes(run.checkpoint("best").prefix().resolveSibling("ckpt.index"));
      IOException full = assertThrows(IOException.class, () -> run.writeCheckpoint("best", prefix -> {
        Files.writeString(prefix.resolveSibling("ckpt.index"), "half");
        throw new IOException("No space left on device");
      }, new FitState(9, 0, 9, List.of(), null, 0)));
      assertEquals("No space left on device", full.getMessage());
      assertArrayEquals(before, Files.readAllBytes(run.checkpoint("best").prefix().resolveSibling("ckpt.index")));
      assertEquals(1, run.checkpoint("best").state().epoch());
      try (var files = Files.list(run.dir().resolve("checkpoints"))) {
        assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("tmp")), "no temporary left behind");
      }
    }
  }

  @Test
  void aCheckpointSetAsideByAnInterruptedReplaceIsStillRead(@TempDir Path dir) throws IOException {
    SequentialModel model = SequentialModel.of(config(MEAN));
    RunFolder run = runFolder(dir, model, ONE_ADAM_EPOCH);
    try (TrainingGraph g = new TrainingGraph(model, ONE_ADAM_EPOCH, ExecutionOptions.DEFAULT)) {
      run.writeCheckpoint("epoch-001", g::save, FitState.start());
      run.writeCheckpoint("best", g::save, new FitState(1, 0, 1, List.of(), null, 0));
      run.writeCheckpoint("interrupted", g::save, new FitState(2, 0, 1, List.of(), null, 0));
    }
    // the process died inside writeCheckpoint's replace of both: each old one moved aside, no new one moved in
    Path checkpoints = run.dir().resolve("checkpoints");
    for (String name : List.of("best", "interrupted")) {
      Files.move(checkpoints.resolve(name), checkpoints.resolve("." + name + ".old"));
    }
    RunFolder reopened = RunFolder.open(run.dir());
    assertEquals(2, reopened.latest().state().epoch(), "resume reads the set-aside checkpoint latest names");
    assertEquals(1, reopened.checkpointOrPreferred(null).state().epoch(),
        "the best checkpoint is still preferred, not the latest");
    try (TrainingGraph g = new TrainingGraph(model, ONE_ADAM_EPOCH, ExecutionOptions.DEFAULT)) {
      reopened.writeCheckpoint("best", g::save, new FitState(3, 0, 3, List.of(), null, 0));
    }
    assertEquals(3, reopened.checkpoint("best").state().epoch(), "a new best replaces the set-aside one");
  }

  @Test
  void trainedModelReadsTheCheckpointWeights(@TempDir Path dir) throws IOException {
    SequentialModel model = SequentialModel.of(config(MEAN));
    RunFolder run = runFolder(dir, model, ONE_ADAM_EPOCH);
    try (TrainingGraph g = new TrainingGraph(model, ONE_ADAM_EPOCH, ExecutionOptions.DEFAULT)) {
      new FitLoop(g, synthetic(64, 1), null, ONE_ADAM_EPOCH, List.of(new Checkpointer(run))).fit(FitState.start());
      assertArrayEquals(g.weights().get(0).values(), RunWeights.read(run, null, ExecutionOptions.DEFAULT).weights().get(0).values());
    }
  }

  @Test
  void evaluationMetricsOnAHandCase() {
    // scores sorted: 0.1(0) 0.35(1) 0.4(0) 0.8(1) 0.9(1): of 3x2 pairs, 5 ranked right -> AUC 5/6
    Evaluation e = Evaluation.of(new int[] {0, 1, 0, 1, 1}, new float[] {0.1f, 0.35f, 0.4f, 0.8f, 0.9f});
    assertEquals(5 / 6.0, e.auc(), 1e-12);
    assertArrayEquals(new long[] {2, 0}, e.confusion()[0]);
    assertArrayEquals(new long[] {1, 2}, e.confusion()[1]);
    assertEquals(0.8, e.accuracy(), 1e-12);
    assertEquals(1.0, e.precision(), 1e-12);
    assertEquals(2 / 3.0, e.recall(), 1e-12);
    assertEquals(0.8, e.f1(), 1e-12);
    double loss = -(Math.log(0.9) + Math.log(0.35) + Math.log(0.6) + Math.log(0.8) + Math.log(0.9)) / 5;
    assertEquals(loss, e.loss(), 1e-6);
    assertEquals(0.5, Evaluation.auc(new int[] {0, 1}, new float[] {0.3f, 0.3f}), 1e-12);
  }

  /** A run folder for {@code model} trained with {@code s} on the synthetic data's settings. */
  private static RunFolder runFolder(Path dir, SequentialModel model, TrainSettings s) throws IOException {
    return RunFolder.create(dir.resolve("run"), model.config(), DataSettings.keras(50, SEQ), s, null);
  }
}
