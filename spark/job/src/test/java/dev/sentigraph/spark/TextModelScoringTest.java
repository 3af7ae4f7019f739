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
 * signature takes strings) score on Spark without a word index, as the library scores them: Keras' answers.
 */
class TextModelScoringTest {
  private static final Path TEXT = Path.of(System.getProperty("sentigraph.savedmodels", "../../savedmodels"), "text");
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

  @ParameterizedTest
  @ValueSource(strings = {"model.keras", "export"})
  void textModelsScoreWithoutAWordIndex(String model) throws Exception {
    JsonObject golden = JsonParser.parseString(Files.readString(TEXT.resolve("golden.json"))).getAsJsonObject();
    JsonArray texts = golden.getAsJsonArray("texts");
    JsonArray probabilities = golden.getAsJsonArray("probabilities");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      if (!texts.get(i).getAsString().isBlank()) { // a blank review is flagged, not scored
        rows.add(RowFactory.create(i, texts.get(i).getAsString()));
      }
    }
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
    List<Row> out = new SentimentScorer(TEXT.resolve(model).toString()).setBatchSize(2)
        .transform(spark.createDataFrame(rows, schema).repartition(2)).collectAsList();
    assertEquals(rows.size(), out.size());
    for (Row r : out) {
      assertTrue(r.isNullAt(4), "review " + r.getInt(0) + ": " + r.get(4));
      assertEquals(probabilities.get(r.getInt(0)).getAsDouble(), r.getDouble(2), 1e-5, "review " + r.getInt(0));
    }
  }
}
