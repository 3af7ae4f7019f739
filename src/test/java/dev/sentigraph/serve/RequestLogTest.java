package dev.sentigraph.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import dev.sentigraph.TestFolders;
import dev.sentigraph.error.InputException;
import dev.sentigraph.serve.ServeClient.Golden;
import dev.sentigraph.serve.ServeClient.Reply;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.LogCollectorConfigOuterClass.LogCollectorConfig;
import tensorflow.serving.LoggingConfigOuterClass.LoggingConfig;
import tensorflow.serving.LoggingConfigOuterClass.SamplingConfig;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelManagement.ReloadConfigRequest;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfig;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfigList;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Request logging ({@code logging_config}): the TFRecord files, and a running server logging its REST and gRPC
 * predicts, reloading its logging config, and riding out a slow and a full disk.
 */
class RequestLogTest {
  @TempDir Path dir;
  private final Golden lstm = Golden.of("lstm");

  @Test
  void writesTheBytesTensorFlowsTfRecordWriterWritesAndShowsOnlyWholeFiles() throws IOException {
    Path logs = dir.resolve("logs");
    RequestLogFiles files = new RequestLogFiles(logs.resolve("m").toString(), RequestLogSettings.defaults());
    files.write("sentigraph".getBytes(StandardCharsets.US_ASCII));
    files.write(new byte[0]);
    assertEquals(List.of(), tfrecords(logs), "an open file is not visible under its final name");
    assertEquals(1, listing(logs).stream().filter(p -> p.getFileName().toString().endsWith(".tmp")).count());
    files.finish();
    List<Path> done = tfrecords(logs);
    assertEquals(1, done.size());
    assertTrue(done.get(0).getFileName().toString().matches("m-\\d{8}T\\d{6}Z-\\d+-00001\\.tfrecord"), done.toString());
    assertArrayEquals(HexFormat.of().parseHex(WarmupRecordsTest.TF_WRITTEN), Files.readAllBytes(done.get(0)));
    assertEquals(done, listing(logs), "no temporary file left");
  }

  @Test
  void rotatesBeforeTheCapAndKeepsTheNewestFiles() throws IOException {
    Path logs = dir.resolve("logs");
    // 30-byte records take 46 bytes framed: two fit under 100, a third begins a new file
    RequestLogFiles files = new RequestLogFiles(logs + "/", RequestLogSettings.defaults().withLimits(100, 3, 60_000));
    for (int i = 0; i < 7; i++) {
      files.write(record(i, 30));
    }
    files.write(record(7, 500)); // larger than the cap: a file of its own
    files.write(record(8, 30));
    files.finish();
    List<Path> done = tfrecords(logs);
    assertEquals(3, done.size(), done.toString());
    assertEquals(List.of(6), firstBytes(done.get(0)), "files 1-3 (records 0-5) deleted, the newest three kept");
    assertEquals(List.of(7), firstBytes(done.get(1)));
    assertEquals(List.of(8), firstBytes(done.get(2)));
    assertTrue(done.get(0).getFileName().toString().endsWith("-00004.tfrecord"), done.toString());
  }

  @Test
  void aQuietLoggersFileIsPublishedOnceOldEnoughWithoutWaitingForTheCap() throws IOException {
    Path logs = dir.resolve("logs");
    RequestLogConfig config = models("sampling_config { sampling_rate: 1 } log_collector_config {"
        + " filename_prefix: \"" + logs.resolve("m") + "\" }").get(0).requestLog();
    List<String> counted = Collections.synchronizedList(new ArrayList<>());
    RequestLogger.Counts counts = new RequestLogger.Counts() {
      @Override
      public void written(String model) {
        counted.add("written " + model);
      }

      @Override
      public void dropped(String model, RequestLogger.Drop why) {
        counted.add(why + " " + model);
      }
    };
    PredictionLog record = PredictionLog.newBuilder().setLogMetadata(tensorflow.serving.Logging.LogMetadata
        .newBuilder().setModelSpec(ModelSpec.newBuilder().setName("m"))).build();
    try (RequestLogger logger = new RequestLogger(config, RequestLogSettings.defaults().withLimits(1 << 20, 0, 300),
        counts, line -> { })) {
      assertTrue(logger.sample());
      logger.offer(record);
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (tfrecords(logs).isEmpty() && System.nanoTime() < end) {
        ServeClient.sleep(20);
      }
      assertEquals(List.of(record), readLogs(logs), "published while the logger still runs");
      logger.offer(record);
    }
    assertEquals(List.of("written m", "written m"), counted);
    assertEquals(2, tfrecords(logs).size(), "the second file finished at close");
  }

