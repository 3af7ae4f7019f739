package dev.sentigraph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.savedmodel.SavedModelExporter;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A SavedModel's vocabulary: sentigraph's own exports name their embedding in their config. */
class SavedModelVocabularyTest {
  /** sentigraph's exports of recurrent and Conv1D models look up a table projected from the embedding. */
  @ParameterizedTest
  @ValueSource(strings = {"gru", "cnn", "mean"})
  void sentigraphsOwnExportsTakeTheirEmbeddingFromTheirConfig(String family, @TempDir Path dir) throws IOException {
    TrainedModel keras = SentimentModel.readTrained(Path.of("savedmodels", family, "model.keras"), null);
    Path export = dir.resolve("export");
    SavedModelExporter.export(keras, null, export, false, "test");
    try (SentimentModel m = SentimentModel.load(export)) {
      assertArrayEquals(keras.weights().get(0).values(), m.embedding().values());
      var e = assertThrows(InvalidInputException.class, () -> m.predictTokens(new int[][] {{1, 60}}));
      assertTrue(e.getMessage().endsWith(": expected ids from 0 to 59"), e.getMessage());
    }
  }
}
