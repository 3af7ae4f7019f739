package dev.sentigraph.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.train.Preset;
import dev.sentigraph.train.Presets;
import dev.sentigraph.train.RunFolder;
import dev.sentigraph.train.RunWeights;
import dev.sentigraph.train.TrainingListener;
import dev.sentigraph.train.TrainSettings;
import dev.sentigraph.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training on {@code local-cluster[2,1,1536]}: two executor JVMs launched from the assembled Spark
 * home, as a standalone cluster launches them, talking over loopback. On a slice of IMDB (so the suite stays
 * within its time), against {@link TrainingRun} in this JVM.
 */
class SparkTrainingRunTest {
  private static final Path DATA = Path.of(System.getProperty("sentigraph.data", "../../../shared/data/imdb"));
  private static JavaSparkContext sc;

  @BeforeAll
  static void cluster() {
    assumeTrue(Files.isRegularFile(DATA.resolve("imdb.npz")), "no IMDB data at " + DATA);
    String home = System.getenv("SPARK_HOME");
    assumeTrue(home != null && Files.isDirectory(Path.of(home, "jars")), "no assembled Spark home (spark/home)");
    // the executors get this JVM's classpath (test and job classes, sentigraph, TF Java and its natives) ahead of
    // Spark's jars, as the job jar is on a real cluster
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    SparkConf conf = new SparkConf().setMaster("local-cluster[2,1,1536]").setAppName("SparkTrainingRunTest")
        .set("spark.ui.enabled", "false").set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.driver.host", "127.0.0.1").set("spark.executor.extraClassPath", classpath)
        .set("spark.executorEnv.TF_CPP_MIN_LOG_LEVEL", "2");
    sc = new JavaSparkContext(conf);
  }

  @AfterAll
  static void stop() {
    if (sc != null) {
      sc.close();
    }
  }

  private static TrainingRun.Builder meanEmbedding(Path out, int reviews, int epochs) {
    return TrainingRun.of(Presets.get("mean-embedding")).data(d -> d.withSource(DATA))
        .train(t -> t.with(null, null, null, epochs, "none", 5L)).trainLimit(reviews).out(out);
  }

