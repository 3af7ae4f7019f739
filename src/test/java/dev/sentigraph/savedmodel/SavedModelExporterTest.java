package dev.sentigraph.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.InteropFixtures;
import dev.sentigraph.InvalidInputException;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.SequencePadding;
import dev.sentigraph.model.InferenceSession;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.train.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

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
      SavedModelExporter.export(model, InteropFixtures.WORDS, out, true, "test");
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
      checkServeText(out, model);
      cases.add(new InteropFixtures.Case(out, expected));
    }
    InteropFixtures.writePredictions(root, cases);
  }

  /** serve_text encodes as WordIndex.encode + pad_sequences do, and predicts as serving_default on those ids. */
  private static void checkServeText(Path export, TrainedModel model) {
    DataSettings data = model.data();
    List<String> texts = InteropFixtures.TEXTS;
    int seqLen = InteropFixtures.SEQ_LEN;
    int[] expectedIds = new int[texts.size() * seqLen];
    for (int i = 0; i < texts.size(); i++) {
      int[] ids = InteropFixtures.WORDS.encode(texts.get(i), data, data.numWords());
      System.arraycopy(SequencePadding.padOne(ids, seqLen, data.padding(), data.truncating()), 0, expectedIds, i * seqLen, seqLen);
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(export.toString(), "serve");
        TString text = TString.vectorOf(texts.toArray(String[]::new));
        Result r = bundle.function("serve_text").call(Map.of("text", text))) {
      TInt32 ids = (TInt32) r.get("token_ids").orElseThrow();
      TFloat32 p = (TFloat32) r.get("probability").orElseThrow();
      int[] actualIds = new int[expectedIds.length];
      ids.asRawTensor().data().asInts().read(actualIds);
      assertArrayEquals(expectedIds, actualIds, "token ids of " + export.getFileName());
      try (SavedModelPredictor tokens = SavedModelPredictor.open(export, null, null, null)) {
        float[] viaTokens = tokens.predict(expectedIds, texts.size());
        for (int i = 0; i < texts.size(); i++) {
          assertEquals(viaTokens[i], p.getFloat(i, 0), 1e-6, export.getFileName() + " text " + i);
        }
      }
    }
  }

  @Test
  void existingTargetNeedsForceAndSurvivesRefusal(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("model");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "mine");
    var e = assertThrows(InvalidInputException.class,
        () -> SavedModelExporter.export(InteropFixtures.randomModel(InteropFixtures.FAMILIES.get("mean"), 1), null, out, false, "test"));
    assertTrue(e.getMessage().contains("--force"), e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    try (var files = Files.list(tmp)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("tmp")));
    }
  }
}
