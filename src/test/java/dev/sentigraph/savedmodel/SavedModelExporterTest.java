package dev.sentigraph.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.InteropFixtures;
import dev.sentigraph.InvalidInputException;
import dev.sentigraph.model.InferenceSession;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.train.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports of every layer type reload with identical predictions. With SENTIGRAPH_EXPORT_DIR set, the
 * exports and sentigraph's predictions stay there for scripts/check_savedmodel_export.py (run by scripts/test).
 */
class SavedModelExporterTest {
  @Test
  void everyFamilyReloadsWithTheSamePredictions(@TempDir Path tmp) throws Exception {
    Path root = InteropFixtures.exportRoot("savedmodel", tmp);
    int[] tokens = InteropFixtures.tokens();
    int rows = InteropFixtures.ROWS;
    List<InteropFixtures.Case> cases = new ArrayList<>();
    long seed = 1;
    for (var family : InteropFixtures.FAMILIES.entrySet()) {
      TrainedModel model = InteropFixtures.randomModel(family.getValue(), seed++);
      Path out = root.resolve(family.getKey());
      SavedModelExporter.export(model, out, true, "test");
      float[] expected;
      try (InferenceSession direct = new InferenceSession(model.config(), model.weights(), SessionSettings.config())) {
        expected = direct.predict(tokens, rows);
      }
      try (SavedModelPredictor reloaded = SavedModelPredictor.open(out, null, null, null)) {
        assertEquals("tokens", reloaded.inputName());
        assertEquals("int32", reloaded.inputDtype());
        float[] actual = reloaded.predict(tokens, rows);
        for (int i = 0; i < rows; i++) {
          assertEquals(expected[i], actual[i], 1e-6, family.getKey() + " row " + i);
        }
      }
      assertTrue(Files.isRegularFile(out.resolve("assets.extra/sentigraph.json")));
      cases.add(new InteropFixtures.Case(out, expected));
    }
    InteropFixtures.writePredictions(root, cases);
  }

  @Test
  void existingTargetNeedsForceAndSurvivesRefusal(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("model");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "mine");
    var e = assertThrows(InvalidInputException.class,
        () -> SavedModelExporter.export(InteropFixtures.randomModel(InteropFixtures.FAMILIES.get("mean"), 1), out, false, "test"));
    assertTrue(e.getMessage().contains("--force"), e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    try (var files = Files.list(tmp)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("tmp")));
    }
  }
}