  private static byte[] record(int n, int size) {
    byte[] b = new byte[size];
    java.util.Arrays.fill(b, (byte) n);
    return b;
  }

  private static List<Integer> firstBytes(Path file) {
    return WarmupRecords.read(file).stream().map(r -> (int) r[0]).toList();
  }

  @Test
  void refusesLoggingConfigsItCannotObey() {
    assertEquals(0.25, models("sampling_config { sampling_rate: 0.25 } log_collector_config { type: \"TFRecord\""
        + " filename_prefix: \"/tmp/x\" }").get(0).requestLog().samplingRate());
    assertRefused("log_collector_config { type: \"bigquery\" filename_prefix: \"/tmp/x\" }",
        "log_collector_config type 'bigquery' is not one sentigraph writes");
    assertRefused("sampling_config { sampling_rate: 0.5 }", "needs a filename_prefix");
    assertRefused("sampling_config { sampling_rate: 1.5 } log_collector_config { filename_prefix: \"/tmp/x\" }",
        "sampling_rate 1.5 is outside [0, 1]");
    assertRefused("sampling_config { per_task_sampling_configs { dc: \"aa\" sampling_rate: 1 } }"
        + " log_collector_config { filename_prefix: \"/tmp/x\" }", "per_task_sampling_configs");
  }

  private static List<ModelSource> models(String loggingConfig) {
    return ServingConfigFiles.models(ServingConfigFiles.parse("model_config_list { config { name: \"m\""
        + " base_path: \"/models/m\" logging_config { " + loggingConfig + " } } }", "ModelServerConfig", "test.config"),
        "test.config");
  }

