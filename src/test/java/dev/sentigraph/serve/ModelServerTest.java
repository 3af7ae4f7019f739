package dev.sentigraph.serve;

import static dev.sentigraph.serve.ServeClient.assertClose;
import static dev.sentigraph.serve.ServeClient.probabilities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sentigraph.TestFolders;
import dev.sentigraph.serve.ServeClient.Golden;
import dev.sentigraph.serve.ServeClient.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import dev.sentigraph.io.FileTrees;

/**
 * One server with two models from a TF Serving model config file (a Keras 3 LSTM export with a version label,
 * and a float-input Keras export under a specific-version policy), answering real HTTP calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelServerTest {
  private Path root;
  private ModelServer server;
  private ServeClient client;
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final Golden lstm = Golden.of("lstm");
  private final Golden mean = Golden.of("mean");

  @BeforeAll
  void start() throws IOException {
    root = Files.createTempDirectory("serve-test");
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("lstm/export"), root.resolve("lstm/1"));
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("mean/export"), root.resolve("mean/4"));
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("mean/keras2"), root.resolve("mean/7"));
    Path config = root.resolve("models.config");
    Files.writeString(config, """
        model_config_list {
          config {
            name: "lstm"
            base_path: "%s"
            model_platform: "tensorflow"
            version_labels { key: "stable" value: 1 }
          }
          config {
            name: "mean"
            base_path: "%s"
            model_version_policy { specific { versions: 4 } }
          }
        }
        """.formatted(root.resolve("lstm"), root.resolve("mean")));
    ServerSettings settings = ServerSettings.defaults().withPort(0).withMaxBodyBytes(1 << 20)
        .withIdleTimeoutMillis(1000).withPolling(100, 300);
    server = ModelServer.start(ServingConfigFiles.models(config), settings, log::add);
    client = new ServeClient(server.port());
    client.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    FileTrees.delete(root);
  }

  @Test
  void predictsInRowColumnarAndObjectFormsAsKeras() {
    assertClose(lstm.probabilities(), probabilities(client.post("/v1/models/lstm:predict", lstm.instances())), 1e-5);
    JsonObject columnar = new JsonObject();
    columnar.add("inputs", lstm.tokens());
    Reply c = client.post("/v1/models/lstm/versions/1:predict", columnar.toString());
    assertTrue(c.json().has("outputs"), c.body());
    assertClose(lstm.probabilities(), probabilities(c), 1e-5);
    JsonObject named = new JsonObject();
    JsonObject inputs = new JsonObject();
    inputs.add("tokens", lstm.tokens());
    named.add("inputs", inputs);
    assertClose(lstm.probabilities(), probabilities(client.post("/v1/models/lstm/labels/stable:predict",
        named.toString())), 1e-5);
    JsonArray objects = new JsonArray();
    for (var row : lstm.tokens()) {
      JsonObject o = new JsonObject();
      o.add("tokens", row);
      objects.add(o);
    }
    JsonObject rows = new JsonObject();
    rows.addProperty("signature_name", "serving_default");
    rows.add("instances", objects);
    assertClose(lstm.probabilities(), probabilities(client.post("/v1/models/lstm:predict", rows.toString())), 1e-5);
  }

  @Test
  void servesTheSpecificVersionOfAFloatInputExport() {
    assertClose(mean.probabilities(), probabilities(client.post("/v1/models/mean:predict", mean.instances())), 1e-5);
    JsonObject status = client.get("/v1/models/mean").json();
    assertEquals(1, status.getAsJsonArray("model_version_status").size(), "version 7 is outside the policy");
    assertEquals(404, client.post("/v1/models/mean/versions/7:predict", mean.instances()).status());
  }

  @Test
  void statusAndLabelsAsTensorFlowServing() {
    Reply r = client.get("/v1/models/lstm");
    assertEquals(200, r.status(), r.body());
    JsonObject v1 = version(r.json(), "1");
    assertEquals("AVAILABLE", v1.get("state").getAsString());
    assertEquals("OK", v1.getAsJsonObject("status").get("error_code").getAsString());
    assertEquals("", v1.getAsJsonObject("status").get("error_message").getAsString());
    assertEquals("1", client.get("/v1/models/lstm/versions/1").json().getAsJsonArray("model_version_status").get(0)
        .getAsJsonObject().get("version").getAsString());
    assertEquals(200, client.get("/v1/models/lstm/labels/stable").status());
    assertEquals(404, client.get("/v1/models/lstm/versions/9").status());
    assertEquals(404, client.get("/v1/models/lstm/labels/canary").status());
    Reply unknown = client.get("/v1/models/nope");
    assertEquals(404, unknown.status());
    assertTrue(unknown.error().contains("nope"), unknown.body());
  }

  @Test
  void metadataHasTensorFlowServingsFieldNames() {
    JsonObject m = client.get("/v1/models/lstm/versions/1/metadata").json();
    assertEquals("lstm", m.getAsJsonObject("model_spec").get("name").getAsString());
    assertEquals("1", m.getAsJsonObject("model_spec").get("version").getAsString());
    JsonObject sig = m.getAsJsonObject("metadata").getAsJsonObject("signature_def").getAsJsonObject("signature_def")
        .getAsJsonObject("serving_default");
    JsonObject tokens = sig.getAsJsonObject("inputs").getAsJsonObject("tokens");
    assertEquals("DT_INT32", tokens.get("dtype").getAsString());
    assertEquals("16", tokens.getAsJsonObject("tensor_shape").getAsJsonArray("dim").get(1).getAsJsonObject()
        .get("size").getAsString());
    assertEquals("tensorflow/serving/predict", sig.get("method_name").getAsString());
    JsonObject meanInput = client.get("/v1/models/mean/metadata").json().getAsJsonObject("metadata")
        .getAsJsonObject("signature_def").getAsJsonObject("signature_def").getAsJsonObject("serving_default")
        .getAsJsonObject("inputs");
    assertEquals("DT_FLOAT", meanInput.entrySet().iterator().next().getValue().getAsJsonObject().get("dtype")
        .getAsString(), "Keras exports may declare float token inputs");
  }

  @Test
  void healthReadinessAndMetrics() {
    assertEquals(200, client.get("/healthz").status());
    Reply ready = client.get("/readyz");
    assertEquals(200, ready.status(), ready.body());
    client.post("/v1/models/lstm:predict", lstm.instances());
    Reply metrics = client.get(ModelServer.DEFAULT_METRICS_PATH);
    assertEquals(200, metrics.status());
    assertTrue(metrics.body().contains(
        "sentigraph_serve_requests_total{api=\"predict\",model=\"lstm\",status=\"200\",version=\"1\"}"), metrics.body());
    assertTrue(metrics.body().contains("sentigraph_serve_batch_size_count{model=\"lstm\",version=\"1\"}"), metrics.body());
    assertTrue(metrics.body().contains("sentigraph_serve_request_latency_seconds_bucket"), metrics.body());
  }

  @Test
  void badRequestsAre400WithAnErrorAndTheServerKeepsServing() {
    String[][] cases = {
        {"{\"instances\": [[1, 2, 3]", "JSON Parse error"},
        {"", "JSON"},
        {"[1, 2, 3]", "JSON object"},
        {"{\"instances\": 5}", "must be a list"},
        {"{\"instances\": [[1, [2], 3]]}", "is a list"},
        {"{\"instances\": [[1, \"2\", 3]]}", "is a string"},
        {"{\"instances\": [[1, 2.5, 3]]}", "whole numbers"},
        {"{\"instances\": [[1, true]]}", "is a boolean"},
        {"{\"instances\": [null]}", "is null"},
        {"{\"instances\": [[1, 2, 3]], \"signature_name\": \"nope\"}", "not found in signature def"},
        {"{\"instances\": [[1, 2, 3]], \"signature_name\": \"__saved_model_init_op\"}", "initialisation hook"},
        {"{\"instances\": [[1, 2]], \"inputs\": [[1, 2]]}", "not both"},
        {"{\"signature_name\": \"serving_default\"}", "Missing 'inputs' or 'instances'"},
        {"{\"instances\": [{\"words\": [1, 2]}]}", "not in the signature"},
        {"{\"instances\": [[1, 2, 600]]}", "vocabulary"},
        {"{\"instances\": [[1, -2]]}", "instance 0: item 1 is -2, a negative id: expected token ids in [0, 60)"},
        {"{\"instances\": [\"a great film\"]}", "takes token ids"},
        {"{\"instances\": [\"a great film\"], \"signature_name\": \"text\"}", "word index"},
        {"{\"instances\": [[1, 2]]} trailing", "JSON Parse error"},
    };
    for (String[] c : cases) {
      Reply r = client.post("/v1/models/lstm:predict", c[0]);
      assertEquals(400, r.status(), c[0] + " -> " + r.body());
      assertTrue(r.error().contains(c[1]), c[0] + " -> " + r.body());
    }
    Reply classify = client.post("/v1/models/lstm:classify", "{\"examples\": []}");
    assertEquals(400, classify.status());
    assertTrue(classify.error().contains("tf.Example"), classify.body());
    assertEquals(400, client.post("/v1/models/lstm:regress", "{}").status());
    assertEquals(404, client.post("/v1/models/nope:predict", lstm.instances()).status());
    assertEquals(404, client.post("/v1/models/lstm/versions/3:predict", lstm.instances()).status());
    assertEquals(400, client.get("/v1/models/lstm:predict").status(), "GET on a POST API is a malformed request");
    assertClose(lstm.probabilities(), probabilities(client.post("/v1/models/lstm:predict", lstm.instances())), 1e-5);
  }

  @Test
  void deepNestingHugeAndOversizedBodiesAreRefused() {
    String deep = "[".repeat(500_000);
    Reply r = client.post("/v1/models/lstm:predict", deep);
    assertEquals(400, r.status(), r.body());
    r = client.post("/v1/models/lstm:predict", "{\"instances\": " + "[".repeat(500_000));
    assertEquals(400, r.status(), r.body());
    // as TF Serving, no cap on the instance count: the body size bounds a request (GrpcApiTest sends 20,000)
    byte[] big = ("{\"instances\": [" + "[1],".repeat(600_000) + "[1]]}").getBytes(StandardCharsets.UTF_8);
    r = client.post("/v1/models/lstm:predict", new String(big, StandardCharsets.UTF_8));
    assertEquals(413, r.status(), "over the 1 MB limit with a Content-Length");
    assertTrue(r.error().contains("limit"), r.body());
    r = client.send(HttpRequest.newBuilder(client.uri("/v1/models/lstm:predict"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
    assertEquals(413, r.status(), "over the limit, chunked");
    assertClose(lstm.probabilities(), probabilities(client.post("/v1/models/lstm:predict", lstm.instances())), 1e-5);
  }

  @Test
  void aClientThatStopsSendingIsTimedOutAndOthersAreServed() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/models/lstm:predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000\r\n\r\n{\"instances\": [[1, 2").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertClose(lstm.probabilities(), probabilities(client.post("/v1/models/lstm:predict", lstm.instances())), 1e-5);
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 408") || answer.isEmpty(), answer);
    }
    assertEquals(200, client.get("/healthz").status());
  }

  @Test
  void aClientThatTricklesItsBodyIsCutOff() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/models/lstm:predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long begin = System.nanoTime();
      boolean cut = false;
      // one byte every 200 ms: never idle for the 1 s idle timeout, but far below the minimum rate
      while (System.nanoTime() - begin < Duration.ofSeconds(12).toNanos()) {
        ServeClient.sleep(200);
        try {
          out.write(' ');
          out.flush();
        } catch (IOException e) {
          cut = true;
          break;
        }
        if (s.getInputStream().available() > 0) {
          cut = true;
          break;
        }
      }
      assertTrue(cut, "a body trickling at 5 bytes/s was still being read after 12 s");
    }
    assertClose(lstm.probabilities(), probabilities(client.post("/v1/models/lstm:predict", lstm.instances())), 1e-5);
  }

  @Test
  void namesAndLabelsCannotReachOutsideTheBasePath() {
    for (String path : new String[] {"/v1/models/..%2F..%2Fetc%2Fpasswd", "/v1/models/../lstm", "/v1/models/lstm/labels/..",
        "/v1/models/lstm/versions/1%2F..%2F..", "/v1/models/lstm/labels/%2E%2E/metadata"}) {
      Reply r = client.get(path);
      assertTrue(r.status() == 400 || r.status() == 404, path + " -> " + r.status() + " " + r.body());
    }
  }

  @Test
  void aBadVersionFolderIsReportedAndTheOldVersionKeepsServing() throws IOException {
    Path bad = root.resolve("lstm/5");
    Files.createDirectories(bad.resolve("variables"));
    Files.writeString(bad.resolve("saved_model.pb"), "not a protobuf");
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonObject v5 = null;
    while (System.nanoTime() < end) {
      v5 = version(client.get("/v1/models/lstm").json(), "5");
      if (v5 != null && !v5.getAsJsonObject("status").get("error_code").getAsString().equals("OK")) {
        break;
      }
      ServeClient.sleep(50);
    }
    assertTrue(v5 != null, "version 5 listed");
    assertEquals("END", v5.get("state").getAsString());
    assertNotEquals("OK", v5.getAsJsonObject("status").get("error_code").getAsString());
    assertTrue(v5.getAsJsonObject("status").get("error_message").getAsString().contains("saved_model.pb"), v5.toString());
    assertEquals("AVAILABLE", version(client.get("/v1/models/lstm").json(), "1").get("state").getAsString());
    assertClose(lstm.probabilities(), probabilities(client.post("/v1/models/lstm:predict", lstm.instances())), 1e-5);
    assertTrue(log.stream().anyMatch(l -> l.contains("version 5") && l.contains("failed to load")), log.toString());
  }

  private static JsonObject version(JsonObject status, String version) {
    for (var e : status.getAsJsonArray("model_version_status")) {
      if (e.getAsJsonObject().get("version").getAsString().equals(version)) {
        return e.getAsJsonObject();
      }
    }
    return null;
  }
}
