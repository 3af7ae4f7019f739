package dev.sentigraph.serve;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import dev.sentigraph.Predictions;
import dev.sentigraph.model.ModelOutput;
import dev.sentigraph.savedmodel.SavedModelInfo.Signature;
import dev.sentigraph.savedmodel.SavedModelInfo.TensorSpec;
import java.util.List;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictResponse;

/**
 * A REST predict as the {@code PredictRequest} and {@code PredictResponse} protos the gRPC API takes and gives, as
 * TF Serving's REST handler converts its JSON before running the model, so that request logs read the same
 * whichever API a request came by. Token ids go in the typed field of the signature's input dtype, shaped
 * {@code [batch, length]} (rows of different lengths, which sentigraph accepts and TF Serving does not, are
 * padded at the end with 0, Keras' padding id); review strings in {@code string_val}, shaped {@code [batch]}.
 */
final class RestPredictProtos {
  private RestPredictProtos() {}

  /**
   * What answered: TF Serving's {@code model_spec} of the response and of the log's metadata, with the version that
   * ran and the signature resolved.
   */
  static ModelSpec answered(String model, long version, PredictRequest req, Signatures signatures) {
    return ModelSpec.newBuilder().setName(model).setVersion(Int64Value.of(version))
        .setSignatureName(req.signatureName() != null ? req.signatureName() : signatures.served()).build();
  }

  /** The request as a client of the gRPC API would have sent it, its model spec as the URL gave it. */
  static tensorflow.serving.Predict.PredictRequest request(Target t, PredictRequest req, Signatures signatures) {
    ModelSpec.Builder spec = ModelSpec.newBuilder().setName(t.model());
    if (t.version() != null) {
      spec.setVersion(Int64Value.of(t.version()));
    } else if (t.label() != null) {
      spec.setVersionLabel(t.label());
    }
    if (req.signatureName() != null) {
      spec.setSignatureName(req.signatureName());
    }
    String input = req.inputName() != null ? req.inputName() : signatures.inputNames(req.signatureName()).get(0);
    return tensorflow.serving.Predict.PredictRequest.newBuilder().setModelSpec(spec)
        .putInputs(input, tensor(req.instances(), dtype(signatures, req.signatureName(), input))).build();
  }

  /** The answer as the gRPC API gives it: each output under its name, in float_val. */
  static PredictResponse response(ModelSpec answered, Predictions out) {
    PredictResponse.Builder response = PredictResponse.newBuilder().setModelSpec(answered);
    for (ModelOutput o : out.outputs()) {
      response.putOutputs(o.name(), GrpcTensors.outputs(out.output(o.name()), false));
    }
    return response.build();
  }

  /** The input's dtype as the signature declares it; sentigraph's text signature takes strings. */
  private static DataType dtype(Signatures signatures, String requested, String input) {
    Signature s = signatures.all().get(requested == null ? signatures.served() : requested);
    if (s == null) {
      return DataType.DT_STRING;
    }
    return s.inputs().stream().filter(i -> i.key().equals(input)).findFirst().map(TensorSpec::dtype)
        .map(d -> switch (d) {
          case "int64" -> DataType.DT_INT64;
          case "float" -> DataType.DT_FLOAT;
          case "double" -> DataType.DT_DOUBLE;
          case "string" -> DataType.DT_STRING;
          default -> DataType.DT_INT32;
        }).orElse(DataType.DT_INT32);
  }

  private static TensorProto tensor(List<Object> instances, DataType dtype) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(dim(instances.size()));
    if (!instances.isEmpty() && instances.get(0) instanceof String) {
      TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shape);
      instances.forEach(o -> t.addStringVal(ByteString.copyFromUtf8((String) o)));
      return t.build();
    }
    int length = instances.stream().mapToInt(o -> ((int[]) o).length).max().orElse(0);
    DataType numeric = dtype == DataType.DT_STRING ? DataType.DT_INT32 : dtype;
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(numeric).setTensorShape(shape.addDim(dim(length)));
    for (Object o : instances) {
      int[] row = (int[]) o;
      for (int j = 0; j < length; j++) {
        int id = j < row.length ? row[j] : 0;
        switch (numeric) {
          case DT_INT64 -> t.addInt64Val(id);
          case DT_FLOAT -> t.addFloatVal(id);
          case DT_DOUBLE -> t.addDoubleVal(id);
          default -> t.addIntVal(id);
        }
      }
    }
    return t.build();
  }

  private static TensorShapeProto.Dim dim(long size) {
    return TensorShapeProto.Dim.newBuilder().setSize(size).build();
  }
}
