package dev.sentigraph.keras;

import dev.sentigraph.config.ExecutionOptions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.InteropFixtures;
import dev.sentigraph.KerasGolden;
import dev.sentigraph.error.InputException;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.runtime.InferenceSession;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras-written {@code .keras} files (scripts/make_keras_savedmodels.py) against Keras' own predictions, and
 * sentigraph-written ones read back. With SENTIGRAPH_EXPORT_DIR set, the written files and sentigraph's
 * predictions stay there for scripts/check_keras_export.py, which opens them with keras.models.load_model.
 */
class KerasFileTest {
  static final Path ROOT = Path.of("savedmodels");

  @ParameterizedTest
  @ValueSource(strings = {"lstm", "gru", "simple_rnn", "cnn", "mean"})
  void predictsWhatKerasPredicted(String family) throws Exception {
    KerasGolden golden = KerasGolden.read(family);
    KerasFile file = KerasFileReader.read(ROOT.resolve(family).resolve("model.keras"));
    assertEquals(golden.kerasVersion(), file.kerasVersion());
    assertNull(file.data(), "Keras' own files carry no sentigraph data settings");
    TrainedModel model = file.toTrainedModel();
    assertEquals(golden.seqLen(), model.data().seqLen());
    assertEquals(60, model.data().numWords(), "num_words comes from the embedding's input_dim");
    try (InferenceSession session = new InferenceSession(model.config(), model.weights(), ExecutionOptions.DEFAULT)) {
      float[] actual = session.predict(golden.tokens(), golden.rows());
      for (int i = 0; i < actual.length; i++) {
        assertEquals(golden.probabilities()[i], actual[i], 1e-5, family + " row " + i);
      }
    }
  }

  @Test
  void everyLayerTypeRoundTrips(@TempDir Path tmp) throws Exception {
    Path root = InteropFixtures.exportRoot("keras", tmp);
    int[] tokens = InteropFixtures.tokens();
    List<InteropFixtures.Case> cases = new ArrayList<>();
    long seed = 1;
    for (var family : InteropFixtures.FAMILIES.entrySet()) {
      TrainedModel model = InteropFixtures.randomModel(family.getValue(), seed++);
      Path out = root.resolve(family.getKey() + ".keras");
      KerasFileWriter.write(model, out, true, "test");
      KerasFile back = KerasFileReader.read(out);
      assertEquals(model.data(), back.data(), family.getKey());
      assertEquals(model.config().layers().size(), back.config().layers().size());
      assertEquals(model.weights().size(), back.weights().size());
      for (int i = 0; i < model.weights().size(); i++) {
        NamedWeight w = model.weights().get(i);
        NamedWeight r = back.weights().get(i);
        assertEquals(w.path(), r.path());
        assertArrayEquals(w.shape(), r.shape(), w.path());
        assertArrayEquals(w.values(), r.values(), w.path());
      }
      float[] expected;
      try (InferenceSession session = new InferenceSession(model.config(), model.weights(), ExecutionOptions.DEFAULT)) {
        expected = session.predict(tokens, InteropFixtures.ROWS);
      }
      try (InferenceSession reread = new InferenceSession(back.config(), back.weights(), ExecutionOptions.DEFAULT)) {
        assertArrayEquals(expected, reread.predict(tokens, InteropFixtures.ROWS), 0f, family.getKey() + " read back");
      }
      cases.add(new InteropFixtures.Case(out, expected));
    }
    InteropFixtures.writePredictions(root, cases);
  }

