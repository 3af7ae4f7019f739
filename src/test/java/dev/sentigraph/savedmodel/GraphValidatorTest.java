package dev.sentigraph.savedmodel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.error.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

class GraphValidatorTest {
  static Stream<Path> fixtures() throws Exception {
    return Files.list(Path.of("savedmodels")).flatMap(m -> Stream.of("export", "keras2", "tfsave").map(m::resolve))
        .filter(dir -> Files.isRegularFile(dir.resolve("saved_model.pb"))).sorted();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everyKerasMadeFixtureIsValid(Path dir) throws Exception {
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(dir.resolve("saved_model.pb")));
    assertDoesNotThrow(() -> GraphValidator.validate(model.getMetaGraphs(0).getGraphDef(), dir.toString()));
  }

  private static NodeDef constant(DataType declared, TensorProto tensor) {
    return NodeDef.newBuilder().setName("c").setOp("Const")
        .putAttr("dtype", AttrValue.newBuilder().setType(declared).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build()).build();
  }

  private static String problem(NodeDef... nodes) {
    GraphDef g = GraphDef.newBuilder().addAllNode(java.util.List.of(nodes)).build();
    return assertThrows(InputException.class, () -> GraphValidator.validate(g, "m/saved_model.pb")).getMessage();
  }

  @Test
  void constWhoseTensorHoldsAnotherDtypeIsRefused() {
    TensorProto int64 = TensorProto.newBuilder().setDtype(DataType.DT_INT64).addInt64Val(7).build();
    String m = problem(constant(DataType.DT_FLOAT, int64));
    assertTrue(m.equals("m/saved_model.pb is not a valid model: node 'c' (Const) declares dtype DT_FLOAT but its tensor"
        + " holds DT_INT64: expected a tensor of the declared dtype"), m);
  }

  @Test
  void constContentMustMatchShapeAndField() {
    TensorShapeProto shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(3)).build();
    TensorProto shortContent = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape)
        .setTensorContent(com.google.protobuf.ByteString.copyFrom(new byte[8])).build();
    assertTrue(problem(constant(DataType.DT_FLOAT, shortContent)).contains("holds 8 bytes of tensor_content for shape [3]: expected 12 bytes"));
    TensorProto wrongField = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape).addInt64Val(1).build();
    assertTrue(problem(constant(DataType.DT_FLOAT, wrongField)).contains("holds values of another type"));
  }

  @Test
  void unknownOpsMissingAttributesAndWrongArityAreRefused() {
    assertTrue(problem(NodeDef.newBuilder().setName("x").setOp("NoSuchOp").build()).contains("uses an op TF does not know"));
    assertTrue(problem(NodeDef.newBuilder().setName("p").setOp("Placeholder").build())
        .contains("node 'p' (Placeholder) lacks attribute 'dtype'"));
    NodeDef add = NodeDef.newBuilder().setName("a").setOp("AddV2").addInput("x")
        .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()).build();
    assertTrue(problem(add).contains("has 1 data inputs: expected 2"));
    NodeDef badType = add.toBuilder().addInput("y").putAttr("T", AttrValue.newBuilder().setI(3).build()).build();
    assertTrue(problem(badType).contains("attribute 'T' holds a int: expected a type"), problem(badType));
    NodeDef stringAdd = add.toBuilder().addInput("y").putAttr("T", AttrValue.newBuilder().setType(DataType.DT_RESOURCE).build()).build();
    assertTrue(problem(stringAdd).contains("attribute 'T' is DT_RESOURCE: expected one of"), problem(stringAdd));
  }

  @Test
  void edgesCarryingAnotherDtypeAreRefused() {
    TensorProto one = TensorProto.newBuilder().setDtype(DataType.DT_INT32).addIntVal(1).build();
    NodeDef c = constant(DataType.DT_INT32, one);
    NodeDef add = NodeDef.newBuilder().setName("a").setOp("AddV2").addInput("c").addInput("c:0")
        .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()).build();
    assertTrue(problem(c, add).endsWith("node 'a' (AddV2) input 0 ('c') is DT_INT32: expected DT_FLOAT"), problem(c, add));
    NodeDef intAdd = add.toBuilder().putAttr("T", AttrValue.newBuilder().setType(DataType.DT_INT32).build()).build();
    assertDoesNotThrow(() -> GraphValidator.validate(GraphDef.newBuilder().addNode(c).addNode(intAdd).build(), "m"));
    NodeDef ghost = intAdd.toBuilder().setInput(1, "ghost:0").build();
    assertTrue(problem(c, ghost).endsWith("has input 'ghost:0' that names no node of the graph: expected an existing node"),
        problem(c, ghost));
  }
}
