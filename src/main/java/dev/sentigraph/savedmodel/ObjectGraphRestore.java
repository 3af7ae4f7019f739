package dev.sentigraph.savedmodel;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.error.InputException;
import dev.sentigraph.runtime.SessionSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObject;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObjectGraph;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Restores the variables of a Keras 3 {@code tf.saved_model.save} SavedModel, which TF Java's loader leaves
 * empty: the signature's function captures resource handles that only Python's object-graph restore fills
 * (the restore op the loader runs fills other handles). Each captured variable is paired with its checkpoint
 * key through the SavedObjectGraph and the checkpoint's own object graph, then read and assigned once.
 */
final class ObjectGraphRestore {
  // TF Java maps TF's INVALID_ARGUMENT to IllegalArgumentException and UNIMPLEMENTED to
  // UnsupportedOperationException, outside TensorFlowException: a damaged model raises any of the three
  private ObjectGraphRestore() {}

  /** Restores the captured variables of {@code signatureKey}'s function if the loader left them empty. */
  static void restoreIfNeeded(SavedModelBundle bundle, Path dir, String signatureKey, String probeInput,
      String output, org.tensorflow.Tensor probe) {
    try (Result r = bundle.session().runner().feed(probeInput, probe).fetch(output).run()) {
      return; // the variables are there: a model.export() or Keras 2 model
    } catch (TensorFlowException | IllegalArgumentException | UnsupportedOperationException e) {
      String m = e.getMessage() == null ? "" : e.getMessage();
      if (!m.contains("Could not find variable") && !m.contains("uninitialized") && !m.contains("not initialized")) {
        throw new InputException("SavedModel " + dir + " fails on a first call: "
            + SavedModelPredictor.firstLine(m));
      }
    }
    restore(bundle, dir, signatureKey);
  }

  private static void restore(SavedModelBundle bundle, Path dir, String signatureKey) {
    MetaGraphDef mg = bundle.metaGraphDef();
    SavedObjectGraph objects = mg.getObjectGraphDef();
    String outputTensor = mg.getSignatureDefMap().get(signatureKey).getOutputsMap().values().iterator().next().getName();
    String callName = outputTensor.split(":")[0];
    NodeDef call = bundle.graph().toGraphDef().getNodeList().stream().filter(n -> n.getName().equals(callName))
        .findFirst().orElseThrow(() -> cannot(dir, "its signature's output op " + callName + " is missing"));
    if (!call.getAttrMap().containsKey("f")) {
      throw cannot(dir, "its output op " + callName + " (" + call.getOp() + ") calls no function");
    }
    String function = call.getAttrMap().get("f").getFunc().getName();
    var concrete = objects.getConcreteFunctionsMap().get(function);
    if (concrete == null) {
      throw cannot(dir, "function " + function + " is not in its object graph");
    }
    List<Integer> bound = concrete.getBoundInputsList();
    List<String> dataInputs = call.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
    List<String> captured = dataInputs.subList(dataInputs.size() - bound.size(), dataInputs.size());
    TrackableObjectGraph checkpointGraph = checkpointObjectGraph(dir);

    List<String> keys = new ArrayList<>();
    List<Class<? extends TType>> dtypes = new ArrayList<>();
    List<GraphOperation> handles = new ArrayList<>();
    for (int i = 0; i < bound.size(); i++) {
      SavedObject node = objects.getNodes(bound.get(i));
      if (!node.hasVariable()) {
        continue; // a captured constant or table: it travels in the graph itself
      }
      String key = checkpointGraph.getNodes(bound.get(i)).getAttributesList().stream()
          .filter(a -> a.getName().equals("VARIABLE_VALUE")).map(a -> a.getCheckpointKey()).findFirst()
          .orElseThrow(() -> cannot(dir, "variable node " + node.getVariable().getName() + " has no checkpoint key"));
      keys.add(key);
      dtypes.add(typeOf(dir, node.getVariable().getDtype()));
      handles.add(bundle.graph().operation(captured.get(i).split(":")[0]));
    }
    Ops tf = Ops.create(bundle.graph()).withSubScope("sentigraph_object_graph_restore");
    Restore values = tf.train.restore(tf.constant(dir.resolve("variables").resolve("variables").toString()),
        tf.constant(UTF_8, keys.toArray(String[]::new)), tf.constant(UTF_8, keys.stream().map(k -> "").toArray(String[]::new)), dtypes);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      assigns.add(tf.assignVariableOp(handles.get(i).output(0), (Operand<? extends TType>) values.tensors().get(i)));
    }
    Session.Runner runner = bundle.session().runner();
    assigns.forEach(runner::addTarget);
    try {
      runner.run();
    } catch (TensorFlowException | IllegalArgumentException | UnsupportedOperationException e) {
      throw new InputException("SavedModel " + dir + " variables could not be restored (truncated or missing"
          + " variables/ files?): " + SavedModelPredictor.firstLine(e.getMessage()));
    }
  }

  private static TrackableObjectGraph checkpointObjectGraph(Path dir) {
    try (Graph g = new Graph(); Session s = new Session(g, SessionSettings.plain(ExecutionOptions.DEFAULT))) {
      Ops tf = Ops.create(g);
      Restore r = tf.train.restore(tf.constant(dir.resolve("variables").resolve("variables").toString()),
          tf.constant(UTF_8, new String[] {"_CHECKPOINTABLE_OBJECT_GRAPH"}), tf.constant(UTF_8, new String[] {""}), List.of(TString.class));
      try (Result result = s.runner().fetch(r.tensors().get(0)).run()) {
        byte[] bytes = ((TString) result.get(0)).asBytes().getObject();
        return TrackableObjectGraph.parseFrom(bytes);
      }
    } catch (TensorFlowException | IllegalArgumentException | UnsupportedOperationException
        | InvalidProtocolBufferException e) {
      throw cannot(dir, "its checkpoint's object graph is unreadable (" + SavedModelPredictor.firstLine(e.getMessage()) + ")");
    }
  }

  private static Class<? extends TType> typeOf(Path dir, DataType t) {
    return switch (t) {
      case DT_FLOAT -> TFloat32.class;
      case DT_INT32 -> TInt32.class;
      case DT_INT64 -> TInt64.class;
      default -> throw cannot(dir, "it has a variable of dtype " + t);
    };
  }

  private static InputException cannot(Path dir, String why) {
    return new InputException("cannot restore the variables of SavedModel " + dir + ": " + why);
  }
}