  @Test
  void writesWhatKerasLaysOut(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("m.keras");
    KerasFileWriter.write(InteropFixtures.randomModel(InteropFixtures.FAMILIES.get("cnn_gru_lstm"), 3), out, false, "test");
    Map<String, byte[]> entries = entries(out);
    assertEquals(List.of("metadata.json", "config.json", "model.weights.h5", "sentigraph.json"), List.copyOf(entries.keySet()));
    JsonObject config = JsonParser.parseString(new String(entries.get("config.json"), StandardCharsets.UTF_8)).getAsJsonObject();
    assertEquals("keras", config.get("module").getAsString());
    JsonArray layers = config.getAsJsonObject("config").getAsJsonArray("layers");
    assertEquals("InputLayer", layers.get(0).getAsJsonObject().get("class_name").getAsString());
    JsonObject conv = layers.get(2).getAsJsonObject();
    assertEquals("keras.layers", conv.get("module").getAsString());
    assertEquals("[null,12,6]", conv.getAsJsonObject("build_config").get("input_shape").toString());
    JsonObject gru = layers.get(4).getAsJsonObject();
    assertEquals("[null,5,4]", gru.getAsJsonObject("build_config").get("input_shape").toString());
    // Keras names weight groups by class: the GRU's are under layers/gru/cell/vars, the second Dense's under dense_1
    try (var hdf = io.jhdf.HdfFile.fromBytes(entries.get("model.weights.h5"))) {
      assertArrayEquals(new int[] {4, 12}, hdf.getDatasetByPath("layers/gru/cell/vars/0").getDimensions());
      assertArrayEquals(new int[] {2, 12}, hdf.getDatasetByPath("layers/gru/cell/vars/2").getDimensions());
      assertArrayEquals(new int[] {3, 12}, hdf.getDatasetByPath("layers/lstm/cell/vars/1").getDimensions());
      assertArrayEquals(new int[] {3, 6, 4}, hdf.getDatasetByPath("layers/conv1d/vars/0").getDimensions());
      assertArrayEquals(new int[] {3, 1}, hdf.getDatasetByPath("layers/dense/vars/0").getDimensions());
    }
  }

  @Test
  void existingTargetNeedsForce(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("m.keras");
    Files.writeString(out, "mine");
    TrainedModel model = InteropFixtures.randomModel(InteropFixtures.FAMILIES.get("mean"), 1);
    var e = assertThrows(InputException.class, () -> KerasFileWriter.write(model, out, false, "test"));
    assertTrue(e.getMessage().contains("already exists") && "force".equals(e.setting()), e.getMessage());
    assertEquals("mine", Files.readString(out));
    KerasFileWriter.write(model, out, true, "test");
    assertEquals(model.weights().size(), KerasFileReader.read(out).weights().size());
    try (var files = Files.list(tmp)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("tmp")), "no temporary file left behind");
    }
  }

  @Test
  void badFilesNameWhatIsWrong(@TempDir Path tmp) throws Exception {
    Path keras = ROOT.resolve("lstm/model.keras");
    assertError(tmp.resolve("absent.keras"), "does not exist");

    Path notZip = tmp.resolve("text.keras");
    Files.writeString(notZip, "hello");
    assertError(notZip, "not a zip archive");

    Map<String, byte[]> entries = entries(keras);
    Path noConfig = tmp.resolve("noconfig.keras");
    Map<String, byte[]> without = new LinkedHashMap<>(entries);
    without.remove("config.json");
    zip(noConfig, without);
    assertError(noConfig, "has no config.json");

    String config = new String(entries.get("config.json"), StandardCharsets.UTF_8);
    Path unsupported = tmp.resolve("unsupported.keras");
    zip(unsupported, with(entries, "config.json", config.replace("\"class_name\": \"LSTM\"", "\"class_name\": \"ConvLSTM1D\"")));
    assertError(unsupported, "layer 1 (ConvLSTM1D)", "unknown layer class");

    Path wider = tmp.resolve("wider.keras");
    zip(wider, with(entries, "config.json", config.replace("\"units\": 6", "\"units\": 7")));
    assertError(wider, "layers/lstm/cell/vars/0 (lstm/kernel) has shape [8, 24]", "implies [8, 28]");

    byte[] h5 = entries.get("model.weights.h5");
    Path truncated = tmp.resolve("truncated.keras");
    zip(truncated, with(entries, "model.weights.h5", java.util.Arrays.copyOf(h5, h5.length / 2)));
    assertError(truncated, "model.weights.h5");
  }

  private static void assertError(Path file, String... parts) {
    var e = assertThrows(InputException.class, () -> KerasFileReader.read(file));
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
    }
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  private static Map<String, byte[]> with(Map<String, byte[]> entries, String name, Object content) {
    Map<String, byte[]> copy = new LinkedHashMap<>(entries);
    copy.put(name, content instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) content);
    return copy;
  }

  private static Map<String, byte[]> entries(Path file) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
      }
    }
    return entries;
  }

  private static void zip(Path file, Map<String, byte[]> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (var e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
  }
}
