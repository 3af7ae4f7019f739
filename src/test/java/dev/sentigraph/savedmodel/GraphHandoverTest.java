package dev.sentigraph.savedmodel;

import dev.sentigraph.config.ExecutionOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.KerasGolden;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.runtime.InferenceSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keras SavedModels served from sentigraph's rebuilt graph once it agrees with Keras' own, and only then. */
class GraphHandoverTest {
  @ParameterizedTest
  @CsvSource({"lstm, export, LSTM", "lstm, keras2, LSTM", "lstm, tfsave, LSTM", "gru, export, GRU", "gru, keras2, GRU",
      "gru, tfsave, GRU", "simple_rnn, export, SimpleRNN", "simple_rnn, keras2, SimpleRNN", "simple_rnn, tfsave, SimpleRNN",
      "cnn, export,", "cnn, tfsave,", "mean, export,", "mean, keras2,",
      // Functional models (keras.Input + layers on tensors) exported with model.export()
      "functional_lstm, export, LSTM", "functional_gru, export, GRU"})
  void rebuildsWhatItRecognisesAndStillPredictsWhatKerasPredicted(String family, String style, String recurrent) throws Exception {
    KerasGolden golden = KerasGolden.read(family);
    SavedModelPredictor keras = SavedModelPredictor.open(KerasSavedModelTest.ROOT.resolve(family).resolve(style), null, null, null, ExecutionOptions.DEFAULT);
    Optional<KerasGraphRebuild.Rebuilt> rebuilt =
        KerasGraphRebuild.recognise(keras.variables(KerasGraphRebuild::isWeightName), keras.seqLen());
    assertEquals(recurrent != null, rebuilt.isPresent(), family + "/" + style);
    rebuilt.ifPresent(r -> assertEquals(recurrent, r.config().layers().get(1).className()));
    try (GraphHandover handover = new GraphHandover(keras, ExecutionOptions.DEFAULT)) {
      assertEquals(recurrent != null, handover.awaitOwnGraph(), family + "/" + style + " serves from sentigraph's graph");
      float[] actual = handover.predict(golden.tokens(), golden.rows());
      for (int i = 0; i < actual.length; i++) {
        assertEquals(golden.probabilities()[i], actual[i], 1e-5, family + "/" + style + " row " + i);
      }
    }
  }

  @Test
  void aRebuiltModelThatDiffersFromKerasIsRefused() {
    try (SavedModelPredictor keras = SavedModelPredictor.open(KerasSavedModelTest.ROOT.resolve("lstm/export"), null, null, null, ExecutionOptions.DEFAULT)) {
      KerasGraphRebuild.Rebuilt rebuilt =
          KerasGraphRebuild.recognise(keras.variables(KerasGraphRebuild::isWeightName), keras.seqLen()).orElseThrow();
      try (InferenceSession same = session(rebuilt.weights(), rebuilt)) {
        assertTrue(KerasGraphRebuild.agrees(keras, same, 60));
      }
      // what a layer Keras applies but no variable shows would do: here, a recurrent kernel scaled by 1.01
      List<NamedWeight> changed = new ArrayList<>(rebuilt.weights());
      NamedWeight rk = changed.get(2);
      float[] values = rk.values().clone();
      for (int i = 0; i < values.length; i++) {
        values[i] *= 1.01f;
      }
      changed.set(2, new NamedWeight(rk.path(), rk.shape(), values));
      try (InferenceSession other = session(changed, rebuilt)) {
        assertFalse(KerasGraphRebuild.agrees(keras, other, 60));
      }
    }
  }

  private static InferenceSession session(List<NamedWeight> weights, KerasGraphRebuild.Rebuilt rebuilt) {
    return new InferenceSession(rebuilt.config(), weights, ExecutionOptions.DEFAULT);
  }
}
