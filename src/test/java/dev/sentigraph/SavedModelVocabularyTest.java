package dev.sentigraph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.savedmodel.SavedModelExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A SavedModel's vocabulary is the table its token input is looked up in. keras.io's Transformer
 * (scripts/make_transformer_savedmodel.py) holds a 40-row position table ahead of its 2000-row token table; the
 * other Keras fixtures keep their one embedding; sentigraph's own exports name theirs in their config; a model
 * whose table cannot be known refuses no id.
 */
class SavedModelVocabularyTest {
  private static final Path TRANSFORMER = Path.of("savedmodels/transformer/export");

  @Test
  void theTransformerScoresIdsPastItsPositionTableAsKerasDid() throws IOException {
    KerasGolden golden = KerasGolden.read("transformer");
    assertEquals(1999, Arrays.stream(golden.tokens()).max().getAsInt()); // most ids are past the 40 positions
    try (SentimentModel m = SentimentModel.load(TRANSFORMER)) {
      float[] p = m.predictTokens(golden.tokenRows());
      for (int i = 0; i < p.length; i++) {
        assertEquals(golden.probabilities()[i], p[i], 1e-5, "row " + i);
      }
    }
  }

  @Test
  void theTransformerRefusesIdsPastItsTokenTable() {
    try (SentimentModel m = SentimentModel.load(TRANSFORMER)) {
      assertArrayEquals(new long[] {2000, 16}, m.embedding().shape());
      assertEquals(2000, m.dataSettings().numWords());
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> m.predictTokens(new int[][] {{5, 1999}, {3, 2000}}));
      assertEquals("row 1 of the token ids for model " + TRANSFORMER + ": item 1 is 2000, past the model's"
          + " vocabulary: expected token ids in [0, 2000)", e.getMessage());
    }
  }

  static Stream<Arguments> otherFixtures() {
    Stream<Arguments> families = Stream.of("lstm", "gru", "simple_rnn", "cnn", "mean")
        .flatMap(f -> Stream.of("export", "keras2", "tfsave").map(style -> Arguments.of(f + "/" + style, 60)));
    return Stream.concat(families, Stream.of(Arguments.of("functional_lstm/export", 60),
        Arguments.of("functional_gru/export", 60), Arguments.of("varlen/export", 30)));
  }

  @ParameterizedTest
  @MethodSource("otherFixtures")
  void theOtherFixturesKeepTheirEmbeddingRows(String model, int rows) {
    Path path = Path.of("savedmodels", model);
    try (SentimentModel m = SentimentModel.load(path, LoadOptions.defaults().withKerasGraph(true))) {
      assertEquals(rows, m.embedding().shape()[0]);
      assertEquals(rows, m.dataSettings().numWords());
      var e = assertThrows(InvalidInputException.class, () -> m.predictTokens(new int[][] {{1, rows}}));
      assertEquals("row 0 of the token ids for model " + path + ": item 1 is " + rows + ", past the model's"
          + " vocabulary: expected token ids in [0, " + rows + ")", e.getMessage());
    }
  }

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
      assertTrue(e.getMessage().endsWith(": expected token ids in [0, 60)"), e.getMessage());
    }
  }

  /** Ids that reach no lookup (they are averaged): no vocabulary is known, so no id is refused on its account. */
  @Test
  void aModelWithoutALookupRefusesNoId(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("mean-of-ids");
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TInt32> ids = tf.withName("ids").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, 4)));
      Variable<TFloat32> scale = tf.withName("scale").variable(Shape.of(1, 1), TFloat32.class);
      s.run(tf.assign(scale, tf.constant(new float[][] {{1e-6f}})));
      var mean = tf.math.mean(tf.dtypes.cast(ids, TFloat32.class), tf.constant(1), Mean.keepDims(true));
      var probability = tf.math.sigmoid(tf.linalg.matMul(mean, scale));
      SavedModelBundle.exporter(model.toString()).withTags("serve").withSession(s)
          .withSignature(Signature.builder().key("serving_default").input("ids", ids).output("probability", probability)
              .build()).export();
    }
    try (SentimentModel m = SentimentModel.load(model)) {
      assertNull(m.embedding());
      float[] p = m.predictTokens(new int[][] {{1, 2, 3, 4}, {5, 123_456, 70_000, 2_000_000}});
      assertEquals(2, p.length);
      assertEquals(1 / (1 + Math.exp(-1e-6 * (5 + 123_456 + 70_000 + 2_000_000) / 4.0)), p[1], 1e-6);
    }
  }
}
