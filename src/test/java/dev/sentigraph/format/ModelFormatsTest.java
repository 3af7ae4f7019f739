package dev.sentigraph.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.SentimentModel;
import dev.sentigraph.cli.Cli;
import dev.sentigraph.error.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a path holds is decided by content, in one place, for every door. */
class ModelFormatsTest {
  private static final Path SAVEDMODELS = Path.of("savedmodels");
  private static final int[][] ROWS = {{3, 14, 15, 29, 6, 22, 16, 9, 8, 4}, {7, 27, 16, 16, 7, 12, 15, 17, 21, 7}};

  @Test
  void eachKindIsKnownByContent() {
    assertEquals("a .keras file", ModelFormats.of(SAVEDMODELS.resolve("lstm/model.keras")).description());
    assertEquals("a Keras .h5 file", ModelFormats.of(SAVEDMODELS.resolve("legacy/seq_lstm.h5")).description());
    assertEquals("a SavedModel folder (saved_model.pb)", ModelFormats.of(SAVEDMODELS.resolve("lstm/export")).description());
  }

  @Test
  void aKeras2Hdf5FileUnderAKerasNameLoadsAsTheH5FileDoes(@TempDir Path tmp) throws Exception {
    Path h5 = SAVEDMODELS.resolve("legacy/seq_lstm.h5");
    Path named = tmp.resolve("seq_lstm.keras");
    Files.copy(h5, named);
    assertEquals("a Keras .h5 file", ModelFormats.of(named).description());
    float[] expected;
    try (SentimentModel m = SentimentModel.load(h5)) {
      expected = m.predictTokens(ROWS);
    }
    try (SentimentModel m = SentimentModel.load(named)) {
      assertArrayEquals(expected, m.predictTokens(ROWS), 0f);
    }
    Cli.Run inspect = Cli.run("inspect", named.toString());
    assertEquals(0, inspect.status(), inspect.err());
    assertTrue(inspect.out().contains("Keras .h5 file"), inspect.out());
  }

  @Test
  void aFileNoKindHoldsIsExplainedByTheReaderItsNameClaims(@TempDir Path tmp) throws Exception {
    Path broken = tmp.resolve("model.keras");
    Files.writeString(broken, "not a model");
    var e = assertThrows(InputException.class, () -> SentimentModel.load(broken));
    assertTrue(e.getMessage().contains("is not a .keras file (not a zip archive)"), e.getMessage());
    Path other = tmp.resolve("notes.txt");
    Files.writeString(other, "hello");
    e = assertThrows(InputException.class, () -> SentimentModel.load(other));
    assertEquals("model " + other + " is not a model sentigraph can load: expected a run folder (model.json,"
        + " checkpoints/), a SavedModel folder (saved_model.pb), a .keras file or a Keras .h5 file", e.getMessage());
  }

  @Test
  void aVersionFolderStandsForItsOneModelFile(@TempDir Path tmp) throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("1"));
    assertEquals(Optional.empty(), ModelFormats.modelIn(folder));
    Files.writeString(folder.resolve("README.txt"), "trained on 2026-12-01");
    Files.copy(SAVEDMODELS.resolve("legacy/seq_lstm.h5"), folder.resolve("model.h5"));
    assertEquals(Optional.of(folder.resolve("model.h5")), ModelFormats.modelIn(folder));
    Files.copy(SAVEDMODELS.resolve("lstm/model.keras"), folder.resolve("other.keras"));
    assertEquals(Optional.empty(), ModelFormats.modelIn(folder), "two models: which one is meant is unknown");
    assertEquals(Optional.of(SAVEDMODELS.resolve("lstm/export")), ModelFormats.modelIn(SAVEDMODELS.resolve("lstm/export")));
  }

  @Test
  void aCheckpointIsRefusedBeyondRunFolders() {
    var e = assertThrows(InputException.class,
        () -> SentimentModel.readTrained(SAVEDMODELS.resolve("lstm/export"), "best"));
    assertEquals("a checkpoint applies to run folders: savedmodels/lstm/export is a SavedModel", e.getMessage());
  }
}
