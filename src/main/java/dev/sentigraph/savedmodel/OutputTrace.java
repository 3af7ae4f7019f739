package dev.sentigraph.savedmodel;

import dev.sentigraph.savedmodel.GraphBody.TensorRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The op that computes a signature's output, followed back through identities and into the function library
 * (Keras' exports compute everything inside {@code StatefulPartitionedCall}s): a {@code Sigmoid} or {@code Softmax}
 * there says the output is probabilities, anything else that it is logits.
 */
final class OutputTrace {
  private static final Set<String> PASS_THROUGH = Set.of("Identity", "IdentityN", "StopGradient");
  private static final Set<String> CALLS = Set.of("StatefulPartitionedCall", "PartitionedCall");
  /** Far more hops than any exporter's chain of identities and calls; a cycle in a hostile file stops here. */
  private static final int MAX_STEPS = 256;

  private OutputTrace() {}

  /** The type of the op computing {@code outputTensor} ({@code node:i}), or empty when the walk loses it. */
  static Optional<String> opOf(GraphDef graph, String outputTensor) {
    Map<String, FunctionDef> library = new HashMap<>();
    graph.getLibrary().getFunctionList().forEach(f -> library.put(f.getSignature().getName(), f));
    GraphBody body = GraphBody.of(graph);
    TensorRef at = TensorRef.parse(outputTensor);
    for (int step = 0; step < MAX_STEPS; step++) {
      NodeDef node = body.node(at.node());
      if (node == null || at.output() < 0) {
        return Optional.empty(); // a function argument, or a name the file does not define
      }
      List<String> inputs = GraphBody.dataInputs(node);
      if (PASS_THROUGH.contains(node.getOp())) {
        int which = node.getOp().equals("IdentityN") ? at.output() : 0;
        if (which >= inputs.size()) {
          return Optional.empty();
        }
        at = TensorRef.parse(inputs.get(which));
      } else if (CALLS.contains(node.getOp())) {
        FunctionDef f = library.get(node.getAttrOrDefault("f", AttrValue.getDefaultInstance()).getFunc().getName());
        if (f == null) {
          return Optional.empty();
        }
        body = GraphBody.of(f);
        if (at.output() >= body.returns().size()) {
          return Optional.empty();
        }
        at = TensorRef.parse(body.returns().get(at.output()));
      } else {
        return Optional.of(node.getOp());
      }
    }
    return Optional.empty();
  }
}
