package dev.sentigraph.serve;

import com.google.protobuf.Any;
import com.google.protobuf.Int64Value;
import dev.sentigraph.Predictions;
import dev.sentigraph.model.ModelOutput;
import dev.sentigraph.savedmodel.SavedModelInfo.Signature;
import dev.sentigraph.savedmodel.SavedModelInfo.TensorSpec;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.SignatureDef;
import org.tensorflow.framework.TensorInfo;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Classification.ClassificationRequest;
import tensorflow.serving.Classification.ClassificationResponse;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.Inference.InferenceTask;
import tensorflow.serving.Inference.MultiInferenceRequest;
import tensorflow.serving.Inference.MultiInferenceResponse;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;
import tensorflow.serving.RegressionOuterClass.RegressionRequest;
import tensorflow.serving.RegressionOuterClass.RegressionResponse;

/**
 * TF Serving's {@code tensorflow.serving.PredictionService} over the same models, versions, labels, batching
 * queues and checks as REST ({@link PredictRoute} answers each predict), with TF Serving's gRPC status codes and
 * messages where its source has them; a successful Predict is request-logged as the model's {@code logging_config}
 * says. The models have predict signatures only, so Classify, Regress and
 * MultiInference answer as TF Serving does for such a model: INVALID_ARGUMENT naming what the signature lacks.
 */
final class GrpcPredictionService extends PredictionServiceGrpc.PredictionServiceImplBase {
  private static final String DEFAULT_SIGNATURE = "serving_default";
  private static final String CLASSIFY_METHOD = "tensorflow/serving/classify";
  private static final String REGRESS_METHOD = "tensorflow/serving/regress";

  private final Servables servables;
  private final PredictRoute predictor;
  private final TfServingMetrics metrics;
  private final boolean tensorContent;
  private final long timeoutNanos;
  /** The {@code --grpc_max_threads} threads: where a predict that is not batched runs its model. */
  private final Executor unqueued;

  /** @param timeoutMillis the server's request timeout; a client's shorter deadline bounds a call instead */
  GrpcPredictionService(Servables servables, PredictRoute predictor, TfServingMetrics metrics, boolean tensorContent,
      long timeoutMillis, Executor unqueued) {
    this.servables = servables;
    this.predictor = predictor;
    this.metrics = metrics;
    this.tensorContent = tensorContent;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.unqueued = unqueued;
  }

  /**
   * When the call's time counts from, for {@link PredictRoute#predict}'s timeout: now, or earlier by as much as the
   * client's deadline is shorter than the server's timeout, so that a request whose client has given up leaves
   * the batching queue then (TF Serving runs a gRPC predict with the call's deadline as its timeout).
   */
  private long begin() {
    long now = System.nanoTime();
    Deadline deadline = Context.current().getDeadline();
    long left = deadline == null ? Long.MAX_VALUE : deadline.timeRemaining(TimeUnit.NANOSECONDS);
    return left < timeoutNanos ? now - (timeoutNanos - left) : now;
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
    long begin = System.nanoTime();
    String model = request.getModelSpec().getName();
    ServedVersion v = null;
    try {
      Target t = target(request.getModelSpec());
      String signature = request.getModelSpec().getSignatureName();
      v = servables.acquire(t);
      ServedVersion held = v;
      Signatures signatures = v.signatures();
      String key = signature.isEmpty() ? signatures.served() : signature;
      if (!signatures.all().containsKey(key) && !key.equals(Signatures.TEXT)) {
        // TF Serving's predict_util: an unknown signature is FAILED_PRECONDITION over gRPC
        throw Status.FAILED_PRECONDITION.withDescription("Serving signature key \"" + key + "\" not found.")
            .asRuntimeException();
      }
      Signature def = signatures.all().get(key);
      List<String> expected = def.inputs().stream().map(TensorSpec::key).toList();
      if (request.getInputsCount() != 1) {
        throw GrpcErrors.invalid("input size does not match signature: " + request.getInputsCount() + "!="
            + expected.size() + " len({" + String.join(",", new TreeSet<>(request.getInputsMap().keySet()))
            + "}) != len({" + String.join(",", expected) + "})");
      }
      Map.Entry<String, TensorProto> input = request.getInputsMap().entrySet().iterator().next();
      List<String> outputs = def.outputs().stream().map(TensorSpec::key).toList();
      for (String wanted : request.getOutputFilterList()) {
        if (!outputs.contains(wanted)) {
          throw GrpcErrors.invalid("output tensor alias not found in signature: " + wanted
              + " Outputs expected to be in the set {" + String.join(",", outputs) + "}.");
        }
      }
      List<Object> instances = GrpcTensors.instances(input.getKey(), input.getValue());
      CompletableFuture<Predictions> result = instances.isEmpty()
          ? CompletableFuture.completedFuture(v.model().predict(List.<String>of()))
          : predictor.submit(v, new dev.sentigraph.serve.PredictRequest(signature.isEmpty() ? null : signature,
              true, input.getKey(), instances), begin(), unqueued);
      // answered where the batch completes: no thread waits for it, none is woken to pass the answer on
      result.whenComplete((p, e) -> {
        PredictResponse response = null;
        Exception error = null;
        try {
          if (e != null) {
            error = PredictRoute.failure(e);
          } else {
            response = response(request, t.model(), held.version(), p);
            PredictResponse logged = response;
            servables.requestLogs().predict(logged.getModelSpec(), () -> request, () -> logged);
          }
        } catch (RuntimeException x) {
          error = x;
        } finally {
          held.release();
        }
        reply("Predict", model, out, begin, response, error);
      });
    } catch (Exception e) {
      if (v != null) {
        v.release();
      }
      reply("Predict", model, out, begin, null, e);
    }
  }

