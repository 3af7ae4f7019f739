package dev.sentigraph.spark;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.train.TrainingGraph;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The training graphs of this executor JVM, kept between averaging rounds: building one (graph, session, first
 * step) costs far more than a round's few steps. A task borrows a graph of its run and gives it back; an executor
 * running C tasks at once holds up to C graphs, since a graph trains one batch stream at a time. Every round
 * overwrites a borrowed graph's state with the broadcast average, so which graph a task gets does not matter.
 */
final class ExecutorGraphs {
  private static final System.Logger LOG = System.getLogger(ExecutorGraphs.class.getName());
  private static final Map<String, Queue<TrainingGraph>> IDLE = new ConcurrentHashMap<>();

  private ExecutorGraphs() {}

  static TrainingGraph borrow(WorkerSpec spec) {
    TrainingGraph g = IDLE.computeIfAbsent(spec.run(), k -> new ConcurrentLinkedQueue<>()).poll();
    if (g != null) {
      return g;
    }
    long start = System.nanoTime();
    ExecutionOptions options = spec.executorThreads() == null ? ExecutionOptions.DEFAULT
        : ExecutorThreads.execution(spec.executorThreads());
    TrainingGraph built = new TrainingGraph(SequentialModel.of(spec.model()), spec.train(), options);
    LOG.log(System.Logger.Level.INFO, "sentigraph: built the training graph of run " + spec.run() + " in JVM "
        + ProcessHandle.current().pid() + " (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
    return built;
  }

  static void giveBack(WorkerSpec spec, TrainingGraph graph) {
    IDLE.computeIfAbsent(spec.run(), k -> new ConcurrentLinkedQueue<>()).add(graph);
  }

  /** Closes this JVM's graphs of {@code run} (when the run ends; executors that outlive it free the memory). */
  static int release(String run) {
    Queue<TrainingGraph> q = IDLE.remove(run);
    int n = 0;
    if (q != null) {
      for (TrainingGraph g; (g = q.poll()) != null; n++) {
        g.close();
      }
    }
    return n;
  }
}