  private static void assertRefused(String loggingConfig, String expected) {
    InputException e = assertThrows(InputException.class, () -> models(loggingConfig));
    assertTrue(e.getMessage().startsWith("test.config: model 'm' logging_config: ")
        && e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void logsEachSampledPredictOfBothApisAsSentAndAnsweredAndFollowsReloads() throws Exception {
    Path base = dir.resolve("models/lstm");
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("lstm/export"), base.resolve("1"));
    Path logs = dir.resolve("logs");
    Path config = dir.resolve("models.config");
    writeConfig(config, base, "sampling_config { sampling_rate: 1.0 } log_collector_config { type: \"tfrecord\""
        + " filename_prefix: \"" + logs.resolve("lstm") + "\" }");
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    ServerSettings settings = ServerSettings.defaults().withPort(0).withPolling(100, 300).withGrpc(GrpcSettings.on(0));
    PredictRequest sent;
    PredictResponse received;
    Reply row;
    Reply columnar;
    try (ModelServer server = ModelServer.start(ServingConfigFiles.models(config), settings, log::add)) {
      ServeClient client = new ServeClient(server.port());
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
      try {
        PredictionServiceGrpc.PredictionServiceBlockingStub grpc = PredictionServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(60, TimeUnit.SECONDS);
        row = client.post("/v1/models/lstm:predict", lstm.instances());
        columnar = client.post("/v1/models/lstm/versions/1:predict", "{\"signature_name\": \"serving_default\","
            + " \"inputs\": " + lstm.tokens() + "}");
        assertEquals(200, columnar.status(), columnar.body());
        sent = PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("lstm"))
            .putInputs("tokens", tokens()).build();
        received = grpc.predict(sent);
        awaitMetric(client, "sentigraph_serve_request_log_records_total{model=\"lstm\"}", 3);

        // rate 0: nothing logged; the rate-1 logger's file is closed and published by the reload
        writeConfig(config, base, "sampling_config { sampling_rate: 0.0 } log_collector_config { type: \"tfrecord\""
            + " filename_prefix: \"" + logs.resolve("lstm") + "\" }");
        server.reconfigure(ServingConfigFiles.models(config));
        assertEquals(1, tfrecords(logs).size(), "the replaced logger's file is finished: " + log);
        for (int i = 0; i < 5; i++) {
          assertEquals(200, client.post("/v1/models/lstm:predict", lstm.instances()).status());
          grpc.predict(sent);
        }
        // another prefix, by gRPC's HandleReloadConfigRequest (TF Serving's generated messages), then no
        // logging_config at all
        ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).handleReloadConfigRequest(
            ReloadConfigRequest.newBuilder().setConfig(ModelServerConfig.newBuilder().setModelConfigList(
                ModelConfigList.newBuilder().addConfig(ModelConfig.newBuilder().setName("lstm")
                    .setBasePath(base.toString()).setModelPlatform("tensorflow").setLoggingConfig(
                        LoggingConfig.newBuilder().setSamplingConfig(SamplingConfig.newBuilder().setSamplingRate(1))
                            .setLogCollectorConfig(LogCollectorConfig.newBuilder().setType("tfrecord")
                                .setFilenamePrefix(dir.resolve("logs2/lstm").toString())))))).build());
        assertEquals(200, client.post("/v1/models/lstm:predict", lstm.instances()).status());
        writeConfig(config, base, null);
        server.reconfigure(ServingConfigFiles.models(config));
        assertEquals(200, client.post("/v1/models/lstm:predict", lstm.instances()).status());
        grpc.predict(sent);
        assertEquals(4.0, metric(client, "sentigraph_serve_request_log_records_total{model=\"lstm\"}"));
      } finally {
        channel.shutdownNow();
      }
    }
    assertEquals(1, readLogs(dir.resolve("logs2")).size(), "one request while logging to the second prefix");
    List<Path> files = tfrecords(logs);
    assertEquals(1, files.size(), files.toString());
    assertEquals(files, listing(logs), "no temporary file left");
    List<PredictionLog> records = readLogs(logs);
    assertEquals(3, records.size(), "rate 0 logged nothing");
    for (PredictionLog r : records) {
      assertEquals("lstm", r.getLogMetadata().getModelSpec().getName());
      assertEquals(1, r.getLogMetadata().getModelSpec().getVersion().getValue());
      assertEquals("serving_default", r.getLogMetadata().getModelSpec().getSignatureName());
      assertEquals(1.0, r.getLogMetadata().getSamplingConfig().getSamplingRate());
      assertEquals(List.of("serve"), r.getLogMetadata().getSavedModelTagsList());
      assertEquals(PredictionLog.LogTypeCase.PREDICT_LOG, r.getLogTypeCase());
    }

