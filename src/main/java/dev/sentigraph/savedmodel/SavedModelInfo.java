package dev.sentigraph.savedmodel;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sentigraph.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A SavedModel's tag sets and signatures, read from {@code saved_model.pb} without loading its graph, as
 * {@code saved_model_cli show --all} lists them. Reading validates every graph ({@link GraphValidator}), so what is
 * listed is also what can be loaded without tripping one of TF's fatal checks.
 */
public record SavedModelInfo(Path dir, List<MetaGraph> metaGraphs) {
  /** One tensor of a signature: its key, graph tensor name, dtype and shape (-1 for unknown). */
  public record TensorSpec(String key, String tensorName, String dtype, long[] shape) {}

  public record Signature(String key, String method, List<TensorSpec> inputs, List<TensorSpec> outputs) {}

  public record MetaGraph(List<String> tags, List<Signature> signatures) {}

  public static boolean isSavedModel(Path dir) {
    return Files.isRegularFile(dir.resolve("saved_model.pb"));
  }

  public static SavedModelInfo read(Path dir) {
    Path pb = dir.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb)) {
      throw new InputException(dir + " is not a SavedModel folder: expected " + pb);
    }
    SavedModel model;
    try {
      model = SavedModel.parseFrom(Files.readAllBytes(pb));
    } catch (InvalidProtocolBufferException e) {
      throw new InputException(pb + " is not a valid SavedModel protobuf: " + e.getMessage());
    } catch (IOException e) {
      throw new InputException("cannot read " + pb + ": " + e.getMessage());
    }
    if (model.getMetaGraphsCount() == 0) {
      throw new InputException(pb + " holds no meta graph: expected a SavedModel with a graph tagged 'serve'");
    }
    List<MetaGraph> graphs = new ArrayList<>();
    for (MetaGraphDef mg : model.getMetaGraphsList()) {
      GraphValidator.validate(mg.getGraphDef(), pb.toString());
      graphs.add(new MetaGraph(List.copyOf(mg.getMetaInfoDef().getTagsList()), signatures(mg)));
    }
    return new SavedModelInfo(dir, graphs);
  }

  static List<Signature> signatures(MetaGraphDef mg) {
    List<Signature> out = new ArrayList<>();
    // every signature, TF's __saved_model_init_op hook included, as saved_model_cli and TF Serving list them
    mg.getSignatureDefMap().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      SignatureDef def = e.getValue();
      out.add(new Signature(e.getKey(), def.getMethodName(), specs(def.getInputsMap()), specs(def.getOutputsMap())));
    });
    return out;
  }

  private static List<TensorSpec> specs(Map<String, TensorInfo> tensors) {
    List<TensorSpec> out = new ArrayList<>();
    tensors.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      TensorInfo t = e.getValue();
      TensorShapeProto shape = t.getTensorShape();
      long[] dims = shape.getUnknownRank() ? new long[0]
          : shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
      out.add(new TensorSpec(e.getKey(), t.getName(), t.getDtype().name().replace("DT_", "").toLowerCase(), dims));
    });
    return out;
  }
}
