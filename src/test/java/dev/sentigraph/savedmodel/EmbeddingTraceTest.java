package dev.sentigraph.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/** Hand-made graphs in the shapes Keras writes: which table the ids reach, and when none can be named. */
class EmbeddingTraceTest {
  private static NodeDef node(String name, String op, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs)).build();
  }

  private static NodeDef call(String name, String function, String... inputs) {
    return node(name, "StatefulPartitionedCall", inputs).toBuilder()
        .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(function)).build()).build();
  }

  private static FunctionDef function(String name, String[] args, String[] returns, NodeDef... nodes) {
    OpDef.Builder signature = OpDef.newBuilder().setName(name);
    for (String a : args) {
      signature.addInputArg(OpDef.ArgDef.newBuilder().setName(a));
    }
    FunctionDef.Builder f = FunctionDef.newBuilder().addAllNodeDef(List.of(nodes));
    for (int i = 0; i < returns.length; i++) {
      signature.addOutputArg(OpDef.ArgDef.newBuilder().setName("out_" + i));
      f.putRet("out_" + i, returns[i]);
    }
    return f.setSignature(signature).build();
  }

  private static Optional<String> trace(FunctionDef[] library, NodeDef... top) {
    GraphDef g = GraphDef.newBuilder().addAllNode(List.of(top))
        .setLibrary(FunctionDefLibrary.newBuilder().addAllFunction(List.of(library))).build();
    return EmbeddingTrace.variableOf(g, "ids:0");
  }

  /** keras.io's TokenAndPositionEmbedding: positions are a range over the ids' shape, tokens the cast ids. */
  private static FunctionDef tokenAndPosition(String name) {
    return function(name, new String[] {"x", "position_table", "token_table"}, new String[] {"sum:z:0"},
        node("cast", "Cast", "x"),
        node("shape", "Shape", "x"),
        node("positions", "Range", "zero:output:0", "shape:output:0", "one:output:0"),
        node("read_positions", "ReadVariableOp", "position_table", "^cast"),
        node("lookup_positions", "GatherV2", "read_positions:value:0", "positions:output:0", "axis:output:0"),
        node("negative", "Less", "cast:y:0", "zero:output:0"),
        node("fixed", "SelectV2", "negative:z:0", "cast:y:0", "cast:y:0"),
        node("read_tokens", "ReadVariableOp", "token_table"),
        node("lookup_tokens", "GatherV2", "read_tokens:value:0", "fixed:output:0", "axis:output:0"),
        node("sum", "AddV2", "lookup_tokens:output:0", "lookup_positions:output:0"));
  }

  @Test
  void followsTheIdsThroughTwoCallsToTheTokenTableNotThePositionTable() {
    FunctionDef inner = tokenAndPosition("inner");
    FunctionDef wrapper = function("wrapper", new String[] {"x", "a", "b"}, new String[] {"call:output:0"},
        call("call", "inner", "x", "a", "b"));
    assertEquals(Optional.of("emb/token"), trace(new FunctionDef[] {inner, wrapper},
        node("ids", "Placeholder"), node("emb/position", "VarHandleOp"), node("emb/token", "VarHandleOp"),
        call("out", "wrapper", "ids", "emb/position", "emb/token")));
  }

  @Test
  void idsCastInOneCallAndLookedUpAfterItComeBackThroughItsOutput() {
    FunctionDef cast = function("cast", new String[] {"x"}, new String[] {"c:y:0"}, node("c", "Cast", "x"));
    assertEquals(Optional.of("table"), trace(new FunctionDef[] {cast},
        node("ids", "Placeholder"), node("table", "VarHandleOp"), call("to_int", "cast", "ids"),
        node("lookup", "ResourceGather", "table", "to_int")));
  }

  @Test
  void noTableIsNamedWhenNoneOrSeveralAreReachedOrOneIsComputed() {
    FunctionDef[] none = {};
    assertEquals(Optional.empty(), trace(none, node("ids", "Placeholder"), node("table", "VarHandleOp"),
        node("mean", "Mean", "ids", "axis")));
    assertEquals(Optional.empty(), trace(none, node("ids", "Placeholder"), node("a", "VarHandleOp"),
        node("b", "VarHandleOp"), node("read_a", "ReadVariableOp", "a"), node("read_b", "ReadVariableOp", "b"),
        node("lookup_a", "GatherV2", "read_a", "ids", "axis"), node("lookup_b", "GatherV2", "read_b", "ids", "axis")));
    assertEquals(Optional.empty(), trace(none, node("ids", "Placeholder"), node("e", "VarHandleOp"),
        node("read", "ReadVariableOp", "e"), node("projected", "MatMul", "read", "kernel"),
        node("lookup", "GatherV2", "projected", "ids", "axis")));
    assertEquals(Optional.empty(), trace(none, node("ids", "Placeholder"), call("missing", "no_such_function", "ids")));
  }

  @Test
  void aFunctionThatCallsItselfEndsAsUnknown() {
    FunctionDef loop = function("loop", new String[] {"x", "t"}, new String[] {"again:output:0"},
        call("again", "loop", "x", "t"));
    assertEquals(Optional.empty(), trace(new FunctionDef[] {loop}, node("ids", "Placeholder"),
        node("table", "VarHandleOp"), call("out", "loop", "ids", "table")));
  }
}
