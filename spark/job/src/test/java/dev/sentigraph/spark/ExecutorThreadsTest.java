package dev.sentigraph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentigraph.config.ExecutionOptions;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class ExecutorThreadsTest {
  private static SparkConf conf(String master) {
    return new SparkConf(false).setMaster(master);
  }

  @Test
  void coresComeFromTheConfThenTheLocalClusterMaster() {
    assertEquals(3, ExecutorThreads.executorCores(conf("local-cluster[2, 3, 2048]")));
    assertEquals(4, ExecutorThreads.executorCores(conf("local-cluster[2,1,2048]").set("spark.executor.cores", "4")));
    assertEquals(null, ExecutorThreads.executorCores(conf("spark://h:7077")));
    assertEquals(null, ExecutorThreads.executorCores(conf("local[4]")));
  }

  @Test
  void executorsLoadWithOneKernelThreadAndOneStepThreadPerCore() {
    ExecutionOptions two = new ScoringConfig("m", null, 64, 2).loadOptions(null).execution();
    assertEquals(1, two.intraOpThreads());
    assertEquals(2, two.interOpThreads());
    assertEquals(ExecutionOptions.DEFAULT, new ScoringConfig("m", null, 64, null).loadOptions(null).execution());
    SentimentScorer scorer = new SentimentScorer("m");
    assertEquals(null, scorer.config().executorThreads());
    assertEquals(3, scorer.setExecutorThreads(3).config().executorThreads());
  }
}
