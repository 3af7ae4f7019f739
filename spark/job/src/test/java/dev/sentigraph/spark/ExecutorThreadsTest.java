package dev.sentigraph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
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
  void executorsGetOneKernelThreadAndOneStepThreadPerCoreUnlessTheUserSaidOtherwise() {
    SparkConf c = conf("local-cluster[2,2,2048]").set("spark.executorEnv.TF_NUM_INTRAOP_THREADS", "3");
    ExecutorThreads.apply(c, null);
    assertEquals("2", c.get("spark.executorEnv.TF_NUM_INTEROP_THREADS"));
    assertEquals("3", c.get("spark.executorEnv.TF_NUM_INTRAOP_THREADS"));
    assertEquals("2", c.get("spark.executorEnv.SENTIGRAPH_INTER_OP_THREADS"));
    assertEquals("1", c.get("spark.executorEnv.SENTIGRAPH_INTRA_OP_THREADS"));
    assertEquals(Map.of(), ExecutorThreads.environment(conf("yarn"), null));
    assertEquals("5", ExecutorThreads.environment(conf("yarn"), 5).get("TF_NUM_INTEROP_THREADS"));
  }
}
