package dev.sentigraph.savedmodel;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sentigraph.error.InputException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpList;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Checks a GraphDef and every function of its library against the op definitions TF has registered, before TF
 * sees it: TF's kernels trust a graph that imports, and some of its mistakes (a Const whose tensor does not hold
 * its {@code dtype}) end in a fatal check that aborts the JVM instead of an error. Checked per node: the op
 * exists, every attribute the op needs is there with the declared kind and an allowed type, no attribute the op
 * does not know, the number of data inputs, Const tensors against their dtype and shape, and the dtype along every
 * edge whose types are bound. Not checked: shapes (TF's own import and kernels check those and fail with an error).
 */
public final class GraphValidator {
  private static final long MAX_CONST_ELEMENTS = Integer.MAX_VALUE;
  private static Map<String, OpDef> registry;

  private final String origin;
  private final Map<String, FunctionDef> functions = new HashMap<>();

  private GraphValidator(String origin, GraphDef graph) {
    this.origin = origin;
    graph.getLibrary().getFunctionList().forEach(f -> functions.put(f.getSignature().getName(), f));
  }

  /** Throws InputException naming {@code origin}, the node (and function) and what was expected. */
  public static void validate(GraphDef graph, String origin) {
    GraphValidator v = new GraphValidator(origin, graph);
    for (NodeDef node : graph.getNodeList()) {
      v.node(node, null);
    }
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      for (NodeDef node : f.getNodeDefList()) {
        v.node(node, f.getSignature().getName());
      }
    }
    v.edges(graph.getNodeList(), null);
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      v.edges(f.getNodeDefList(), f);
    }
  }

  /** A node's inputs or outputs, argument by argument, with the dtypes each carries; null where attrs are unbound. */
  private record Arg(String name, List<DataType> types) {}

  /**
   * Every data input's dtype against what its op expects there: TF's import checks this too, but a mismatch seen
   * here is one clean error instead of TF's MLIR and Grappler log lines ahead of it. Edges whose types depend on a
   * function's unbound attributes are left to TF.
   */
  private void edges(List<NodeDef> nodes, FunctionDef function) {
    Map<String, NodeDef> byName = new HashMap<>();
    nodes.forEach(n -> byName.put(n.getName(), n));
    Map<String, DataType> functionInputs = new HashMap<>();
    if (function != null) {
      for (OpDef.ArgDef a : function.getSignature().getInputArgList()) {
        if (a.getType() != DataType.DT_INVALID && a.getNumberAttr().isEmpty() && a.getTypeListAttr().isEmpty()) {
          functionInputs.put(a.getName(), a.getType());
        }
      }
    }
    String fn = function == null ? null : function.getSignature().getName();
    java.util.Set<String> argNames = new java.util.HashSet<>();
    if (function != null) {
      function.getSignature().getInputArgList().forEach(a -> argNames.add(a.getName()));
    }
    for (NodeDef node : nodes) {
      for (String input : node.getInputList()) {
        String source = input.substring(input.startsWith("^") ? 1 : 0).split(":")[0];
        if (!byName.containsKey(source) && !argNames.contains(source)) {
          throw bad(node, fn, "has input '" + input + "' that names no node" + (function == null ? " of the graph"
              : " or argument of its function") + ": expected an existing node");
        }
      }
      List<Arg> expected = args(node, true);
      if (expected == null) {
        continue;
      }
      List<DataType> wanted = new java.util.ArrayList<>();
      for (Arg a : expected) {
        wanted.addAll(a.types());
      }
      List<String> inputs = node.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
      for (int k = 0; k < inputs.size() && k < wanted.size(); k++) {
        DataType got = producedType(inputs.get(k), byName, functionInputs, function != null);
        DataType want = wanted.get(k);
        if (got != null && got != DataType.UNRECOGNIZED && want != DataType.UNRECOGNIZED && base(got) != base(want)) {
          throw bad(node, fn, "input " + k + " ('" + inputs.get(k) + "') is " + got + ": expected " + wanted.get(k));
        }
      }
    }
  }

  /** The dtype an input reference carries, or null when it cannot be known here. */
  private DataType producedType(String ref, Map<String, NodeDef> byName, Map<String, DataType> functionInputs,
      boolean inFunction) {
    String[] parts = ref.split(":");
    NodeDef producer = byName.get(parts[0]);
    if (producer == null) {
      return inFunction && parts.length == 1 ? functionInputs.get(parts[0]) : null;
    }
    List<Arg> outputs = args(producer, false);
    if (outputs == null) {
      return null;
    }
    try {
      if (inFunction) {
        if (parts.length != 3) {
          return null;
        }
        int index = Integer.parseInt(parts[2]);
        for (Arg a : outputs) {
          if (a.name().equals(parts[1])) {
            return index < a.types().size() ? a.types().get(index) : null;
          }
        }
        return null;
      }
      int index = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      List<DataType> flat = new java.util.ArrayList<>();
      outputs.forEach(a -> flat.addAll(a.types()));
      return index < flat.size() ? flat.get(index) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A node's input ({@code inputs}) or output argument types; null when any depends on an unbound attribute. */
  private List<Arg> args(NodeDef node, boolean inputs) {
    OpDef op = registry().get(node.getOp());
    List<OpDef.ArgDef> defs;
    if (op != null) {
      defs = inputs ? op.getInputArgList() : op.getOutputArgList();
    } else if (functions.containsKey(node.getOp())) {
      OpDef signature = functions.get(node.getOp()).getSignature();
      defs = inputs ? signature.getInputArgList() : signature.getOutputArgList();
    } else {
      return null;
    }
    List<Arg> out = new java.util.ArrayList<>();
    for (OpDef.ArgDef a : defs) {
      List<DataType> types = new java.util.ArrayList<>();
      if (!a.getTypeListAttr().isEmpty()) {
        AttrValue list = op == null ? node.getAttrMap().get(a.getTypeListAttr()) : attrOrDefault(node, op, a.getTypeListAttr());
        if (list == null || list.getValueCase() != AttrValue.ValueCase.LIST) {
          return null;
        }
        types.addAll(list.getList().getTypeList());
      } else {
        DataType t = a.getType();
        if (t == DataType.DT_INVALID) {
          AttrValue v = op == null ? node.getAttrMap().get(a.getTypeAttr()) : attrOrDefault(node, op, a.getTypeAttr());
          if (v == null || v.getValueCase() != AttrValue.ValueCase.TYPE) {
            return null;
          }
          t = v.getType();
        }
        int n = 1;
        if (!a.getNumberAttr().isEmpty()) {
          AttrValue count = op == null ? node.getAttrMap().get(a.getNumberAttr()) : attrOrDefault(node, op, a.getNumberAttr());
          if (count == null || count.getValueCase() != AttrValue.ValueCase.I || count.getI() < 0 || count.getI() > 1_000_000) {
            return null;
          }
          n = (int) count.getI();
        }
        for (int i = 0; i < n; i++) {
          types.add(t);
        }
      }
      out.add(new Arg(a.getName(), types));
    }
    return out;
  }

  /** A reference dtype's value dtype ({@code DT_FLOAT_REF} reads as {@code DT_FLOAT}). */
  private static int base(DataType t) {
    return t.getNumber() > 100 ? t.getNumber() - 100 : t.getNumber();
  }

  private static synchronized Map<String, OpDef> registry() {
    if (registry == null) {
      TensorFlow.version(); // loads the natives, which register the ops
      TF_Buffer buffer = tensorflow.TF_GetAllOpList();
      try {
        byte[] bytes = new byte[(int) buffer.length()];
        new BytePointer(buffer.data()).capacity(buffer.length()).get(bytes);
        Map<String, OpDef> ops = new HashMap<>();
        OpList.parseFrom(bytes).getOpList().forEach(op -> ops.put(op.getName(), op));
        registry = ops;
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("TF's registered op list does not parse", e);
      } finally {
        tensorflow.TF_DeleteBuffer(buffer);
      }
    }
    return registry;
  }

  private InputException bad(NodeDef node, String function, String problem) {
    String where = function == null ? "node '" + node.getName() + "'" : "function '" + function + "' node '" + node.getName() + "'";
    return new InputException(origin + " is not a valid model: " + where + " (" + node.getOp() + ") " + problem);
  }

  private void node(NodeDef node, String function) {
    OpDef op = registry().get(node.getOp());
    if (op == null) {
      FunctionDef called = functions.get(node.getOp());
      if (called == null) {
        throw bad(node, function, "uses an op TF does not know: expected a registered op or a function of the graph's library");
      }
      arity(node, function, called.getSignature().getInputArgCount());
      return;
    }
    for (OpDef.AttrDef attr : op.getAttrList()) {
      AttrValue value = node.getAttrMap().get(attr.getName());
      if (value == null) {
        if (!attr.hasDefaultValue()) {
          throw bad(node, function, "lacks attribute '" + attr.getName() + "': expected a " + attr.getType());
        }
        continue;
      }
      attribute(node, function, attr, value);
    }
    for (String name : node.getAttrMap().keySet()) {
      if (!name.startsWith("_") && op.getAttrList().stream().noneMatch(a -> a.getName().equals(name))) {
        throw bad(node, function, "has attribute '" + name + "' that op " + op.getName() + " does not define");
      }
    }
    arity(node, function, expectedInputs(node, function, op));
    if (op.getName().equals("Const") || op.getName().equals("HostConst")) {
      AttrValue dtype = node.getAttrMap().get("dtype");
      AttrValue value = node.getAttrMap().get("value");
      if (dtype.getValueCase() == AttrValue.ValueCase.TYPE && value.getValueCase() == AttrValue.ValueCase.TENSOR) {
        constant(node, function, dtype.getType(), value.getTensor());
      }
    }
  }

  private void arity(NodeDef node, String function, int expected) {
    long data = node.getInputList().stream().filter(i -> !i.startsWith("^")).count();
    if (data != expected) {
      throw bad(node, function, "has " + data + " data inputs: expected " + expected);
    }
  }

  private int expectedInputs(NodeDef node, String function, OpDef op) {
    int n = 0;
    for (OpDef.ArgDef arg : op.getInputArgList()) {
      if (!arg.getNumberAttr().isEmpty()) {
        AttrValue count = attrOrDefault(node, op, arg.getNumberAttr());
        if (count == null || count.getValueCase() == AttrValue.ValueCase.PLACEHOLDER) {
          return (int) node.getInputList().stream().filter(i -> !i.startsWith("^")).count();
        }
        n += (int) count.getI();
      } else if (!arg.getTypeListAttr().isEmpty()) {
        AttrValue types = attrOrDefault(node, op, arg.getTypeListAttr());
        if (types == null || types.getValueCase() == AttrValue.ValueCase.PLACEHOLDER) {
          return (int) node.getInputList().stream().filter(i -> !i.startsWith("^")).count();
        }
        n += types.getList().getTypeCount();
      } else {
        n++;
      }
    }
    return n;
  }

  private static AttrValue attrOrDefault(NodeDef node, OpDef op, String name) {
    AttrValue v = node.getAttrMap().get(name);
    if (v != null) {
      return v;
    }
    return op.getAttrList().stream().filter(a -> a.getName().equals(name) && a.hasDefaultValue())
        .map(OpDef.AttrDef::getDefaultValue).findFirst().orElse(null);
  }

  private void attribute(NodeDef node, String function, OpDef.AttrDef attr, AttrValue value) {
    AttrValue.ValueCase kind = value.getValueCase();
    if (kind == AttrValue.ValueCase.PLACEHOLDER) {
      return; // a function's attribute, bound when the function is instantiated
    }
    String type = attr.getType();
    boolean list = type.startsWith("list(");
    String element = list ? type.substring(5, type.length() - 1) : type;
    if (list) {
      if (kind != AttrValue.ValueCase.LIST && kind != AttrValue.ValueCase.VALUE_NOT_SET) {
        throw bad(node, function, "attribute '" + attr.getName() + "' holds a " + kindName(kind) + ": expected a " + type);
      }
      AttrValue.ListValue l = value.getList();
      int wrong = switch (element) {
        case "string" -> l.getSCount();
        case "int" -> l.getICount();
        case "float" -> l.getFCount();
        case "bool" -> l.getBCount();
        case "type" -> l.getTypeCount();
        case "shape" -> l.getShapeCount();
        case "tensor" -> l.getTensorCount();
        case "func" -> l.getFuncCount();
        default -> -1;
      };
      int total = l.getSCount() + l.getICount() + l.getFCount() + l.getBCount() + l.getTypeCount() + l.getShapeCount()
          + l.getTensorCount() + l.getFuncCount();
      if (wrong >= 0 && total != wrong) {
        throw bad(node, function, "attribute '" + attr.getName() + "' mixes kinds of values: expected a " + type);
      }
      if (attr.getHasMinimum() && total < attr.getMinimum()) {
        throw bad(node, function, "attribute '" + attr.getName() + "' has " + total + " values: expected at least "
            + attr.getMinimum());
      }
      if (element.equals("type")) {
        for (DataType t : l.getTypeList()) {
          allowedType(node, function, attr, t);
        }
      }
      return;
    }
    AttrValue.ValueCase expected = switch (element) {
      case "string" -> AttrValue.ValueCase.S;
      case "int" -> AttrValue.ValueCase.I;
      case "float" -> AttrValue.ValueCase.F;
      case "bool" -> AttrValue.ValueCase.B;
      case "type" -> AttrValue.ValueCase.TYPE;
      case "shape" -> AttrValue.ValueCase.SHAPE;
      case "tensor" -> AttrValue.ValueCase.TENSOR;
      case "func" -> AttrValue.ValueCase.FUNC;
      default -> null;
    };
    if (expected != null && kind != expected) {
      throw bad(node, function, "attribute '" + attr.getName() + "' holds a " + kindName(kind) + ": expected a " + type);
    }
    if (kind == AttrValue.ValueCase.TYPE) {
      allowedType(node, function, attr, value.getType());
    }
    if (kind == AttrValue.ValueCase.I && attr.getHasMinimum() && value.getI() < attr.getMinimum()) {
      throw bad(node, function, "attribute '" + attr.getName() + "' is " + value.getI() + ": expected at least "
          + attr.getMinimum());
    }
    if (kind == AttrValue.ValueCase.S && attr.hasAllowedValues()
        && !attr.getAllowedValues().getList().getSList().contains(value.getS())) {
      throw bad(node, function, "attribute '" + attr.getName() + "' is '" + value.getS().toStringUtf8()
          + "': expected one of " + attr.getAllowedValues().getList().getSList().stream().map(s -> s.toStringUtf8()).toList());
    }
  }

  private void allowedType(NodeDef node, String function, OpDef.AttrDef attr, DataType t) {
    if (t == DataType.UNRECOGNIZED || t == DataType.DT_INVALID) {
      throw bad(node, function, "attribute '" + attr.getName() + "' names no valid dtype");
    }
    List<DataType> allowed = attr.hasAllowedValues() ? attr.getAllowedValues().getList().getTypeList() : List.of();
    if (!allowed.isEmpty() && !allowed.contains(t)) {
      throw bad(node, function, "attribute '" + attr.getName() + "' is " + t + ": expected one of " + allowed);
    }
  }

  private static String kindName(AttrValue.ValueCase kind) {
    return switch (kind) {
      case S -> "string";
      case I -> "int";
      case F -> "float";
      case B -> "bool";
      case TYPE -> "type";
      case SHAPE -> "shape";
      case TENSOR -> "tensor";
      case LIST -> "list";
      case FUNC -> "func";
      default -> "nothing";
    };
  }

  /** A Const's tensor must hold its declared dtype, in the field that dtype uses, with no more values than its shape. */
  private void constant(NodeDef node, String function, DataType dtype, TensorProto t) {
    if (t.getDtype() != dtype) {
      throw bad(node, function, "declares dtype " + dtype + " but its tensor holds " + t.getDtype()
          + ": expected a tensor of the declared dtype");
    }
    long elements = 1;
    for (TensorShapeProto.Dim d : t.getTensorShape().getDimList()) {
      if (d.getSize() < 0 || (d.getSize() > 0 && elements > MAX_CONST_ELEMENTS / d.getSize())) {
        throw bad(node, function, "has tensor shape " + shape(t) + ": expected known dimensions of at most "
            + MAX_CONST_ELEMENTS + " elements");
      }
      elements *= d.getSize();
    }
    if (t.getTensorShape().getUnknownRank()) {
      throw bad(node, function, "has a tensor of unknown rank: expected a known shape");
    }
    int width = byteWidth(dtype);
    // strings may be packed into tensor_content too (length-prefixed); TF's decoder checks those itself
    if (!t.getTensorContent().isEmpty() && width > 0 && t.getTensorContent().size() != elements * width) {
      throw bad(node, function, "holds " + t.getTensorContent().size() + " bytes of tensor_content for shape "
          + shape(t) + ": expected " + elements * width + " bytes");
    }
    int[] counts = {t.getHalfValCount(), t.getFloatValCount(), t.getDoubleValCount(), t.getIntValCount(),
        t.getStringValCount(), t.getScomplexValCount(), t.getInt64ValCount(), t.getBoolValCount(),
        t.getDcomplexValCount(), t.getResourceHandleValCount(), t.getVariantValCount(), t.getUint32ValCount(),
        t.getUint64ValCount()};
    int own = ownField(dtype);
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0 && i != own) {
        throw bad(node, function, "declares dtype " + dtype + " but holds values of another type: expected "
            + dtype + " values");
      }
    }
    if (own >= 0) {
      long values = counts[own];
      long perElement = dtype == DataType.DT_COMPLEX64 || dtype == DataType.DT_COMPLEX128 ? 2 : 1;
      if (values > elements * perElement) {
        throw bad(node, function, "holds " + values + " values for shape " + shape(t) + ": expected at most "
            + elements * perElement);
      }
      if (values > 0 && !t.getTensorContent().isEmpty()) {
        throw bad(node, function, "holds both tensor_content and typed values: expected one of them");
      }
    }
  }

  private static String shape(TensorProto t) {
    return t.getTensorShape().getDimList().stream().map(d -> Long.toString(d.getSize())).toList().toString();
  }

  /** Bytes per element of a fixed-width dtype; 0 for strings, resources and variants. */
  private static int byteWidth(DataType t) {
    return switch (t) {
      case DT_FLOAT, DT_INT32, DT_UINT32, DT_QINT32 -> 4;
      case DT_DOUBLE, DT_INT64, DT_UINT64, DT_COMPLEX64 -> 8;
      case DT_COMPLEX128 -> 16;
      case DT_INT16, DT_UINT16, DT_HALF, DT_BFLOAT16, DT_QINT16, DT_QUINT16 -> 2;
      case DT_INT8, DT_UINT8, DT_BOOL, DT_QINT8, DT_QUINT8, DT_FLOAT8_E5M2, DT_FLOAT8_E4M3FN -> 1;
      default -> 0;
    };
  }

  /** Index into the typed-value counts of the field {@code dtype} uses (see TensorProto); -1 if none. */
  private static int ownField(DataType t) {
    return switch (t) {
      case DT_HALF, DT_BFLOAT16, DT_FLOAT8_E5M2, DT_FLOAT8_E4M3FN -> 0;
      case DT_FLOAT -> 1;
      case DT_DOUBLE -> 2;
      case DT_INT32, DT_INT16, DT_INT8, DT_UINT8, DT_UINT16, DT_QINT8, DT_QUINT8, DT_QINT16, DT_QUINT16, DT_QINT32 -> 3;
      case DT_STRING -> 4;
      case DT_COMPLEX64 -> 5;
      case DT_INT64 -> 6;
      case DT_BOOL -> 7;
      case DT_COMPLEX128 -> 8;
      case DT_RESOURCE -> 9;
      case DT_VARIANT -> 10;
      case DT_UINT32 -> 11;
      case DT_UINT64 -> 12;
      default -> -1;
    };
  }
}
