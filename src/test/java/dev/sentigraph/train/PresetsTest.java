package dev.sentigraph.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.model.ModelSummary;
import dev.sentigraph.model.SequentialModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresetsTest {
  /** Keras' model.count_params() for each notebook model (issue 3; lstm128 and cnn-gru-dropout by formula; bilstm: keras.io; text-cnn: Keras 3 loading its .keras export). */
  static final Map<String, Long> KERAS_PARAMS = Map.ofEntries(
      Map.entry("lstm", 1_080_501L), Map.entry("rnn", 1_020_201L), Map.entry("cnn", 3_010_133L),
      Map.entry("cnn-lstm", 1_062_933L), Map.entry("cnn-gru", 1_049_933L), Map.entry("cnn-gru-dropout", 1_049_933L),
      Map.entry("rnn-stacked", 193_501L), Map.entry("lstm-small", 213_301L), Map.entry("dense-raw", 125_501L),
      Map.entry("dense-embedding", 13_500_501L), Map.entry("irnn", 1_000_286L), Map.entry("mean-embedding", 160_033L),
      Map.entry("lstm128", 242_561L), Map.entry("bilstm", 2_757_761L), Map.entry("text-cnn", 2_806_273L));

  @Test
  void everyPresetHasKerasParameterTotal() {
    assertEquals(KERAS_PARAMS.keySet(), Map.copyOf(Presets.all().stream()
        .collect(java.util.stream.Collectors.toMap(Preset::name, p -> 0))).keySet());
    for (Preset p : Presets.all()) {
      assertEquals(KERAS_PARAMS.get(p.name()), SequentialModel.of(p.model()).paramCount(), p.name());
    }
  }

  @Test
  void summaryLooksLikeKeras() {
    String s = ModelSummary.render(SequentialModel.of(Presets.get("cnn").model()));
    assertTrue(s.contains("│ conv1d (Conv1D)                 │ (None, 500, 32)        │         9,632 │"), s);
    assertTrue(s.contains("│ max_pooling1d (MaxPooling1D)    │ (None, 250, 32)        │             0 │"), s);
    assertTrue(s.contains(" Total params: 3,010,133 (11.48 MB)"), s);
  }

  @Test
  void irnnUsesTheNotebookInitializers() {
    var cfg = Presets.get("irnn").model().layers().get(1).config();
    assertEquals("Identity", cfg.getAsJsonObject("recurrent_initializer").get("class_name").getAsString());
    assertEquals(0.001, cfg.getAsJsonObject("kernel_initializer").getAsJsonObject("config").get("stddev").getAsDouble());
    assertEquals(80, Presets.get("irnn").data().seqLen());
    assertEquals(20000, Presets.get("irnn").data().numWords());
  }
}
