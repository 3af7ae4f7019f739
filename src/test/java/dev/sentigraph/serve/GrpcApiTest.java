package dev.sentigraph.serve;

import static dev.sentigraph.serve.ServeClient.assertClose;
import static dev.sentigraph.serve.ServeClient.probabilities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import dev.sentigraph.TestFolders;
import dev.sentigraph.io.FileTrees;
import dev.sentigraph.serve.ServeClient.Golden;
import dev.sentigraph.serve.ServeClient.Reply;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.SignatureDef;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Classification.ClassificationRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Inference.InferenceTask;
import tensorflow.serving.Inference.MultiInferenceRequest;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelManagement.ReloadConfigRequest;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfig;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfigList;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;
import tensorflow.serving.RegressionOuterClass.RegressionRequest;

/**
 * TF Serving's gRPC API, called over 127.0.0.1 with stubs generated from TF Serving's own protos, on a server
 * that loaded Keras SavedModels through TF Java in the same JVM (so TF Java's protobuf 3.21 classes and the
 * 3.25 runtime grpc-java uses are exercised together); and the REST items of TF Serving parity on the same server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcApiTest {
  private Path root;
  private ModelServer server;
  private ServeClient rest;
  private ManagedChannel channel;
  private PredictionServiceGrpc.PredictionServiceBlockingStub predictions;
  private ModelServiceGrpc.ModelServiceBlockingStub models;
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final Golden lstm = Golden.of("lstm");
  private boolean readyAtStart;

  private Path socketPath() {
    return root.resolve("grpc.sock");
  }

  @BeforeAll
  void start() throws IOException {
    root = Files.createTempDirectory("grpc-test");
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("lstm/export"), root.resolve("lstm/1"));
    ServerSettings settings = ServerSettings.defaults().withPort(0).withPolling(100, 300).withCors(true)
        .withGrpc(GrpcSettings.on(0).withHealthCheck(true).withSocketPath(socketPath().toString()));
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("multi_output/export"), root.resolve("two_heads/1"));
    server = ModelServer.start(List.of(new ModelSource("lstm", root.resolve("lstm"), VersionPolicy.latest(),
        java.util.Map.of("stable", 1L)), ModelSource.of("two_heads", root.resolve("two_heads"))), settings, log::add);
    rest = new ServeClient(server.port());
    // as TF Serving: the ports open once the models present at start are loaded
    readyAtStart = rest.get("/readyz").status() == 200;
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    predictions = PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    models = ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws IOException {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    FileTrees.delete(root);
  }

  private int[][] tokens() {
    JsonArray rows = lstm.tokens();
    int[][] out = new int[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      JsonArray r = rows.get(i).getAsJsonArray();
      out[i] = new int[r.size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = r.get(j).getAsInt();
      }
    }
    return out;
  }

  private static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : dims) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return s.build();
  }

  private TensorProto typedInts(DataType dtype) {
    int[][] t = tokens();
    TensorProto.Builder b = TensorProto.newBuilder().setDtype(dtype).setTensorShape(shape(t.length, t[0].length));
    for (int[] row : t) {
      for (int id : row) {
        switch (dtype) {
          case DT_INT64 -> b.addInt64Val(id);
          case DT_FLOAT -> b.addFloatVal(id);
          default -> b.addIntVal(id);
        }
      }
    }
    return b.build();
  }

  private TensorProto packedInt32() {
    int[][] t = tokens();
    ByteBuffer bytes = ByteBuffer.allocate(t.length * t[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int[] row : t) {
      for (int id : row) {
        bytes.putInt(id);
      }
    }
    return TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(t.length, t[0].length))
        .setTensorContent(ByteString.copyFrom(bytes.array())).build();
  }

  private static PredictRequest request(ModelSpec spec, String input, TensorProto t) {
    return PredictRequest.newBuilder().setModelSpec(spec).putInputs(input, t).build();
  }

  private static ModelSpec spec(String name) {
    return ModelSpec.newBuilder().setName(name).build();
  }

  private static float[] outputs(PredictResponse r) {
    assertEquals(1, r.getOutputsCount(), r.toString());
    TensorProto t = r.getOutputsMap().values().iterator().next();
    assertEquals(DataType.DT_FLOAT, t.getDtype());
    assertEquals(2, t.getTensorShape().getDimCount());
    assertEquals(1, t.getTensorShape().getDim(1).getSize());
    float[] out = new float[t.getFloatValCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.getFloatVal(i);
    }
    return out;
  }

  private static void assertStatus(Status.Code code, String message, Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(String.valueOf(e.getStatus().getDescription()).contains(message), e.getStatus().toString());
  }

  @Test
  void portsOpenOnceTheModelsAreLoaded() {
    assertTrue(readyAtStart, "the first request after start found the model loading: " + log);
  }

  @Test
  void predictTakesEveryTensorFormAndAnswersAsKeras() {
    String input = "tokens";
    for (TensorProto t : List.of(typedInts(DataType.DT_INT32), typedInts(DataType.DT_INT64),
        typedInts(DataType.DT_FLOAT), packedInt32())) {
      PredictResponse r = predictions.predict(request(spec("lstm"), input, t));
      assertClose(lstm.probabilities(), outputs(r), 1e-5);
      assertEquals(1, r.getModelSpec().getVersion().getValue());
      assertEquals("serving_default", r.getModelSpec().getSignatureName());
    }
    ModelSpec labelled = ModelSpec.newBuilder().setName("lstm").setVersionLabel("stable").build();
    assertClose(lstm.probabilities(), outputs(predictions.predict(request(labelled, input, packedInt32()))), 1e-5);
    ModelSpec versioned = ModelSpec.newBuilder().setName("lstm").setVersion(Int64Value.of(1)).build();
    assertClose(lstm.probabilities(), outputs(predictions.predict(request(versioned, input, packedInt32()))), 1e-5);
  }

  /** A signature with two outputs answers both, or those output_filter names, each as Keras gave it. */
  @Test
  void predictAnswersEveryOutputOrTheFilteredOnes() throws IOException {
    JsonObject g = com.google.gson.JsonParser.parseString(Files.readString(ServeClient.SAVEDMODELS
        .resolve("multi_output/golden.json"))).getAsJsonObject();
    JsonArray rows = g.getAsJsonArray("tokens");
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32)
        .setTensorShape(shape(rows.size(), rows.get(0).getAsJsonArray().size()));
    rows.forEach(r -> r.getAsJsonArray().forEach(id -> t.addIntVal(id.getAsInt())));
    PredictResponse both = predictions.predict(request(spec("two_heads"), "tokens", t.build()));
    assertEquals(java.util.Set.of("output_0", "output_1"), both.getOutputsMap().keySet());
    for (var e : java.util.Map.of("output_0", "positive", "output_1", "stars").entrySet()) {
      TensorProto out = both.getOutputsOrThrow(e.getKey());
      JsonArray golden = g.getAsJsonObject("outputs").getAsJsonArray(e.getValue());
      int width = golden.get(0).getAsJsonArray().size();
      assertEquals(width, out.getTensorShape().getDim(1).getSize());
      for (int i = 0; i < golden.size(); i++) {
        for (int k = 0; k < width; k++) {
          assertEquals(golden.get(i).getAsJsonArray().get(k).getAsFloat(), out.getFloatVal(i * width + k), 1e-5);
        }
      }
    }
    PredictResponse one = predictions.predict(request(spec("two_heads"), "tokens", t.build()).toBuilder()
        .addOutputFilter("output_1").build());
    assertEquals(java.util.Set.of("output_1"), one.getOutputsMap().keySet());
    assertEquals(both.getOutputsOrThrow("output_1"), one.getOutputsOrThrow("output_1"));
    assertStatus(Status.Code.INVALID_ARGUMENT, "output tensor alias not found in signature: nope", () ->
        predictions.predict(request(spec("two_heads"), "tokens", t.build()).toBuilder().addOutputFilter("nope").build()));
  }

  @Test
  void predictErrorsHaveTensorFlowServingsCodes() {
    TensorProto ok = packedInt32();
    assertStatus(Status.Code.NOT_FOUND, "Servable not found for request: Latest(nope)",
        () -> predictions.predict(request(spec("nope"), "tokens", ok)));
    assertStatus(Status.Code.INVALID_ARGUMENT, "Unrecognized servable version label: canary",
        () -> predictions.predict(request(ModelSpec.newBuilder().setName("lstm").setVersionLabel("canary").build(),
            "tokens", ok)));
    assertStatus(Status.Code.NOT_FOUND, "Specific(lstm, 9)", () -> predictions.predict(request(
        ModelSpec.newBuilder().setName("lstm").setVersion(Int64Value.of(9)).build(), "tokens", ok)));
    assertStatus(Status.Code.FAILED_PRECONDITION, "Serving signature key \"nope\" not found.",
        () -> predictions.predict(request(spec("lstm").toBuilder().setSignatureName("nope").build(), "tokens", ok)));
    assertStatus(Status.Code.INVALID_ARGUMENT, "input size does not match signature",
        () -> predictions.predict(request(spec("lstm"), "tokens", ok).toBuilder().putInputs("other", ok).build()));
    assertStatus(Status.Code.INVALID_ARGUMENT, "bytes of tensor_content",
        () -> predictions.predict(request(spec("lstm"), "tokens",
            ok.toBuilder().setTensorContent(ByteString.copyFrom(new byte[7])).build())));
    TensorProto outside = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(1, 2))
        .addIntVal(1).addIntVal(100_000).build();
    assertStatus(Status.Code.INVALID_ARGUMENT, "vocabulary",
        () -> predictions.predict(request(spec("lstm"), "tokens", outside)));
    assertStatus(Status.Code.INVALID_ARGUMENT, "whole numbers", () -> predictions.predict(request(spec("lstm"),
        "tokens", TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(1, 1)).addFloatVal(1.5f)
            .build())));
    assertStatus(Status.Code.INVALID_ARGUMENT, "output tensor alias not found",
        () -> predictions.predict(request(spec("lstm"), "tokens", ok).toBuilder().addOutputFilter("nope").build()));
    // the server still answers
    assertClose(lstm.probabilities(), outputs(predictions.predict(request(spec("lstm"), "tokens", ok))), 1e-5);
  }

  @Test
  void metadataIsTheSignatureDefMap() throws Exception {
    GetModelMetadataResponse r = predictions.getModelMetadata(GetModelMetadataRequest.newBuilder()
        .setModelSpec(spec("lstm")).addMetadataField("signature_def").build());
    assertEquals(1, r.getModelSpec().getVersion().getValue());
    SignatureDefMap defs = r.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class);
    SignatureDef def = defs.getSignatureDefOrThrow("serving_default");
    assertEquals(DataType.DT_INT32, def.getInputsOrThrow("tokens").getDtype());
    assertEquals(16, def.getInputsOrThrow("tokens").getTensorShape().getDim(1).getSize());
    assertEquals("tensorflow/serving/predict", def.getMethodName());
    assertStatus(Status.Code.INVALID_ARGUMENT, "must specify at least one metadata_field",
        () -> predictions.getModelMetadata(GetModelMetadataRequest.newBuilder().setModelSpec(spec("lstm")).build()));
    assertStatus(Status.Code.INVALID_ARGUMENT, "Metadata field x is not supported", () -> predictions
        .getModelMetadata(GetModelMetadataRequest.newBuilder().setModelSpec(spec("lstm")).addMetadataField("x")
            .build()));
  }

  @Test
  void classifyRegressAndMultiInferenceAnswerAsForAPredictSignature() {
    assertStatus(Status.Code.INVALID_ARGUMENT, "No classification inputs found in SignatureDef",
        () -> predictions.classify(ClassificationRequest.newBuilder().setModelSpec(spec("lstm")).build()));
    assertStatus(Status.Code.INVALID_ARGUMENT, "No regression inputs found in SignatureDef",
        () -> predictions.regress(RegressionRequest.newBuilder().setModelSpec(spec("lstm")).build()));
    assertStatus(Status.Code.NOT_FOUND, "Latest(nope)",
        () -> predictions.classify(ClassificationRequest.newBuilder().setModelSpec(spec("nope")).build()));
    assertStatus(Status.Code.UNIMPLEMENTED, "Unsupported signature method_name: tensorflow/serving/predict",
        () -> predictions.multiInference(MultiInferenceRequest.newBuilder().addTasks(InferenceTask.newBuilder()
            .setModelSpec(spec("lstm")).setMethodName("tensorflow/serving/predict")).build()));
    assertStatus(Status.Code.INVALID_ARGUMENT, "No classification inputs",
        () -> predictions.multiInference(MultiInferenceRequest.newBuilder().addTasks(InferenceTask.newBuilder()
            .setModelSpec(spec("lstm")).setMethodName("tensorflow/serving/classify")).build()));
  }

  @Test
  void modelStatusAndConfigReload() {
    ModelVersionStatus v1 = models.getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(spec("lstm"))
        .build()).getModelVersionStatus(0);
    assertEquals(1, v1.getVersion());
    assertEquals(ModelVersionStatus.State.AVAILABLE, v1.getState());
    assertEquals(org.tensorflow.framework.Code.OK, v1.getStatus().getErrorCode());
    assertStatus(Status.Code.NOT_FOUND, "Could not find any versions of model nope",
        () -> models.getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(spec("nope")).build()));
    assertStatus(Status.Code.NOT_FOUND, "Could not find version 3 of model lstm", () -> models.getModelStatus(
        GetModelStatusRequest.newBuilder().setModelSpec(spec("lstm").toBuilder().setVersion(Int64Value.of(3)))
            .build()));

    ModelConfig lstmConfig = ModelConfig.newBuilder().setName("lstm").setBasePath(root.resolve("lstm").toString())
        .setModelPlatform("tensorflow").putVersionLabels("stable", 1).build();
    ModelConfig second = lstmConfig.toBuilder().setName("second").build();
    // the other tests' model stays in every config
    ModelConfig twoHeads = ModelConfig.newBuilder().setName("two_heads").setBasePath(root.resolve("two_heads")
        .toString()).setModelPlatform("tensorflow").build();
    models.handleReloadConfigRequest(ReloadConfigRequest.newBuilder().setConfig(ModelServerConfig.newBuilder()
        .setModelConfigList(ModelConfigList.newBuilder().addConfig(lstmConfig).addConfig(second)
            .addConfig(twoHeads))).build());
    assertClose(lstm.probabilities(), outputs(predictions.predict(request(spec("second"), "tokens", packedInt32()))),
        1e-5);
    assertEquals(200, rest.get("/v1/models/second").status());
    models.handleReloadConfigRequest(ReloadConfigRequest.newBuilder().setConfig(ModelServerConfig.newBuilder()
        .setModelConfigList(ModelConfigList.newBuilder().addConfig(lstmConfig).addConfig(twoHeads))).build());
    assertStatus(Status.Code.NOT_FOUND, "Latest(second)",
        () -> predictions.predict(request(spec("second"), "tokens", packedInt32())));
    assertStatus(Status.Code.INVALID_ARGUMENT, "base_path", () -> models.handleReloadConfigRequest(
        ReloadConfigRequest.newBuilder().setConfig(ModelServerConfig.newBuilder().setModelConfigList(
            ModelConfigList.newBuilder().addConfig(ModelConfig.newBuilder().setName("x")))).build()));
    assertClose(lstm.probabilities(), outputs(predictions.predict(request(spec("lstm"), "tokens", packedInt32()))),
        1e-5);
  }

  @Test
  void restAnswersAsTensorFlowServingsHandler() {
    Reply label = rest.post("/v1/models/lstm/labels/canary:predict", lstm.instances());
    assertEquals(400, label.status(), label.body());
    assertTrue(label.error().startsWith("Unrecognized servable version label: canary"), label.body());
    Reply unknownWithBadBody = rest.post("/v1/models/nope:predict", "{\"instances\": [{\"a\": [1]}, [2]]}");
    assertEquals(404, unknownWithBadBody.status(), unknownWithBadBody.body());
    Reply empty = rest.post("/v1/models/lstm:predict", "{\"instances\": []}");
    assertEquals(400, empty.status(), empty.body());
    assertTrue(empty.error().contains("No values in 'instances' array"), empty.body());
    Reply mixed = rest.post("/v1/models/lstm:predict", "{\"instances\": [[1, 2], {\"tokens\": [3]}]}");
    assertEquals(400, mixed.status(), mixed.body());
    assertTrue(mixed.error().contains("Expecting value/list but got object at item 1"), mixed.body());
    Reply mixed2 = rest.post("/v1/models/lstm:predict", "{\"instances\": [{\"tokens\": [3]}, [1, 2]]}");
    assertTrue(mixed2.error().contains("Expecting object but got list at item 1"), mixed2.body());
    JsonArray rows = new JsonArray();
    for (int i = 0; i < 20_000; i++) {
      rows.add(lstm.tokens().get(i % lstm.tokens().size()));
    }
    String many = "{\"client_id\": {\"deep\": [[1]]}, \"instances\": " + rows + "}";
    Reply big = rest.post("/v1/models/lstm:predict", many);
    assertEquals(20_000, probabilities(big).length, "an unknown key is ignored and there is no instance cap");
    assertClose(lstm.probabilities(), java.util.Arrays.copyOf(probabilities(big), lstm.probabilities().length), 1e-5);
  }

  @Test
  void anAnswerLaterThanTheTimeoutIs504WithoutBatching() throws IOException {
    try (ModelServer slow = ModelServer.start(List.of(ModelSource.of("lstm", root.resolve("lstm"))),
        ServerSettings.defaults().withPort(0).withRestTimeoutMillis(1).withGrpc(GrpcSettings.on(0)), log::add)) {
      JsonArray rows = new JsonArray();
      for (int i = 0; i < 2_000; i++) {
        rows.add(lstm.tokens().get(i % lstm.tokens().size()));
      }
      Reply r = new ServeClient(slow.port()).post("/v1/models/lstm:predict", "{\"instances\": " + rows + "}");
      assertEquals(504, r.status(), r.body());
      ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", slow.grpcPort()).usePlaintext().build();
      try {
        TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(2_000, 16));
        for (int i = 0; i < 2_000 * 16; i++) {
          t.addIntVal(i % 50);
        }
        assertStatus(Status.Code.DEADLINE_EXCEEDED, "", () -> PredictionServiceGrpc.newBlockingStub(c)
            .predict(request(spec("lstm"), "tokens", t.build())));
      } finally {
        c.shutdownNow();
      }
    }
  }

  @Test
  void theSameServicesAnswerOnTheUnixSocket() {
    var loops = new io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup(1);
    ManagedChannel c = NettyChannelBuilder.forAddress(new io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress(
        socketPath().toString())).channelType(io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel.class)
        .eventLoopGroup(loops).usePlaintext().build();
    try {
      assertClose(lstm.probabilities(), outputs(PredictionServiceGrpc.newBlockingStub(c).withDeadlineAfter(30,
          TimeUnit.SECONDS).predict(request(spec("lstm"), "tokens", packedInt32()))), 1e-5);
    } finally {
      c.shutdownNow();
      loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void theHealthServiceSaysServing() {
    var health = io.grpc.health.v1.HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    for (String service : List.of("", "ModelService", "PredictionService")) {
      assertEquals(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING, health.check(
          io.grpc.health.v1.HealthCheckRequest.newBuilder().setService(service).build()).getStatus(), service);
    }
    assertStatus(Status.Code.NOT_FOUND, "", () -> health.check(
        io.grpc.health.v1.HealthCheckRequest.newBuilder().setService("Other").build()));
  }

  @Test
  void corsAndTensorFlowServingsMetrics() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(rest.uri("/v1/models/lstm:predict"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://example.com").build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, preflight.statusCode(), preflight.body());
    assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertEquals("POST, GET", preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
    java.net.http.HttpResponse<String> noOrigin = http.send(HttpRequest.newBuilder(rest.uri("/v1/models/lstm"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(400, noOrigin.statusCode(), noOrigin.body());
    java.net.http.HttpResponse<String> status = http.send(HttpRequest.newBuilder(rest.uri("/v1/models/lstm")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals("Content-Type", status.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
    var answered = rest.postAsync("/v1/models/lstm:predict", lstm.instances()).join();
    assertEquals(200, answered.status());
    predictions.predict(request(spec("lstm"), "tokens", packedInt32()));
    String metrics = rest.get(ModelServer.DEFAULT_METRICS_PATH).body();
    assertTrue(metrics.contains("# TYPE :tensorflow:serving:request_count counter"), metrics);
    assertTrue(metrics.matches("(?s).*:tensorflow:serving:request_count\\{model_name=\"lstm\",status=\"OK\"} \\d+.*"),
        metrics);
    assertTrue(metrics.contains(":tensorflow:serving:request_latency_bucket{model_name=\"lstm\",API=\"predict\","
        + "entrypoint=\"REST\",le=\"10\"}"), metrics);
    assertTrue(metrics.contains(":tensorflow:serving:request_latency_count{model_name=\"lstm\",API=\"Predict\","
        + "entrypoint=\"GRPC\"}"), metrics);
    assertTrue(metrics.contains("le=\"32.4\"") && metrics.contains("le=\"+Inf\""), metrics);
  }
}
