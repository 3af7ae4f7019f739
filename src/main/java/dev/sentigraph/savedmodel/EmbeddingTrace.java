package dev.sentigraph.savedmodel;

import dev.sentigraph.savedmodel.GraphBody.TensorRef;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The variable a signature's token input is looked up in. Walks forward from the input tensor through every op
 * that carries its values (Cast, Identity, Keras' negative-id fix-up, ...) and into the library functions that
 * {@code StatefulPartitionedCall} / {@code PartitionedCall} nodes call, to the gathers whose indices hold those
 * values; each gather's table is followed back through reads, Identity and function arguments to the handle the
 * top-level graph passes in. A lookup ends the walk on its path, so what comes after the embedding adds nothing,
 * and a table looked up by other indices (keras.io's position embedding, by a range) is not taken. The answer is
 * the one variable the lookups read; none when no lookup is reached, several tables are, or one is not a variable.
 */
final class EmbeddingTrace {
  private static final Set<String> GATHERS = Set.of("GatherV2", "Gather", "ResourceGather");
  private static final Set<String> CALLS = Set.of("StatefulPartitionedCall", "PartitionedCall");
  /** Ops that read a tensor's shape, not its values: a range built from Shape(ids) holds no ids. */
  private static final Set<String> SHAPE_ONLY = Set.of("Shape", "ShapeN", "Size", "Rank");
  /** Marks every output of a node as carrying ids. */
  private static final int ALL = -1;
  private static final Reach UNKNOWN = new Reach(Set.of(), Set.of(), true);

  /** Where a lookup's table comes from: a variable of the top-level graph, or an argument of a function. */
  private sealed interface Table {}

  private record Variable(String name) implements Table {}

  private record Argument(int position) implements Table {}

  /** What a body does with ids in some inputs: the outputs that carry them on, the tables they are looked up in. */
  private record Reach(Set<Integer> outputs, Set<Table> tables, boolean unknownTable) {}

  private final Map<String, FunctionDef> library = new HashMap<>();
  private final Map<String, Reach> walked = new HashMap<>();
  /** Calls being walked: a function that (in a malformed graph) calls itself ends as unknown, not in a loop. */
  private final Set<String> underway = new HashSet<>();

  private EmbeddingTrace(GraphDef graph) {
    graph.getLibrary().getFunctionList().forEach(f -> library.put(f.getSignature().getName(), f));
  }

  /** The top-level variable op that {@code inputTensor} ({@code node:index}) is looked up in, if one is known. */
  static Optional<String> variableOf(GraphDef graph, String inputTensor) {
    TensorRef input = TensorRef.parse(inputTensor);
    Reach r = new EmbeddingTrace(graph).new Walk(GraphBody.of(graph)).run(Map.of(input.node(), input.output()));
    if (r.unknownTable() || r.tables().size() != 1) {
      return Optional.empty();
    }
    return Optional.of(((Variable) r.tables().iterator().next()).name()); // the top level has no arguments
  }

  private Reach call(String function, Set<Integer> positions) {
    String key = function + positions;
    Reach done = walked.get(key);
    if (done != null) {
      return done;
    }
    FunctionDef f = library.get(function);
    if (f == null || !underway.add(key)) {
      return UNKNOWN;
    }
    Map<String, Integer> seeds = new HashMap<>();
    positions.stream().filter(p -> p < f.getSignature().getInputArgCount())
        .forEach(p -> seeds.put(f.getSignature().getInputArg(p).getName(), ALL));
    Reach r = new Walk(GraphBody.of(f)).run(seeds);
    underway.remove(key);
    walked.put(key, r);
    return r;
  }

  /** One body's walk: which node outputs carry ids, and the tables they met. */
  private final class Walk {
    private final GraphBody body;
    private final Map<String, Set<Integer>> carrying = new HashMap<>();
    private final Deque<String> work = new ArrayDeque<>();
    private final Set<Table> tables = new HashSet<>();
    private boolean unknownTable;

    Walk(GraphBody body) {
      this.body = body;
    }

    /** {@code seeds}: node (or argument) name to the output that holds the ids. */
    Reach run(Map<String, Integer> seeds) {
      seeds.forEach((node, output) -> carry(node, Set.of(output)));
      while (!work.isEmpty()) {
        for (GraphBody.Use use : body.usesOf(work.pop())) {
          if (carries(GraphBody.dataInputs(use.node()).get(use.position()))) {
            visit(use.node(), use.position());
          }
        }
      }
      Set<Integer> outputs = new TreeSet<>();
      for (int i = 0; i < body.returns().size(); i++) {
        if (carries(body.returns().get(i))) {
          outputs.add(i);
        }
      }
      return new Reach(outputs, tables, unknownTable);
    }

    private void visit(NodeDef node, int position) {
      if (SHAPE_ONLY.contains(node.getOp())) {
        return;
      }
      if (GATHERS.contains(node.getOp()) && position == 1) {
        met(tableOf(GraphBody.dataInputs(node).get(0)));
      } else if (CALLS.contains(node.getOp())) {
        enter(node);
      } else {
        carry(node.getName(), Set.of(ALL));
      }
    }

    /** A call: its function is walked with the arguments that carry ids; its tables are the caller's inputs. */
    private void enter(NodeDef node) {
      List<String> inputs = GraphBody.dataInputs(node);
      Set<Integer> positions = new TreeSet<>();
      for (int i = 0; i < inputs.size(); i++) {
        if (carries(inputs.get(i))) {
          positions.add(i);
        }
      }
      Reach r = call(node.getAttrOrDefault("f", AttrValue.getDefaultInstance()).getFunc().getName(), positions);
      unknownTable |= r.unknownTable();
      for (Table t : r.tables()) {
        int position = ((Argument) t).position(); // a function holds no variables, only their handles
        met(position < inputs.size() ? tableOf(inputs.get(position)) : null);
      }
      carry(node.getName(), r.outputs());
    }

    private void met(Table table) {
      if (table == null) {
        unknownTable = true;
      } else {
        tables.add(table);
      }
    }

    /** Back from a gather's params to a variable handle or a function argument; null for anything computed. */
    private Table tableOf(String input) {
      Set<String> seen = new HashSet<>(); // an Identity cycle (a malformed graph) ends here
      for (TensorRef ref = TensorRef.parse(input); seen.add(ref.node()); ) {
        Integer arg = body.arg(ref.node());
        if (arg != null) {
          return new Argument(arg);
        }
        NodeDef n = body.node(ref.node());
        if (n == null) {
          return null;
        }
        switch (n.getOp()) {
          case "VarHandleOp", "VariableV2" -> {
            return body.topLevel() ? new Variable(n.getName()) : null;
          }
          case "ReadVariableOp", "Identity" -> {
            List<String> in = GraphBody.dataInputs(n);
            if (in.isEmpty()) {
              return null;
            }
            ref = TensorRef.parse(in.get(0));
          }
          default -> {
            return null;
          }
        }
      }
      return null;
    }

    private void carry(String node, Set<Integer> outputs) {
      if (carrying.computeIfAbsent(node, k -> new HashSet<>()).addAll(outputs)) {
        work.push(node);
      }
    }

    private boolean carries(String input) {
      TensorRef ref = TensorRef.parse(input);
      Set<Integer> outputs = carrying.get(ref.node());
      return outputs != null && (outputs.contains(ALL) || outputs.contains(ref.output()));
    }
  }
}