  /** The answer: every output of the signature, or those {@code output_filter} names, as TF Serving answers. */
  private PredictResponse response(PredictRequest request, String model, long version, Predictions p) {
    String signature = request.getModelSpec().getSignatureName();
    PredictResponse.Builder builder = PredictResponse.newBuilder()
        .setModelSpec(spec(model, version, signature.isEmpty() ? DEFAULT_SIGNATURE : signature));
    for (ModelOutput o : p.outputs()) {
      if (request.getOutputFilterCount() == 0 || request.getOutputFilterList().contains(o.name())) {
        builder.putOutputs(o.name(), GrpcTensors.outputs(p.output(o.name()), tensorContent));
      }
    }
    return builder.build();
  }

  @Override
  public void getModelMetadata(GetModelMetadataRequest request, StreamObserver<GetModelMetadataResponse> out) {
    answer(null, request.getModelSpec().getName(), out, () -> {
      // TF Serving's get_model_metadata_impl: the fields are checked before the model is looked up
      if (request.getMetadataFieldCount() == 0) {
        throw GrpcErrors.invalid("GetModelMetadataRequest must specify at least one metadata_field");
      }
      for (String field : request.getMetadataFieldList()) {
        if (!field.equals("signature_def")) {
          throw GrpcErrors.invalid("Metadata field " + field + " is not supported");
        }
      }
      Target t = target(request.getModelSpec());
      ServedVersion v = servables.acquire(t);
      try {
        SignatureDefMap.Builder defs = SignatureDefMap.newBuilder();
        v.signatures().all().forEach((key, s) -> defs.putSignatureDef(key, signatureDef(s)));
        return GetModelMetadataResponse.newBuilder().setModelSpec(spec(t.model(), v.version(), ""))
            .putMetadata("signature_def", Any.pack(defs.build())).build();
      } finally {
        v.release();
      }
    });
  }

  @Override
  public void classify(ClassificationRequest request, StreamObserver<ClassificationResponse> out) {
    answer("Classify", request.getModelSpec().getName(), out, () -> {
      throw exampleSignatureMissing(request.getModelSpec(), "classification");
    });
  }

  @Override
  public void regress(RegressionRequest request, StreamObserver<RegressionResponse> out) {
    answer("Regress", request.getModelSpec().getName(), out, () -> {
      throw exampleSignatureMissing(request.getModelSpec(), "regression");
    });
  }

  @Override
  public void multiInference(MultiInferenceRequest request, StreamObserver<MultiInferenceResponse> out) {
    String model = request.getTasksCount() > 0 ? request.getTasks(0).getModelSpec().getName() : "";
    answer("MultiInference", model, out, () -> {
      // TF Serving's multi_inference: the tasks are checked in this order before anything runs
      if (request.getTasksCount() == 0) {
        throw GrpcErrors.invalid("Expected at least one task");
      }
      TreeSet<String> seen = new TreeSet<>();
      for (InferenceTask task : request.getTasksList()) {
        if (task.getModelSpec().getName().isEmpty()) {
          throw GrpcErrors.invalid("Found ModelSpec with an empty model name.");
        }
        if (!task.getModelSpec().getName().equals(model)) {
          throw GrpcErrors.invalid("All ModelSpecs in a MultiInferenceRequest must access the same model name.");
        }
        String signature = task.getModelSpec().getSignatureName().isEmpty() ? DEFAULT_SIGNATURE
            : task.getModelSpec().getSignatureName();
        if (!seen.add(signature)) {
          throw GrpcErrors.invalid("Duplicate evaluation of signature: " + signature);
        }
      }
      for (InferenceTask task : request.getTasksList()) {
        String method = task.getMethodName();
        if (!method.equals(CLASSIFY_METHOD) && !method.equals(REGRESS_METHOD)) {
          servables.model(target(task.getModelSpec()));
          throw Status.UNIMPLEMENTED.withDescription("Unsupported signature method_name: " + method)
              .asRuntimeException();
        }
        throw exampleSignatureMissing(task.getModelSpec(), method.equals(CLASSIFY_METHOD) ? "classification"
            : "regression");
      }
      throw new IllegalStateException("unreachable");
    });
  }

