package dev.sentigraph.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.data.PaddedSequences;
import dev.sentigraph.model.SequentialModel;
import org.junit.jupiter.api.Test;

class StepProfileTest {
  @Test
  void aTracedStepTrainsAsAnyStepAndNamesTheKernelsThatRan() {
    PaddedSequences batch = FitLoopTest.synthetic(32, 3);
    float[] labels = new float[32];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = batch.labels()[i];
    }
    TrainSettings s = new TrainSettings("adam", 0.01, 32, 1, "none", 7);
    try (TrainingGraph plain = new TrainingGraph(SequentialModel.of(FitLoopTest.config(FitLoopTest.LSTM_DROPOUT)), s,
            ExecutionOptions.DEFAULT);
        TrainingGraph traced = new TrainingGraph(SequentialModel.of(FitLoopTest.config(FitLoopTest.LSTM_DROPOUT)), s,
            ExecutionOptions.DEFAULT)) {
      TrainingGraph.StepResult expected = plain.trainStep(batch.tokens(), labels, 32, new long[] {1, 0});
      TrainingGraph.TracedStep step = traced.tracedStep(batch.tokens(), labels, 32, new long[] {1, 0});
      assertEquals(expected, step.result(), "tracing changes nothing the step computes");
      StepProfile p = StepProfile.of(step);
      assertTrue(p.wallMicros() > 0 && p.kernelMicros() > 0, p.toString());
      assertTrue(p.ops().stream().anyMatch(o -> o.type().equals("BlockLSTMGradV2")), p.toString());
      for (int i = 1; i < p.ops().size(); i++) {
        assertTrue(p.ops().get(i - 1).micros() >= p.ops().get(i).micros(), "largest first");
      }
    }
  }
}
