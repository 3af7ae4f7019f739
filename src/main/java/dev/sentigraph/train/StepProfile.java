package dev.sentigraph.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;

/**
 * Where one training step's time goes, from TF's step stats: per op type, the summed time of its kernels and how
 * many ran. Kernels of the two batch chains overlap, so the sums add up to more than the step's wall time.
 *
 * @param wallMicros from the first kernel's start to the last one's end
 * @param ops op types by summed time, largest first
 */
public record StepProfile(long wallMicros, List<OpTime> ops) {
  /** One op type's kernels in the step. */
  public record OpTime(String type, long micros, int count) {}

  /** The profile of {@code step}. */
  public static StepProfile of(TrainingGraph.TracedStep step) {
    Graph graph = step.graph();
    Map<String, long[]> byType = new HashMap<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (DeviceStepStats device : step.metadata().getStepStats().getDevStatsList()) {
      for (NodeExecStats node : device.getNodeStatsList()) {
        GraphOperation op = graph.operation(node.getNodeName());
        String type = op != null ? op.type() : "(" + node.getNodeName() + ")";
        long[] acc = byType.computeIfAbsent(type, t -> new long[2]);
        acc[0] += node.getAllEndRelMicros();
        acc[1]++;
        first = Math.min(first, node.getAllStartMicros());
        last = Math.max(last, node.getAllStartMicros() + node.getAllEndRelMicros());
      }
    }
    List<OpTime> ops = new ArrayList<>();
    byType.forEach((type, acc) -> ops.add(new OpTime(type, acc[0], (int) acc[1])));
    ops.sort(Comparator.comparingLong(OpTime::micros).reversed());
    return new StepProfile(last - first, ops);
  }

  /** Summed kernel time of every op. */
  public long kernelMicros() {
    return ops.stream().mapToLong(OpTime::micros).sum();
  }
}