    // REST: the request as the protos a gRPC client would send, the answer as the JSON gave it
    PredictRequest restRow = records.get(0).getPredictLog().getRequest();
    assertEquals(ModelSpec.newBuilder().setName("lstm").build(), restRow.getModelSpec());
    assertEquals(List.of("tokens"), List.copyOf(restRow.getInputsMap().keySet()));
    assertIds(lstm.tokens(), restRow.getInputsOrThrow("tokens"));
    assertArrayEquals(rows(row), outputs(records.get(0).getPredictLog().getResponse()));
    PredictRequest restColumnar = records.get(1).getPredictLog().getRequest();
    assertEquals(1, restColumnar.getModelSpec().getVersion().getValue());
    assertEquals("serving_default", restColumnar.getModelSpec().getSignatureName());
    assertIds(lstm.tokens(), restColumnar.getInputsOrThrow("tokens"));
    assertArrayEquals(rows(columnar), outputs(records.get(1).getPredictLog().getResponse()));
    // gRPC: exactly the messages sent and received
    assertEquals(sent, records.get(2).getPredictLog().getRequest());
    assertEquals(received, records.get(2).getPredictLog().getResponse());
    // the same rows, though not bit for bit: the served LSTM may hand over to sentigraph's graph between requests
    assertEquals(records.get(0).getPredictLog().getResponse().getOutputsMap().keySet(), received.getOutputsMap()
        .keySet());
    assertArrayEquals(outputs(records.get(0).getPredictLog().getResponse()), outputs(received), 1e-6f,
        "REST and gRPC log the same answer to the same rows");
  }

  @Test
  void aSlowOrFullDiskDropsRecordsButNoRequest() throws Exception {
    Path base = dir.resolve("models/lstm");
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("lstm/export"), base.resolve("1"));
    Path logs = dir.resolve("logs");
    Path config = dir.resolve("models.config");
    writeConfig(config, base, "sampling_config { sampling_rate: 1 } log_collector_config { filename_prefix: \""
        + logs.resolve("lstm") + "\" }");
    Disk disk = new Disk();
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    ServerSettings settings = ServerSettings.defaults().withPort(0).withPolling(100, 300)
        .withRequestLog(RequestLogSettings.defaults().withQueueCapacity(2).withOpener(disk::create));
    double queueFull;
    try (ModelServer server = ModelServer.start(ServingConfigFiles.models(config), settings, log::add)) {
      ServeClient client = new ServeClient(server.port());
      String written = "sentigraph_serve_request_log_records_total{model=\"lstm\"}";
      // a disk that hangs: one record in the writer, two queued, the rest dropped; every request answered
      disk.hang = new CountDownLatch(1);
      for (int i = 0; i < 6; i++) {
        assertEquals(200, client.post("/v1/models/lstm:predict", lstm.instances()).status());
      }
      queueFull = metric(client, "sentigraph_serve_request_log_dropped_total{model=\"lstm\",reason=\"queue_full\"}");
      assertTrue(queueFull >= 3 && queueFull <= 4, "dropped " + queueFull);
      disk.hang.countDown();
      awaitMetric(client, written, 6 - queueFull);
      assertEquals(200, client.post("/v1/models/lstm:predict", lstm.instances()).status());
      awaitMetric(client, written, 7 - queueFull);

      // a full disk: each write fails one byte short; the file is cut back to whole records
      disk.full = true;
      for (int i = 0; i < 4; i++) {
        assertEquals(200, client.post("/v1/models/lstm:predict", lstm.instances()).status());
      }
      awaitMetric(client, "sentigraph_serve_request_log_dropped_total{model=\"lstm\",reason=\"write_failed\"}", 4);
      disk.full = false;
      // a record shorter than the ones the full disk cut short: any bytes of theirs left behind would show
      String oneRow = "{\"instances\": [" + lstm.tokens().get(0) + "]}";
      assertEquals(200, client.post("/v1/models/lstm:predict", oneRow).status());
      awaitMetric(client, written, 8 - queueFull);
    }
    assertEquals(1, count(log, "dropping records while its queue is full"), log.toString());
    assertEquals(1, count(log, "queue has room again"), log.toString());
    assertEquals(1, count(log, "cannot write (No space left on device)"), log.toString());
    assertEquals(1, count(log, "writing again"), log.toString());
    assertEquals(8 - (int) queueFull, readLogs(logs).size(), "every record written, none cut, CRCs whole");
  }

  private static long count(List<String> log, String text) {
    return log.stream().filter(l -> l.contains(text)).count();
  }

  /** A disk that can hang or fill up: files are real, writes go through unless told otherwise. */
  private static final class Disk {
    volatile CountDownLatch hang;
    volatile boolean full;

    SeekableByteChannel create(Path file) throws IOException {
      SeekableByteChannel real = Files.newByteChannel(file, java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
      return new SeekableByteChannel() {
        @Override
        public int write(ByteBuffer src) throws IOException {
          CountDownLatch h = hang;
          if (h != null) {
            try {
              h.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException(e);
            }
          }
          if (full) {
            ByteBuffer most = src.duplicate();
            most.limit(src.limit() - 1);
            src.position(src.position() + real.write(most));
            throw new IOException("No space left on device");
          }
          return real.write(src);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
          return real.read(dst);
        }

        @Override
        public long position() throws IOException {
          return real.position();
        }

        @Override
        public SeekableByteChannel position(long p) throws IOException {
          real.position(p);
          return this;
        }

        @Override
        public long size() throws IOException {
          return real.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
          real.truncate(size);
          return this;
        }

        @Override
        public boolean isOpen() {
          return real.isOpen();
        }

        @Override
        public void close() throws IOException {
          real.close();
        }
      };
    }
  }

  private static void writeConfig(Path file, Path base, String loggingConfig) throws IOException {
    Files.writeString(file, "model_config_list { config { name: \"lstm\" base_path: \"" + base + "\""
        + " model_platform: \"tensorflow\"" + (loggingConfig != null ? " logging_config { " + loggingConfig + " }" : "")
        + " } }\n");
  }

  private TensorProto tokens() {
    JsonArray rows = lstm.tokens();
    int length = rows.get(0).getAsJsonArray().size();
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(TensorShapeProto
        .newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(rows.size()))
        .addDim(TensorShapeProto.Dim.newBuilder().setSize(length)));
    rows.forEach(r -> r.getAsJsonArray().forEach(id -> t.addIntVal(id.getAsInt())));
    return t.build();
  }

  /** The tensor holds the rows' ids, in whichever typed field its dtype has. */
  private static void assertIds(JsonArray rows, TensorProto t) {
    int length = rows.get(0).getAsJsonArray().size();
    assertEquals(List.of((long) rows.size(), (long) length),
        t.getTensorShape().getDimList().stream().map(TensorShapeProto.Dim::getSize).toList());
    List<Long> expected = new ArrayList<>();
    rows.forEach(r -> r.getAsJsonArray().forEach(id -> expected.add(id.getAsLong())));
    List<Long> got = switch (t.getDtype()) {
      case DT_INT64 -> t.getInt64ValList();
      case DT_FLOAT -> t.getFloatValList().stream().map(Float::longValue).toList();
      default -> t.getIntValList().stream().map(Integer::longValue).toList();
    };
    assertEquals(expected, got, t.getDtype().toString());
  }

  private static float[] rows(Reply r) {
    assertEquals(200, r.status(), r.body());
    var o = r.json();
    JsonArray rows = (o.has("predictions") ? o.get("predictions") : o.get("outputs")).getAsJsonArray();
    List<Float> out = new ArrayList<>();
    rows.forEach(row -> row.getAsJsonArray().forEach(v -> out.add(v.getAsFloat())));
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  private static float[] outputs(PredictResponse r) {
    assertEquals(1, r.getOutputsCount());
    List<Float> values = r.getOutputsMap().values().iterator().next().getFloatValList();
    float[] a = new float[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = values.get(i);
    }
    return a;
  }

  /** Every record of the finished log files under a folder, oldest file first, their CRCs checked. */
  private static List<PredictionLog> readLogs(Path folder) throws IOException {
    List<PredictionLog> out = new ArrayList<>();
    for (Path f : tfrecords(folder)) {
      for (byte[] r : WarmupRecords.read(f)) {
        out.add(PredictionLog.parseFrom(r));
      }
    }
    return out;
  }

  private static List<Path> tfrecords(Path folder) throws IOException {
    return listing(folder).stream().filter(p -> p.getFileName().toString().endsWith(".tfrecord")).toList();
  }

  private static List<Path> listing(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    }
  }

  private static double metric(ServeClient client, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$")
        .matcher(client.get(ModelServer.DEFAULT_METRICS_PATH).body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static void awaitMetric(ServeClient client, String series, double expected) {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (metric(client, series) != expected) {
      if (System.nanoTime() > end) {
        fail(series + " is " + metric(client, series) + ", expected " + expected);
      }
      ServeClient.sleep(20);
    }
  }
}
