package dev.sentigraph.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sentigraph.model.ExecutionOptions;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.train.Presets;
import dev.sentigraph.train.RunFolder;
import dev.sentigraph.train.RunWeights;
import dev.sentigraph.train.TrainingListener;
import dev.sentigraph.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
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
