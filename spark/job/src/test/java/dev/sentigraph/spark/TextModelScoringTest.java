package dev.sentigraph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models that tokenise for themselves (a {@code .keras} file with Keras' TextVectorization, a SavedModel whose
 * signature takes strings) score on Spark without a word index, as the library scores them: Keras' answers. A
 * per-word TextVectorization's vector is built in sentigraph's graph on the executors too.
 */
class TextModelScoringTest {
  private static final Path SAVEDMODELS = Path.of(System.getProperty("sentigraph.savedmodels", "../../savedmodels"));
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("TextModelScoringTest")
        .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The end-to-end text model, and TextVectorization multi_hot / count / tf_idf models (Dense on word values). */
  @ParameterizedTest
  @ValueSource(strings = {"text/model.keras", "text/export", "word_presence/multi_hot/model.keras",
      "word_presence/multi_hot/export", "word_presence/count/model.keras", "word_presence/tf_idf/model.keras",
      "word_presence/tf_idf/export"})
  void textModelsScoreWithoutAWordIndex(String model) throws Exception {
    Path path = SAVEDMODELS.resolve(model);
    JsonObject golden = JsonParser.parseString(Files.readString(path.getParent().resolve("golden.json")))
        .getAsJsonObject();
    JsonArray texts = golden.getAsJsonArray("texts");
    JsonArray probabilities = golden.getAsJsonArray("probabilities");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      if (!texts.get(i).getAsString().isBlank()) { // a blank review is flagged, not scored
        rows.add(RowFactory.create(i, texts.get(i).getAsString()));
      }
    }
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
    List<Row> out = new SentimentScorer(path.toString()).setBatchSize(2)
        .transform(spark.createDataFrame(rows, schema).repartition(2)).collectAsList();
    assertEquals(rows.size(), out.size());
    for (Row r : out) {
      assertTrue(r.isNullAt(r.fieldIndex("error")), "review " + r.getInt(0) + ": " + r.getAs("error"));
      assertEquals(probabilities.get(r.getInt(0)).getAsDouble(), r.<Double>getAs("probability"), 1e-5,
          "review " + r.getInt(0));
    }
  }
}
