package dev.sentigraph.savedmodel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * One body of ops of a SavedModel: its top-level graph, or one function of its library, whose nodes may also
 * read the function's arguments and whose outputs are its return values. Indexed by who reads whom, so a walk
 * can go forward from a tensor to the nodes that use it.
 */
final class GraphBody {
  /** A node reading a tensor, as its {@code position}-th data input. */
  record Use(NodeDef node, int position) {}

  /**
   * A tensor as a node input names it: {@code node} or {@code node:i} at top level, {@code arg} or
   * {@code node:outputArg:i} in a function. Only a call's outputs need telling apart, and a call's one output
   * list makes {@code i} its output index.
   */
  record TensorRef(String node, int output) {
    static TensorRef parse(String input) {
      String[] parts = input.split(":");
      String index = parts.length == 1 ? "0" : parts[parts.length - 1];
      // a malformed index (the graph is the user's file) names no output rather than failing the load
      return new TensorRef(parts[0], index.matches("\\d{1,9}") ? Integer.parseInt(index) : -1);
    }
  }

  private final boolean topLevel;
  private final Map<String, NodeDef> nodes = new HashMap<>();
  private final Map<String, Integer> args = new HashMap<>();
  private final List<String> returns = new ArrayList<>();
  private final Map<String, List<Use>> uses = new HashMap<>();

  private GraphBody(boolean topLevel, List<NodeDef> nodeList) {
    this.topLevel = topLevel;
    for (NodeDef n : nodeList) {
      nodes.put(n.getName(), n);
      List<String> inputs = dataInputs(n);
      for (int i = 0; i < inputs.size(); i++) {
        uses.computeIfAbsent(TensorRef.parse(inputs.get(i)).node(), k -> new ArrayList<>()).add(new Use(n, i));
      }
    }
  }

  static GraphBody of(GraphDef graph) {
    return new GraphBody(true, graph.getNodeList());
  }

  static GraphBody of(FunctionDef function) {
    GraphBody body = new GraphBody(false, function.getNodeDefList());
    List<OpDef.ArgDef> in = function.getSignature().getInputArgList();
    for (int i = 0; i < in.size(); i++) {
      body.args.put(in.get(i).getName(), i);
    }
    for (OpDef.ArgDef out : function.getSignature().getOutputArgList()) {
      body.returns.add(function.getRetOrDefault(out.getName(), ""));
    }
    return body;
  }

  /** The top-level graph, where variables live; a function only receives their handles as arguments. */
  boolean topLevel() {
    return topLevel;
  }

  NodeDef node(String name) {
    return nodes.get(name);
  }

  /** The position of the function argument {@code name}, or null when it names a node. */
  Integer arg(String name) {
    return args.get(name);
  }

  /** What the body returns, output by output (empty at top level). */
  List<String> returns() {
    return returns;
  }

  /** The nodes that read any output of node (or argument) {@code name}. */
  List<Use> usesOf(String name) {
    return uses.getOrDefault(name, List.of());
  }

  /** A node's data inputs, without its {@code ^control} dependencies. */
  static List<String> dataInputs(NodeDef node) {
    return node.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
  }
}
