package dev.sentigraph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.LoadOptions;
import dev.sentigraph.Prediction;
import dev.sentigraph.SentimentModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The transformer on a real local[2] Spark: every row back once, bad rows flagged, scores equal the library's. */
class SentimentScorerTest {
  private static final Path MODEL = Path.of(System.getProperty("sentigraph.savedmodels", "../../savedmodels"), "lstm", "export");
  static final Path WORD_INDEX = Path.of(System.getenv("SENTIGRAPH_DATA") != null ? System.getenv("SENTIGRAPH_DATA")
      : System.getProperty("sentigraph.data", "../../../shared/data/imdb"), "imdb_word_index.json");
  private static final List<String> REVIEWS = List.of(
      "this movie was wonderful, the acting was great and i loved it",
      "a terrible film. boring, too long and the plot made no sense",
      "the", "it was ok i guess, not the best not the worst",
      "one of the best films i have seen in years, a classic",
      "awful awful awful", "i did not like it at all, bad story and bad acting",
      "great fun for the whole family", "an unknownword zzzqqq appears here");

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(Files.isRegularFile(WORD_INDEX), "IMDB word index absent: " + WORD_INDEX);
    spark = SparkSession.builder().master("local[2]").appName("SentimentScorerTest")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static SentimentScorer scorer() {
    return new SentimentScorer(MODEL.toString()).setWordIndex(WORD_INDEX.toString()).setBatchSize(4);
  }

  @Test
  void everyRowComesBackOnceWithTheLibrarysScoreOrItsError() {
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("review", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < REVIEWS.size(); i++) {
      rows.add(RowFactory.create(i, REVIEWS.get(i)));
    }
    rows.add(RowFactory.create(100, null));
    rows.add(RowFactory.create(101, ""));
    rows.add(RowFactory.create(102, "  \n\t "));
    rows.add(RowFactory.create(103, "bytes that were not utf-8 \uFFFD here"));
    // Five partitions over two task threads: several tasks share the one model of this JVM.
    Dataset<Row> input = spark.createDataFrame(rows, schema).repartition(5);

    int loadsBefore = ExecutorModels.loads();
    List<Row> out = scorer().setInputCol("review").transform(input).collectAsList();

    assertEquals(rows.size(), out.size());
    Map<Integer, Row> byId = new HashMap<>();
    for (Row r : out) {
      assertNull(byId.put(r.getInt(0), r), "row " + r.getInt(0) + " came back twice");
    }
    List<Prediction> expected;
    try (SentimentModel model = SentimentModel.load(MODEL, LoadOptions.defaults().withWordIndex(WORD_INDEX))) {
      expected = model.predict(REVIEWS);
    }
    for (int i = 0; i < REVIEWS.size(); i++) {
      Row r = byId.get(i);
      assertEquals(REVIEWS.get(i), r.getString(1));
      assertEquals(expected.get(i).probability(), r.getDouble(2), 1e-6, "review " + i);
      assertEquals(expected.get(i).label(), r.getInt(3));
      assertTrue(r.isNullAt(r.fieldIndex("error")), "review " + i + " error: " + r.get(r.fieldIndex("error")));
    }
    assertEquals(RowText.NULL, byId.get(100).getAs("error"));
    assertEquals(RowText.EMPTY, byId.get(101).getAs("error"));
    assertEquals(RowText.EMPTY, byId.get(102).getAs("error"));
    assertEquals(RowText.UNDECODABLE, byId.get(103).getAs("error"));
    for (int id = 100; id <= 103; id++) {
      assertTrue(byId.get(id).isNullAt(2) && byId.get(id).isNullAt(3), "bad row " + id + " has a score");
    }
    assertNotEquals(expected.get(0).probability(), expected.get(1).probability(), "the reviews must score apart");
    assertTrue(ExecutorModels.loads() - loadsBefore <= 1, "five tasks, at most one load: the JVM's model is shared");
  }

  @Test
  void binaryTextIsDecodedAsStrictUtf8() {
    StructType schema = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.BinaryType);
    byte[] notUtf8 = {'g', 'o', 'o', 'd', ' ', (byte) 0xC3, (byte) 0x28, ' ', 'f', 'i', 'l', 'm'};
    List<Row> rows = List.of(
        RowFactory.create("ok.txt", REVIEWS.get(0).getBytes(StandardCharsets.UTF_8)),
        RowFactory.create("latin1.txt", notUtf8),
        RowFactory.create("empty.txt", new byte[0]));

    List<Row> out = scorer().transform(spark.createDataFrame(rows, schema)).collectAsList();