  /**
   * What TF Serving answers when a model's signature is not a tf.Example one: the signature must exist, then it
   * must take one input keyed {@code inputs} ({@code PreProcessClassification} / {@code PreProcessRegression});
   * sentigraph's models take token ids or text under their own input name.
   */
  private StatusRuntimeException exampleSignatureMissing(ModelSpec spec, String kind) {
    Target t = target(spec);
    ServedVersion v = servables.acquire(t);
    try {
      String key = spec.getSignatureName().isEmpty() ? DEFAULT_SIGNATURE : spec.getSignatureName();
      Signature s = v.signatures().all().get(key);
      if (s == null) {
        return GrpcErrors.invalid("Requested signature not found in model graph: " + key);
      }
      return GrpcErrors.invalid("No " + kind + " inputs found in SignatureDef: " + describe(s)
          + " (sentigraph's models take token ids or text, not tf.Example: use Predict)");
    } finally {
      v.release();
    }
  }

  private static String describe(Signature s) {
    return "{inputs: " + s.inputs().stream().map(TensorSpec::key).toList() + ", outputs: "
        + s.outputs().stream().map(TensorSpec::key).toList() + ", method_name: " + s.method() + "}";
  }

  /** The model version a {@code ModelSpec} asks for, as REST's path would name it. */
  static Target target(ModelSpec spec) {
    if (spec.getName().isEmpty()) {
      throw GrpcErrors.invalid("ModelSpec has no name specified.");
    }
    return switch (spec.getVersionChoiceCase()) {
      case VERSION -> new Target(spec.getName(), spec.getVersion().getValue(), null);
      case VERSION_LABEL -> new Target(spec.getName(), null, spec.getVersionLabel());
      default -> new Target(spec.getName(), null, null);
    };
  }

  private static ModelSpec spec(String name, long version, String signature) {
    return ModelSpec.newBuilder().setName(name).setVersion(Int64Value.of(version)).setSignatureName(signature).build();
  }

  /** A signature as TensorFlow's {@code SignatureDef}, as {@code saved_model.pb} lists it. */
  private static SignatureDef signatureDef(Signature s) {
    SignatureDef.Builder def = SignatureDef.newBuilder().setMethodName(s.method());
    s.inputs().forEach(t -> def.putInputs(t.key(), tensorInfo(t)));
    s.outputs().forEach(t -> def.putOutputs(t.key(), tensorInfo(t)));
    return def.build();
  }

  private static TensorInfo tensorInfo(TensorSpec t) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : t.shape()) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    DataType dtype = DataType.valueOf("DT_" + t.dtype().toUpperCase(Locale.ROOT));
    return TensorInfo.newBuilder().setName(t.tensorName()).setDtype(dtype).setTensorShape(shape).build();
  }

  /**
   * Runs one call: its answer or its error as TF Serving's status, counted in TF Serving's metrics under the API
   * name (null: not counted, as TF Serving counts only the inference APIs).
   */
  private <T> void answer(String api, String model, StreamObserver<T> out, Call<T> call) {
    long begin = System.nanoTime();
    T reply;
    try {
      reply = call.get();
    } catch (Exception e) {
      reply(api, model, out, begin, null, e);
      return;
    }
    reply(api, model, out, begin, reply, null);
  }

  /** Sends a call's answer, or its error as TF Serving's status, and counts it (see {@link #answer}). */
  private <T> void reply(String api, String model, StreamObserver<T> out, long begin, T reply, Exception error) {
    StatusRuntimeException failed = error == null ? null : GrpcErrors.of(error);
    try {
      if (failed == null) {
        out.onNext(reply);
        out.onCompleted();
      } else {
        out.onError(failed);
      }
    } finally {
      if (api != null) {
        metrics.request(servables.exists(new Target(model, null, null)) ? model : "(unknown)", api, "GRPC",
            failed == null ? "OK" : GrpcErrors.codeName(failed.getStatus()), (System.nanoTime() - begin) / 1000);
      }
    }
  }

  /** One call's work; what it throws becomes the call's status. */
  private interface Call<T> {
    T get() throws Exception;
  }
}
