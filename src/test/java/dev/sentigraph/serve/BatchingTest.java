package dev.sentigraph.serve;

import static dev.sentigraph.serve.ServeClient.assertClose;
import static dev.sentigraph.serve.ServeClient.probabilities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sentigraph.TestFolders;
import dev.sentigraph.serve.ServeClient.Golden;
import dev.sentigraph.serve.ServeClient.Reply;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/** Dynamic batching, a full queue, the request timeout and a graceful stop, over real HTTP and gRPC. */
class BatchingTest {
  @TempDir Path base;
  private final Golden lstm = Golden.of("lstm");

  private ModelServer start(String batchingText, ServerSettings settings) throws IOException {
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("lstm/export"), base.resolve("lstm/1"));
    Path params = base.resolve("batching.config");
    Files.writeString(params, batchingText);
    ModelServer server = ModelServer.start(List.of(ModelSource.of("lstm", base.resolve("lstm"))),
        settings.withPort(0).withBatching(ServingConfigFiles.batching(params)), line -> {});
    new ServeClient(server.port()).awaitReady(Duration.ofSeconds(60));
    return server;
  }

  /** Request {@code i}: two golden rows, a different pair for each request (batches padded to 16 or 64 rows). */
  private String pair(int i) {
    JsonArray rows = new JsonArray();
    rows.add(lstm.tokens().get(i % lstm.tokens().size()));
    rows.add(lstm.tokens().get((i + 1) % lstm.tokens().size()));
    JsonObject o = new JsonObject();
    o.add("instances", rows);
    return o.toString();
  }

  private float[] expectedPair(int i) {
    int n = lstm.tokens().size();
    return new float[] {lstm.probabilities()[i % n], lstm.probabilities()[(i + 1) % n]};
  }

  @Test
  void concurrentRequestsAreAnsweredFromFewerBatchesEachAsIfAlone() throws IOException {
    try (ModelServer server = start("""
        max_batch_size { value: 64 }
        batch_timeout_micros { value: 1000000 }
        max_enqueued_batches { value: 10 }
        num_batch_threads { value: 1 }
        allowed_batch_sizes: 16
        allowed_batch_sizes: 64
        """, ServerSettings.defaults())) {
      ServeClient client = new ServeClient(server.port());
      int requests = 16;
      float[][] alone = new float[requests][];
      for (int i = 0; i < requests; i++) {
        alone[i] = probabilities(client.post("/v1/models/lstm:predict", pair(i)));
      }
      long batchesBefore = batchCount(client);
      assertEquals(requests, batchesBefore, "one batch per request when they come one at a time");
      List<CompletableFuture<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        replies.add(client.postAsync("/v1/models/lstm:predict", pair(i)));
      }
      for (int i = 0; i < requests; i++) {
        float[] p = probabilities(replies.get(i).join());
        assertClose(alone[i], p, 1e-6);
        assertClose(expectedPair(i), p, 1e-5);
      }
      long batches = batchCount(client) - batchesBefore;
      assertTrue(batches < requests / 2, requests + " concurrent requests ran as " + batches + " batches");
    }
  }

  @Test
  void aFullQueueIs503AtOnceAndAWaitPastTheTimeoutIs504() throws IOException {
    try (ModelServer server = start("""
        max_batch_size { value: 4 }
        batch_timeout_micros { value: 1500000 }
        max_enqueued_batches { value: 1 }
        num_batch_threads { value: 1 }
        """, ServerSettings.defaults().withRestTimeoutMillis(700))) {
      ServeClient client = new ServeClient(server.port());
      JsonArray three = new JsonArray();
      for (int i = 0; i < 3; i++) {
        three.add(lstm.tokens().get(i));
      }
      JsonObject waiting = new JsonObject();
      waiting.add("instances", three);
      CompletableFuture<Reply> first = client.postAsync("/v1/models/lstm:predict", waiting.toString());
      long wait = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (queued(client) < 3 && System.nanoTime() < wait) {
        ServeClient.sleep(10);
      }
      long begin = System.nanoTime();
      Reply refused = client.post("/v1/models/lstm:predict", pair(0));
      assertEquals(503, refused.status(), refused.body());
      assertTrue(refused.error().contains("queue is full"), refused.body());
      assertTrue(System.nanoTime() - begin < Duration.ofMillis(500).toNanos(), "refused at once");
      Reply late = first.join();
      assertEquals(504, late.status(), late.body());
      assertTrue(late.error().contains("timed out"), late.body());
      JsonArray four = new JsonArray();
      for (int i = 0; i < 4; i++) {
        four.add(lstm.tokens().get(i));
      }
      JsonObject full = new JsonObject();
      full.add("instances", four);
      Reply after = client.post("/v1/models/lstm:predict", full.toString());
      assertEquals(200, after.status(), "a full batch runs at once, the timed-out request's place freed: " + after.body());
    }
  }

  @Test
  void stoppingFinishesRequestsInFlightThenRefusesConnections() throws IOException {
    ModelServer server = start("""
        max_batch_size { value: 64 }
        batch_timeout_micros { value: 3000000 }
        num_batch_threads { value: 1 }
        """, ServerSettings.defaults());
    ServeClient client = new ServeClient(server.port());
    List<CompletableFuture<Reply>> inFlight = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      inFlight.add(client.postAsync("/v1/models/lstm:predict", pair(i)));
    }
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (queued(client) < 12 && System.nanoTime() < end) {
      ServeClient.sleep(20);
    }
    assertEquals(12, queued(client), "all six requests wait in the batching queue");
    server.close();
    for (int i = 0; i < inFlight.size(); i++) {
      assertClose(expectedPair(i), probabilities(inFlight.get(i).join()), 1e-5);
    }
    assertThrows(UncheckedIOException.class, () -> client.get("/healthz"));
  }

  @Test
  void aGrpcPredictWaitingForItsBatchHoldsNoThread() throws Exception {
    // one gRPC thread and a batch of 8 rows that runs only when full: each of 4 two-row predicts must be queued
    // and its thread freed for the next, or the batch waits out the 30 s timeout one request at a time
    try (ModelServer server = startEightRowBatches(new GrpcSettings(0, 1, java.util.Map.of(), false, false, null,
        null))) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
      try {
        var stub = PredictionServiceGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        List<com.google.common.util.concurrent.ListenableFuture<PredictResponse>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          answers.add(stub.predict(grpcPair(i)));
        }
        for (int i = 0; i < answers.size(); i++) {
          assertClose(expectedPair(i), floats(answers.get(i).get(20, TimeUnit.SECONDS)), 1e-5);
        }
        assertEquals(1, batchCount(new ServeClient(server.port())), "the four predicts ran as one full batch");
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aQueuedGrpcPredictPastItsDeadlineFailsAndLeavesTheQueue() throws IOException {
    try (ModelServer server = startEightRowBatches(GrpcSettings.on(0))) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
      try {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> PredictionServiceGrpc
            .newBlockingStub(channel).withDeadlineAfter(700, TimeUnit.MILLISECONDS).predict(grpcPair(0)));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.toString());
        ServeClient client = new ServeClient(server.port());
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (queued(client) > 0 && System.nanoTime() < end) {
          ServeClient.sleep(20);
        }
        assertEquals(0, queued(client), "the server gave up on the request at the client's deadline");
        assertEquals(0, batchCount(client), "and never ran it");
      } finally {
        channel.shutdownNow();
      }
    }
  }

  /** Batches of 8 rows that run only when full (or after 30 s), and gRPC as given. */
  private ModelServer startEightRowBatches(GrpcSettings grpc) throws IOException {
    return start("""
        max_batch_size { value: 8 }
        batch_timeout_micros { value: 30000000 }
        num_batch_threads { value: 1 }
        """, ServerSettings.defaults().withGrpc(grpc));
  }

  /** {@link #pair} as a gRPC predict of int32 ids. */
  private PredictRequest grpcPair(int i) {
    int n = lstm.tokens().size();
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32);
    int width = 0;
    for (int r : new int[] {i % n, (i + 1) % n}) {
      JsonArray row = lstm.tokens().get(r).getAsJsonArray();
      width = row.size();
      row.forEach(id -> t.addIntVal(id.getAsInt()));
    }
    t.setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(2))
        .addDim(TensorShapeProto.Dim.newBuilder().setSize(width)));
    return PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("lstm"))
        .putInputs("tokens", t.build()).build();
  }

  private static float[] floats(PredictResponse r) {
    TensorProto t = r.getOutputsMap().values().iterator().next();
    float[] out = new float[t.getFloatValCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.getFloatVal(i);
    }
    return out;
  }

  private static long queued(ServeClient client) {
    Matcher m = Pattern.compile("sentigraph_serve_queued_reviews\\{model=\"lstm\",version=\"1\"} (\\S+)")
        .matcher(client.get(ModelServer.DEFAULT_METRICS_PATH).body());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  private static long batchCount(ServeClient client) {
    Matcher m = Pattern.compile("sentigraph_serve_batch_size_count\\{model=\"lstm\",version=\"1\"} (\\d+)")
        .matcher(client.get(ModelServer.DEFAULT_METRICS_PATH).body());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
