package dev.sentigraph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.cli.Cli;
import dev.sentigraph.data.OutputMode;
import dev.sentigraph.model.ModelInput;
import dev.sentigraph.model.WordFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Models whose Dense layers read one value per word (scripts/make_word_presence_models.py), against Keras:
 * "Deep Learning with Python"'s model fed vectorize_sequences vectors, which sentigraph fills from token ids when
 * told (features multi_hot), and TextVectorization(multi_hot / count / tf_idf) models, which say so themselves.
 */
class WordPresenceModelsTest {
  private static final Path DIR = Path.of("savedmodels/word_presence");

  private static JsonObject golden(Path dir) throws IOException {
    return JsonParser.parseString(Files.readString(dir.resolve("golden.json"))).getAsJsonObject();
  }

  private static int[][] rows(JsonObject golden) {
    return golden.getAsJsonArray("tokens").asList().stream().map(r -> r.getAsJsonArray().asList().stream()
        .mapToInt(JsonElement::getAsInt).toArray()).toArray(int[][]::new);
  }

  private static float[] floats(List<JsonElement> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).getAsFloat();
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"model.keras", "model.h5"})
  void deepLearningWithPythonModelGetsKerasAnswersFromTokenIds(String file) throws IOException {
    JsonObject golden = golden(DIR);
    int[][] rows = rows(golden);
    assertTrue(rows[4].length > 2000, "the longest test review, every word of it marked");
    try (SentimentModel m = SentimentModel.load(DIR.resolve(file),
        LoadOptions.defaults().withFeatures(OutputMode.MULTI_HOT).withBatchSize(4))) {
      ModelInput.TokenIds ids = m.tokenInput();
      assertEquals(1000, ids.vocabulary());
      assertTrue(ids.anyLength());
      assertEquals("int32 token ids [None, None] (its graph makes them a multi_hot vector [None, 1000])",
          ids.describe());
      assertArrayEquals(floats(golden.getAsJsonArray("probabilities").asList()), m.predictTokens(rows), 1e-5f);
      // load_data(num_words=1000) marks the ids the book's vectorize_sequences reads; 1000 is past the vector
      String problem = assertThrows(InvalidInputException.class, () -> m.predictTokens(new int[][] {{1, 1000}}))
          .getMessage();
      assertTrue(problem.endsWith("item 1 is 1000, past the model's vocabulary: expected token ids in [0, 1000)"),
          problem);
      // raw text is encoded as load_data(num_words=1000) encodes it: ranks past 1000 become OOV (2)
      assertEquals(1000, m.dataSettings().numWords());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"multi_hot", "count", "tf_idf"})
  void textVectorizationModelsGetKerasAnswersFromTexts(String mode) throws IOException {
    JsonObject golden = golden(DIR.resolve(mode));
    List<String> texts = golden.getAsJsonArray("texts").asList().stream().map(JsonElement::getAsString).toList();
    float[] expected = floats(golden.getAsJsonArray("probabilities").asList());
    for (String style : List.of("model.keras", "export")) {
      try (SentimentModel m = SentimentModel.load(DIR.resolve(mode).resolve(style),
          LoadOptions.defaults().withBatchSize(4))) {
        assertArrayEquals(expected, m.predict(texts).probabilities(), 1e-5f, mode + " " + style);
      }
    }
  }

  /** The graph's vector itself equals the one Keras' layer made of each text, bit for bit up to float rounding. */
  @ParameterizedTest
  @ValueSource(strings = {"multi_hot", "count", "tf_idf"})
  void theGraphBuildsKerasVectors(String mode) throws IOException {
    JsonObject golden = golden(DIR.resolve(mode));
    try (SentimentModel m = SentimentModel.load(DIR.resolve(mode).resolve("model.keras"))) {
      WordFeatures features = m.tokenInput().features();
      assertEquals(OutputMode.of(mode, "mode"), features.mode());
      List<JsonElement> texts = golden.getAsJsonArray("texts").asList();
      for (int t = 0; t < texts.size(); t++) {
        int[] ids = m.encoding().ids(texts.get(t).getAsString());
        int[] padded = new int[ids.length + 3]; // padding marks nothing
        System.arraycopy(ids, 0, padded, 0, ids.length);
        float[] expected = floats(golden.getAsJsonArray("features").get(t).getAsJsonArray().asList());
        assertArrayEquals(expected, vector(features, padded), 1e-6f, mode + " text " + t);
      }
    }
  }

  /**
   * The book's vectorize_sequences marks each id of the unpadded review (1 and 2 included, never the padding 0):
   * the graph gives those columns for the reviews pre-padded in one batch, multi_hot 1 each, count their number.
   */
  @Test
  void theGraphMarksWhatVectorizeSequencesMarks() throws IOException {
    JsonObject golden = golden(DIR);
    int[][] rows = rows(golden);
    int length = Arrays.stream(rows).mapToInt(r -> r.length).max().orElseThrow();
    int[] batch = new int[rows.length * length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, batch, (i + 1) * length - rows[i].length, rows[i].length);
    }
    float[] presence = vectors(new WordFeatures(OutputMode.MULTI_HOT, 1000, 0, null), batch, rows.length);
    float[] counts = vectors(new WordFeatures(OutputMode.COUNT, 1000, 0, null), batch, rows.length);
    for (int i = 0; i < rows.length; i++) {
      float[] expected = new float[1000];
      golden.getAsJsonArray("marked_columns").get(i).getAsJsonArray().forEach(c -> expected[c.getAsInt()] = 1);
      float[] row = Arrays.copyOfRange(presence, i * 1000, (i + 1) * 1000);
      assertArrayEquals(expected, row, "review " + i);
      float total = 0;
      for (int c = 0; c < 1000; c++) {
        total += counts[i * 1000 + c];
        assertEquals(expected[c] > 0, counts[i * 1000 + c] > 0, "review " + i + " column " + c);
      }
      assertEquals(rows[i].length, total, "review " + i + ": every id counted once");
    }
  }

  private static float[] vector(WordFeatures features, int[] ids) {
    return vectors(features, ids, 1);
  }

  private static float[] vectors(WordFeatures features, int[] ids, int rows) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TInt32> in = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      Operand<TFloat32> out = features.encode(tf, in);
      try (TInt32 x = TInt32.tensorOf(Shape.of(rows, ids.length / rows), DataBuffers.of(ids, true, false));
          var r = s.runner().feed(in, x).fetch(out).run()) {
        float[] v = new float[rows * features.width()];
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(v);
        return v;
      }
    }
  }

  @Test
  void aFeatureModelNobodyDescribesIsRefusedNamingTheOption() {
    for (String file : List.of("model.keras", "model.h5")) {
      Path model = DIR.resolve(file);
      String message = assertThrows(InvalidInputException.class, () -> SentimentModel.load(model)).getMessage();
      assertEquals("model " + model + " takes float features [None, 1000] (its input feeds a layer other than an"
          + " Embedding): if they are word-presence vectors of token ids, as \"Deep Learning with Python\"'s"
          + " vectorize_sequences makes, say so with features multi_hot (--features multi_hot), or count", message);
    }
    // Keras' export of it takes the floats in its own graph, where sentigraph does not build them
    Path export = DIR.resolve("export");
    String message = assertThrows(InvalidInputException.class, () -> SentimentModel.load(export,
        LoadOptions.defaults().withFeatures(OutputMode.MULTI_HOT))).getMessage();
    assertTrue(message.startsWith("model " + export + ": signature serving_default input 'keras_tensor' takes float"
        + " features [None, 1000] (looked up in no embedding)"), message);
    // tf_idf needs idf weights, which only a TextVectorization carries
    String tfIdf = assertThrows(InvalidInputException.class,
        () -> LoadOptions.defaults().withFeatures(OutputMode.TF_IDF)).getMessage();
    assertTrue(tfIdf.startsWith("features tf_idf cannot be made from token ids alone"), tfIdf);
  }

  /** The CLI says what --features takes; training and export would feed ids where the vector goes: refused. */
  @Test
  void theCliRefusesWhatItCannotFill() {
    Cli.Run bogus = Cli.run("predict", "--model", DIR.resolve("model.keras").toString(), "--features", "tf_idf",
        "--text", "great");
    assertEquals(2, bogus.status());
    assertEquals("error: --features 'tf_idf' is not supported: expected one of multi_hot, count", bogus.err().strip());
    Cli.Run export = Cli.run("export", "--model", DIR.resolve("tf_idf/model.keras").toString(), "--format",
        "savedmodel", "--out", Path.of("target", "word-presence-export").toString());
    assertEquals(2, export.status());
    assertEquals("error: model 'vectorized_tf_idf' reads a TextVectorization tf_idf vector: sentigraph scores such"
        + " models but does not train or export them (expected output_mode int)", export.err().strip());
    // the book's model: a SavedModel of sentigraph's would take ids and feed them to the Dense layer
    Path out = Path.of("target", "word-presence-export");
    Cli.Run book = Cli.run("export", "--model", DIR.resolve("model.keras").toString(), "--format", "savedmodel",
        "--out", out.toString());
    assertEquals(2, book.status());
    assertEquals("error: model 'word_presence' takes float features [None, 1000] (its input feeds a layer other"
        + " than an Embedding), and sentigraph's SavedModel takes token ids: export it as .keras, or from Keras with"
        + " model.export(dir)", book.err().strip());
    assertFalse(java.nio.file.Files.exists(out), "nothing written");
    Path run = Path.of("target", "word-presence-run");
    Cli.Run train = Cli.run("train", "--init-from", DIR.resolve("model.keras").toString(), "--epochs", "1",
        "--out", run.toString());
    assertEquals(2, train.status());
    assertEquals("error: model 'word_presence' takes float features [None, 1000] (its input feeds a layer other"
        + " than an Embedding): sentigraph trains on token ids, which that layer cannot read", train.err().strip());
    assertFalse(java.nio.file.Files.exists(run), "no run folder");
  }

  /** A TextVectorization's own mode wins over the caller's, who may name one for every model a server serves. */
  @Test
  void aTextVectorizationModeIsNotOverridden() {
    try (SentimentModel m = SentimentModel.load(DIR.resolve("count/model.keras"),
        LoadOptions.defaults().withFeatures(OutputMode.MULTI_HOT))) {
      assertEquals(OutputMode.COUNT, m.tokenInput().features().mode());
    }
  }
}