  @Test
  void oneWorkerAveragingEveryStepTrainsAsOneJvmAndResumes(@TempDir Path dir) throws IOException {
    TrainingRun.Result single = meanEmbedding(dir.resolve("single"), 1200, 2).build().run();
    // on Spark: interrupted in the middle of epoch 1 (as a stop request does), then resumed from its checkpoint
    SparkTrainingRun[] first = new SparkTrainingRun[1];
    TrainingListener stopper = new TrainingListener() {
      @Override
      public void onBatchEnd(int epoch, int batch, int steps, double loss, double accuracy) {
        if (epoch == 1 && batch == 7) {
          first[0].training().interrupt();
        }
      }
    };
    SparkTrainingOptions options = new SparkTrainingOptions(1, 1, 2, 4, 1);
    first[0] = SparkTrainingRun.of(sc, meanEmbedding(dir.resolve("spark"), 1200, 2).listener(stopper), options);
    assertTrue(first[0].run().interrupted());
    RunFolder run = RunFolder.open(dir.resolve("spark"));
    assertEquals("interrupted", run.latest().dir().getFileName().toString());
    assertEquals(7, run.latest().state().batchesDone());
    assertTrue(Files.isDirectory(run.dir().resolve("checkpoints/round")), "a checkpoint after round 4");
    // the train limit is not part of the run folder: a resumed smoke run names it again, as `sentigraph train` does
    SparkTrainingRun resumed = SparkTrainingRun.of(sc, TrainingRun.resume(run.dir()).trainLimit(1200), options);
    TrainingRun.Result r = resumed.run();
    assertEquals(31, resumed.stats().rounds(), "19 batches per epoch: 12 left of the first, then 19");
    List<NamedWeight> want = RunWeights.read(single.run(), "epoch-002", ExecutionOptions.DEFAULT).weights();
    List<NamedWeight> got = RunWeights.read(r.run(), "epoch-002", ExecutionOptions.DEFAULT).weights();
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i).values(), got.get(i).values(), 1e-5f, want.get(i).path());
    }
    assertEquals(single.test().accuracy(), r.test().accuracy(), 1e-4);
    assertEquals(2, r.history().size());
  }

  @Test
  void aParquetSourceTrainsAsTheSameRowsInAJsonLinesFile(@TempDir Path dir) throws IOException {
    // reviews made of a few words, positive when "good" words outnumber "bad" ones
    String[] good = {"great", "wonderful", "loved", "best", "fun"};
    String[] bad = {"awful", "boring", "worst", "hated", "dull"};
    String[] neutral = {"the", "movie", "film", "plot", "acting", "was", "and", "a"};
    Random rng = new Random(3);
    List<Row> rows = new ArrayList<>();
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      StringBuilder text = new StringBuilder();
      int score = 0;
      for (int w = 0; w < 12; w++) {
        int k = rng.nextInt(3);
        String word = k == 0 ? good[rng.nextInt(5)] : k == 1 ? bad[rng.nextInt(5)] : neutral[rng.nextInt(8)];
        score += k == 0 ? 1 : k == 1 ? -1 : 0;
        text.append(w == 0 ? "" : " ").append(word);
      }
      int label = score > 0 ? 1 : 0;
      rows.add(RowFactory.create(text.toString(), label));
      jsonl.append("{\"text\": \"").append(text).append("\", \"label\": ").append(label).append("}\n");
    }
    Files.writeString(dir.resolve("reviews.jsonl"), jsonl);
    SparkSession spark = SparkSession.builder().config(sc.getConf()).getOrCreate();
    StructType schema = new StructType().add("text", DataTypes.StringType).add("label", DataTypes.IntegerType);
    String parquet = dir.resolve("reviews.parquet").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(parquet); // one file keeps the row order

    TrainingRun.Result single = TrainingRun.of(Presets.get("mean-embedding"))
        .data(d -> d.withSource(dir.resolve("reviews.jsonl"))).train(t -> t.with(null, null, null, 2, "none", 5L))
        .out(dir.resolve("single")).build().run();
    TrainingRun.Result r = SparkTrainingRun.of(sc, TrainingRun.of(Presets.get("mean-embedding"))
        .reviews(DataFrameReviews.read(spark, parquet, null, "text", "label"))
        .train(t -> t.with(null, null, null, 2, "none", 5L)).out(dir.resolve("spark")),
        new SparkTrainingOptions(1, 1, 2, null, 1)).run();
    assertEquals(5, r.history().get(0).steps(), "400 rows: 320 to train on, 5 batches of 64");
    List<NamedWeight> want = RunWeights.read(single.run(), null, ExecutionOptions.DEFAULT).weights();
    List<NamedWeight> got = RunWeights.read(r.run(), null, ExecutionOptions.DEFAULT).weights();
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i).values(), got.get(i).values(), 1e-5f, want.get(i).path());
    }
    assertEquals(single.test().accuracy(), r.test().accuracy(), 1e-9);
    assertEquals(80, r.test().count());
  }

  /** A Dense(3, softmax) head trains on Spark as in one JVM: sparse categorical loss, class labels 0..2. */
  @Test
  void aKClassHeadTrainsAsInOneJvm(@TempDir Path dir) throws IOException {
    String[] words = {"awful", "fine", "superb"};
    Random rng = new Random(4);
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      int label = rng.nextInt(3);
      jsonl.append("{\"text\": \"the ").append(words[label]).append(" film\", \"label\": ").append(label)
          .append("}\n");
    }
    Files.writeString(dir.resolve("classes.jsonl"), jsonl);
    ModelConfig config = ModelConfig.fromJson(com.google.gson.JsonParser.parseString("""
        {"class_name": "Sequential", "config": {"name": "three", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 6]}},
          {"class_name": "Embedding", "config": {"input_dim": 50, "output_dim": 4}},
          {"class_name": "GlobalAveragePooling1D", "config": {}},
          {"class_name": "Dense", "config": {"units": 3, "activation": "softmax"}}]}}
        """).getAsJsonObject(), "three");
    Preset three = new Preset("three", "three classes", config, DataSettings.keras(50, 6),
        new TrainSettings("adam", 0.05, 32, 2, "none", 5));
    TrainingRun.Result single = TrainingRun.of(three).data(d -> d.withSource(dir.resolve("classes.jsonl")))
        .out(dir.resolve("single")).build().run();
    TrainingRun.Result r = SparkTrainingRun.of(sc, TrainingRun.of(three)
        .data(d -> d.withSource(dir.resolve("classes.jsonl"))).out(dir.resolve("spark")),
        new SparkTrainingOptions(1, 1, 2, null, 1)).run();
    List<NamedWeight> want = RunWeights.read(single.run(), null, ExecutionOptions.DEFAULT).weights();
    List<NamedWeight> got = RunWeights.read(r.run(), null, ExecutionOptions.DEFAULT).weights();
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i).values(), got.get(i).values(), 1e-5f, want.get(i).path());
    }
    assertEquals(3, r.test().confusion().length, "a 3 x 3 confusion matrix");
    assertEquals(single.test().accuracy(), r.test().accuracy(), 1e-9);
    assertTrue(r.test().accuracy() > 0.9, "three words, three classes: " + r.test().accuracy());
  }

  @Test
  void twoWorkersReachTheAccuracyOfOneJvm(@TempDir Path dir) throws IOException {
    TrainingRun.Result single = meanEmbedding(dir.resolve("single"), 8000, 3).build().run();
    SparkTrainingRun spark = SparkTrainingRun.of(sc, meanEmbedding(dir.resolve("spark"), 8000, 3),
        new SparkTrainingOptions(2, 5, 2, null, 1));
    TrainingRun.Result r = spark.run();
    double gap = single.test().accuracy() - r.test().accuracy();
    System.err.printf("two workers: test accuracy %.4f against %.4f in one JVM; %s%n", r.test().accuracy(),
        single.test().accuracy(), spark.stats());
    assertTrue(gap < 0.01, "two workers: " + r.test().accuracy() + " against one JVM's " + single.test().accuracy());
    assertEquals(3, RunFolder.open(dir.resolve("spark")).latest().state().epoch() - 1);
  }
}
