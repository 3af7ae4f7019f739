package dev.sentigraph.savedmodel;

import dev.sentigraph.config.ExecutionOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.KerasGolden;
import dev.sentigraph.TestFolders;
import dev.sentigraph.error.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Keras-trained SavedModels of every family and style (scripts/make_keras_savedmodels.py) against Keras' predictions. */
class KerasSavedModelTest {
  static final Path ROOT = Path.of("savedmodels");

  static Stream<Arguments> models() {
    return Stream.of("lstm", "gru", "simple_rnn", "cnn", "mean")
        .flatMap(f -> Stream.of("export", "keras2", "tfsave").map(style -> Arguments.of(f, style)));
  }

  @ParameterizedTest
  @MethodSource("models")
  void predictsWhatKerasPredicted(String family, String style) throws Exception {
    KerasGolden golden = KerasGolden.read(family);
    try (SavedModelPredictor p = SavedModelPredictor.open(ROOT.resolve(family).resolve(style), null, null, null, ExecutionOptions.DEFAULT)) {
      assertEquals(golden.seqLen(), p.seqLen());
      float[] actual = p.predict(golden.tokens(), golden.rows());
      for (int i = 0; i < actual.length; i++) {
        assertEquals(golden.probabilities()[i], actual[i], 1e-5, family + "/" + style + " row " + i);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void embeddingIsReadFromEveryStyle(String family, String style) {
    float[] expected = dev.sentigraph.keras.KerasFileReader.read(ROOT.resolve(family).resolve("model.keras")).weights().get(0).values();
    try (SavedModelPredictor p = SavedModelPredictor.open(ROOT.resolve(family).resolve(style), null, null, null, ExecutionOptions.DEFAULT)) {
      var embedding = p.embedding();
      assertTrue(embedding != null, family + "/" + style);
      assertEquals(60, embedding.shape()[0]);
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected, embedding.values(), family + "/" + style);
    }
  }

  @Test
  void inspectShowsSignaturesAsKerasWroteThem() {
    SavedModelInfo export = SavedModelInfo.read(ROOT.resolve("lstm/export"));
    var serving = export.metaGraphs().get(0).signatures().stream().filter(s -> s.key().equals("serving_default")).findFirst().orElseThrow();
    assertEquals("tokens", serving.inputs().get(0).key());
    assertEquals("int32", serving.inputs().get(0).dtype());
    assertEquals(16, serving.inputs().get(0).shape()[1]);
    assertEquals("output_0", serving.outputs().get(0).key());
    var mean = SavedModelInfo.read(ROOT.resolve("mean/export")).metaGraphs().get(0).signatures().stream()
        .filter(s -> s.key().equals("serving_default")).findFirst().orElseThrow();
    assertEquals("float", mean.inputs().get(0).dtype());
    assertTrue(mean.inputs().get(0).key().startsWith("keras_tensor"), mean.inputs().get(0).key());
    var keras2 = SavedModelInfo.read(ROOT.resolve("lstm/keras2")).metaGraphs().get(0).signatures().stream()
        .filter(s -> s.key().equals("serving_default")).findFirst().orElseThrow();
    assertEquals("embedding_input", keras2.inputs().get(0).key());
    assertEquals("dense", keras2.outputs().get(0).key());
  }

  @Test
  void badInputNamesWhatIsWrong(@TempDir Path dir) throws Exception {
    var e = assertThrows(InputException.class, () -> SavedModelPredictor.open(dir, null, null, null, ExecutionOptions.DEFAULT));
    assertTrue(e.getMessage().contains("is not a SavedModel folder"), e.getMessage());
    e = assertThrows(InputException.class, () -> SavedModelPredictor.open(ROOT.resolve("lstm/export"), "nope", null, null, ExecutionOptions.DEFAULT));
    assertTrue(e.getMessage().contains("available [serve, serving_default]"), e.getMessage());
    e = assertThrows(InputException.class, () -> SavedModelPredictor.open(ROOT.resolve("lstm/export"), null, "x", null, ExecutionOptions.DEFAULT));
    assertTrue(e.getMessage().contains("has no input 'x'"), e.getMessage());
    // a copy whose variables are cut short
    Path copy = dir.resolve("truncated");
    TestFolders.copyTree(ROOT.resolve("gru/tfsave"), copy);
    try (var files = Files.list(copy.resolve("variables"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("variables.data")).toList()) {
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length / 3));
      }
    }
    e = assertThrows(InputException.class, () -> SavedModelPredictor.open(copy, null, null, null, ExecutionOptions.DEFAULT));
    assertTrue(e.getMessage().contains(copy.toString()), e.getMessage());
  }
}