    Map<String, Row> byId = new HashMap<>();
    out.forEach(r -> byId.put(r.getString(0), r));
    assertEquals(3, out.size());
    double expected;
    try (SentimentModel model = SentimentModel.load(MODEL, LoadOptions.defaults().withWordIndex(WORD_INDEX))) {
      expected = model.predict(List.of(REVIEWS.get(0))).get(0).probability();
    }
    assertEquals(expected, byId.get("ok.txt").getDouble(2), 1e-6);
    assertEquals(RowText.UNDECODABLE, byId.get("latin1.txt").getAs("error"));
    assertEquals(RowText.EMPTY, byId.get("empty.txt").getAs("error"));
  }

  @Test
  void schemaProblemsAreNamed() {
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("body", DataTypes.StringType);
    InvalidInputException missing = assertThrows(InvalidInputException.class, () -> scorer().transformSchema(schema));
    assertEquals("no column 'text' to score: the columns are [id, body] (set the text column with setInputCol)",
        missing.getMessage());
    InvalidInputException wrongType = assertThrows(InvalidInputException.class,
        () -> scorer().setInputCol("id").transformSchema(schema));
    assertEquals("column 'id' is int: expected string or binary (UTF-8) text", wrongType.getMessage());
    StructType out = scorer().setInputCol("body").transformSchema(schema);
    assertEquals(List.of("id", "body", "probability", "label", "probabilities", "error"),
        Arrays.asList(out.fieldNames()));
    assertEquals(List.of("id", "body", "probability", "label", "probabilities", "class", "outputs", "error"),
        Arrays.asList(scorer().setInputCol("body").setClassNames("neg", "pos").setAllOutputs(true)
            .transformSchema(schema).fieldNames()));
    assertEquals(DataTypes.DoubleType, out.apply("probability").dataType());
    assertEquals(DataTypes.IntegerType, out.apply("label").dataType());
  }

  /** REVIEWS as columns id (their index) and text. */
  private static Dataset<Row> reviews() {
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < REVIEWS.size(); i++) {
      rows.add(RowFactory.create(i, REVIEWS.get(i)));
    }
    return spark.createDataFrame(rows, schema);
  }

  /**
   * A model with two named heads: the chosen one gives probability, label and class, every output's values come
   * by name, each as the library gives them.
   */
  @Test
  void everyOutputOfATwoHeadModelComesByName() {
    Path model = MODEL.getParent().getParent().resolve("multi_output").resolve("model.keras");
    List<Row> out = new SentimentScorer(model.toString()).setWordIndex(WORD_INDEX.toString()).setBatchSize(4)
        .setOutputName("stars").setClassNames("negative", "neutral", "positive").setAllOutputs(true)
        .transform(reviews().repartition(3)).orderBy("id").collectAsList();
    LoadOptions options = LoadOptions.defaults().withWordIndex(WORD_INDEX).withOutputName("stars")
        .withClassNames(List.of("negative", "neutral", "positive"));
    try (SentimentModel m = SentimentModel.load(model, options)) {
      dev.sentigraph.Predictions expected = m.predict(REVIEWS);
      dev.sentigraph.Predictions positive = expected.output("positive");
      assertEquals(REVIEWS.size(), out.size());
      for (int i = 0; i < REVIEWS.size(); i++) {
        Row r = out.get(i);
        Prediction p = expected.get(i);
        assertEquals(p.probability(), r.getDouble(r.fieldIndex("probability")), 1e-6, "row " + i);
        assertEquals(p.label(), r.getInt(r.fieldIndex("label")), "row " + i);
        assertEquals(p.className(), r.getString(r.fieldIndex("class")), "row " + i);
        List<Double> classes = r.getList(r.fieldIndex("probabilities"));
        for (int k = 0; k < 3; k++) {
          assertEquals(p.classProbabilities()[k], classes.get(k), 1e-6, "row " + i + " class " + k);
        }
        Map<String, scala.collection.Seq<Float>> byName = r.getJavaMap(r.fieldIndex("outputs"));
        assertEquals(List.of("positive", "stars"), List.copyOf(byName.keySet()));
        assertEquals(positive.values(i)[0], byName.get("positive").apply(0), 1e-6, "row " + i);
        assertEquals((float) p.classProbabilities()[2], byName.get("stars").apply(2), 1e-6, "row " + i);
      }
    }
  }

  /**
   * Deep Learning with Python's model (Dense on a word-presence vector), told so with setFeatures as predict and
   * serve are with --features: the executors build the vector from the encoded texts, as the library does.
   */
  @Test
  void aWordPresenceModelScoresWhenToldItsFeatures() {
    Path model = MODEL.getParent().getParent().resolve("word_presence").resolve("model.keras");
    List<Row> out = new SentimentScorer(model.toString()).setWordIndex(WORD_INDEX.toString()).setBatchSize(4)
        .setFeatures("multi_hot").transform(reviews()).orderBy("id").collectAsList();
    try (SentimentModel m = SentimentModel.load(model, LoadOptions.defaults().withWordIndex(WORD_INDEX)
        .withFeatures(dev.sentigraph.data.OutputMode.MULTI_HOT))) {
      dev.sentigraph.Predictions expected = m.predict(REVIEWS);
      for (int i = 0; i < REVIEWS.size(); i++) {
        assertNull(out.get(i).getAs("error"), "row " + i);
        assertEquals(expected.get(i).probability(), out.get(i).<Double>getAs("probability"), 1e-6, "row " + i);
      }
      assertNotEquals(expected.get(0).probability(), expected.get(1).probability(), "the reviews must score apart");
    }
  }

  @Test
  void copyKeepsTheSettings() {
    SentimentScorer s = scorer().setInputCol("body");
    SentimentScorer c = s.copy(new org.apache.spark.ml.param.ParamMap());
    assertEquals(s.uid(), c.uid());
    assertEquals(MODEL.toString(), c.getModelPath());
    assertEquals("body", c.getInputCol());
    assertEquals(4, c.getBatchSize());
  }
}
