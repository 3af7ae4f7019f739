package dev.sentigraph.serve;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.tensorflow.framework.Code;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.ModelManagement.ReloadConfigRequest;
import tensorflow.serving.ModelManagement.ReloadConfigResponse;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Status.StatusProto;

/**
 * TF Serving's {@code tensorflow.serving.ModelService}: each version's state as {@code GetModelStatus} lists it
 * (TF Serving's {@code get_model_status_impl}: OK whatever the states, NOT_FOUND when nothing is known), and
 * {@code HandleReloadConfigRequest}, which replaces the served models with a new {@code ModelServerConfig} and
 * answers once what the new config names has been loaded.
 */
final class GrpcModelService extends ModelServiceGrpc.ModelServiceImplBase {
  private final ModelManager manager;
  private final Consumer<String> log;

  GrpcModelService(ModelManager manager, Consumer<String> log) {
    this.manager = manager;
    this.log = log;
  }

  @Override
  public void getModelStatus(GetModelStatusRequest request, StreamObserver<GetModelStatusResponse> out) {
    String name = request.getModelSpec().getName();
    if (name.isEmpty()) {
      out.onError(GrpcErrors.invalid("Missing model name in request."));
      return;
    }
    ServedModel model = manager.model(name);
    List<ServedVersion> listed;
    if (request.getModelSpec().hasVersion()) {
      long version = request.getModelSpec().getVersion().getValue();
      ServedVersion v = model == null ? null : model.versions().get(version);
      if (v == null) {
        out.onError(io.grpc.Status.NOT_FOUND.withDescription("Could not find version " + version + " of model "
            + name).asRuntimeException());
        return;
      }
      listed = List.of(v);
    } else {
      listed = model == null ? List.of() : model.listed();
      if (listed.isEmpty()) {
        out.onError(io.grpc.Status.NOT_FOUND.withDescription("Could not find any versions of model " + name)
            .asRuntimeException());
        return;
      }
    }
    GetModelStatusResponse.Builder r = GetModelStatusResponse.newBuilder();
    for (ServedVersion v : listed) {
      r.addModelVersionStatus(ModelVersionStatus.newBuilder().setVersion(v.version())
          .setState(ModelVersionStatus.State.valueOf(v.state().name()))
          .setStatus(StatusProto.newBuilder().setErrorCode(Code.valueOf(v.errorCode()))
              .setErrorMessage(v.errorMessage())));
    }
    out.onNext(r.build());
    out.onCompleted();
  }

  @Override
  public void handleReloadConfigRequest(ReloadConfigRequest request, StreamObserver<ReloadConfigResponse> out) {
    ModelServerConfig config = request.getConfig();
    try {
      if (config.getConfigCase() != ModelServerConfig.ConfigCase.MODEL_CONFIG_LIST) {
        throw GrpcErrors.invalid("ServerModelConfig type not supported by HandleReloadConfigRequest. Only"
            + " ModelConfigList is currently supported");
      }
      List<ModelSource> sources = ServingConfigFiles.models(config, "the reloaded config");
      manager.reconfigure(sources).get();
    } catch (Exception e) {
      // as TF Serving: the error in the call's status (its response, with the status inside, is not sent then)
      io.grpc.StatusRuntimeException s = GrpcErrors.of(e instanceof ExecutionException ? e.getCause() : e);
      log.accept("serve: config reload failed: " + s.getStatus().getDescription());
      out.onError(s);
      return;
    }
    out.onNext(ReloadConfigResponse.newBuilder().setStatus(StatusProto.newBuilder().setErrorCode(Code.OK)).build());
    out.onCompleted();
  }
}
