package dev.sentigraph.savedmodel;

import dev.sentigraph.config.ExecutionOptions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import dev.sentigraph.InteropFixtures;
import dev.sentigraph.TestData;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.SequencePadding;
import dev.sentigraph.data.WordIndex;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.AtomicFile;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.runtime.InferenceSession;
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
      try (InferenceSession direct = new InferenceSession(model.config(), model.weights(), ExecutionOptions.DEFAULT)) {
        expected = direct.predict(tokens, rows);
      }
      try (SavedModelPredictor reloaded = SavedModelPredictor.open(out, null, null, null, ExecutionOptions.DEFAULT)) {
        assertEquals("tokens", reloaded.inputName());
        assertEquals("int32", reloaded.inputDtype());
        float[] actual = reloaded.predict(tokens, rows);
        for (int i = 0; i < rows; i++) {
          assertEquals(expected[i], actual[i], 1e-6, family.getKey() + " row " + i);
        }
      }
      assertTrue(Files.isRegularFile(out.resolve("assets.extra/sentigraph.json")));
      checkServeText(out, model, InteropFixtures.WORDS, InteropFixtures.TEXTS);
      cases.add(new InteropFixtures.Case(out, expected));
    }
    InteropFixtures.writePredictions(root, cases);
  }

  /**
   * serve_text with the real 88,584-word IMDB index, num_words 10000 and 200 tokens. The export (and where the raw reviews
   * are) stays in SENTIGRAPH_EXPORT_DIR/savedmodel_real for check_savedmodel_export.py, which feeds it real
   * aclImdb reviews and compares with Keras' own preprocessing.
   */
  @Test
  void serveTextWithTheRealVocabulary(@TempDir Path tmp) throws Exception {
    Path imdb = TestData.imdbFolder();
    assumeTrue(imdb != null, TestData.ABSENT);
    WordIndex words = WordIndex.read(imdb.resolve("imdb_word_index.json"));
    TrainedModel model = InteropFixtures.randomWeights(InteropFixtures.config(InteropFixtures.FAMILIES.get("mean"), 10000, 200),
        9, DataSettings.keras(10000, 200));
    Path root = InteropFixtures.exportRoot("savedmodel_real", tmp);
    Path out = root.resolve("mean");
    SavedModelExporter.export(model, words, out, true, "test");
    long lines;
    try (var l = Files.lines(out.resolve("assets").resolve("vocabulary.tsv"))) {
      lines = l.count();
    }
    assertEquals(10000 - 3 - 1, lines, "ranks 1..9996 map below num_words 10000");
    checkServeText(out, model, words, List.of("This movie was great, really GREAT!", "Worst. Film. Ever... <br /><br />No."));
    Path acl = imdb.resolveSibling("aclImdb").resolve("aclImdb_v1_labeled.tar.gz");
    JsonObject info = new JsonObject();
    info.addProperty("path", out.toString());
    info.addProperty("word_index", imdb.resolve("imdb_word_index.json").toAbsolutePath().toString());
    info.addProperty("acl_imdb", Files.isRegularFile(acl) ? acl.toAbsolutePath().toString() : null);
    info.add("data", model.data().toJson());
    AtomicFile.writeString(root.resolve("export.json"), info.toString());
  }

  /** serve_text encodes as WordIndex.encode + pad_sequences do, and predicts as serving_default on those ids. */
  private static void checkServeText(Path export, TrainedModel model, WordIndex words, List<String> texts) {
    DataSettings data = model.data();
    int seqLen = model.config().seqLen();
    int[] expectedIds = new int[texts.size() * seqLen];
    for (int i = 0; i < texts.size(); i++) {
      int[] ids = words.encode(texts.get(i), data, data.numWords());
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
      try (SavedModelPredictor tokens = SavedModelPredictor.open(export, null, null, null, ExecutionOptions.DEFAULT)) {
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
    var e = assertThrows(InputException.class,
        () -> SavedModelExporter.export(InteropFixtures.randomModel(InteropFixtures.FAMILIES.get("mean"), 1), null, out, false, "test"));
    assertTrue(e.getMessage().contains("already exists") && "force".equals(e.setting()), e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    try (var files = Files.list(tmp)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("tmp")));
    }
  }
}
