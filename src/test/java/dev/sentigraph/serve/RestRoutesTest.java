package dev.sentigraph.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.serve.ServeClient.Reply;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which route answers a method and path, on a server without models: TF Serving's paths in any letter case with
 * names decoded, the 400 and 404 for everything else, and the metrics path taken literally.
 */
class RestRoutesTest {
  private static final String ONE_REVIEW = "{\"instances\": [[1, 2]]}";

  @Test
  void otherMethodsAndPathsAreMalformedUnderV1AndNotFoundElsewhere() {
    try (ModelServer server = start("/metrics")) {
      ServeClient client = new ServeClient(server.port());
      // bodies are empty: Jetty may close a connection whose request body no route read, under the client's next call
      assertError(400, "Malformed request: GET /v1/models/imdb:predict", client.get("/v1/models/imdb:predict"));
      assertError(400, "Malformed request: POST /v1/models/imdb", client.post("/v1/models/imdb", ""));
      assertError(400, "Malformed request: PUT /v1/models/imdb", client.send(
          HttpRequest.newBuilder(client.uri("/v1/models/imdb")).PUT(HttpRequest.BodyPublishers.noBody()).build()));
      assertError(404, "not found: POST /healthz (the API is under /v1/models/)", client.post("/healthz", ""));
      assertError(404, "not found: POST /metrics (the API is under /v1/models/)", client.post("/metrics", ""));
      assertError(404, "not found: GET /v2/models/imdb (the API is under /v1/models/)", client.get("/v2/models/imdb"));
    }
  }

  @Test
  void apiPathsMatchInAnyCaseAndNamesAreDecoded() {
    try (ModelServer server = start("/metrics")) {
      ServeClient client = new ServeClient(server.port());
      assertError(404, "Servable not found for request: Latest(a b)",
          client.post("/V1/Models/a%20b:PREDICT", ONE_REVIEW));
      assertError(404, "Servable not found for request: Label(caf\u00e9?, x)",
          client.get("/v1/MODELS/caf%C3%A9%3F/labels/x/Metadata"));
      assertError(404, "Servable not found for request: Specific(imdb, 3)",
          client.post("/v1/models/imdb/versions/3:Classify", "{}"));
      assertError(400, "Failed to convert version: 99999999999999999999 to numeric.",
          client.get("/v1/models/imdb/versions/99999999999999999999"));
    }
  }

  @Test
  void theMetricsPathIsTakenLiterally() {
    String unknownModel = "sentigraph_serve_requests_total{api=\"status\",model=\"(unknown)\",status=\"404\",version=\"\"}";
    try (ModelServer server = start("/")) {
      ServeClient client = new ServeClient(server.port());
      client.get("/v1/models/imdb");
      Reply metrics = client.get("/");
      assertEquals(200, metrics.status());
      assertTrue(metrics.body().contains(unknownModel), metrics.body());
      assertError(404, "not found: GET /other (the API is under /v1/models/)", client.get("/other"));
    }
    try (ModelServer server = start("/prometheus metrics/*")) {
      ServeClient client = new ServeClient(server.port());
      client.get("/v1/models/imdb");
      assertTrue(client.get("/prometheus%20metrics/*").body().contains(unknownModel));
      assertEquals(404, client.get("/prometheus%20metrics/other").status());
    }
    try (ModelServer server = start("/healthz")) {
      assertEquals("{\"status\":\"alive\"}", new ServeClient(server.port()).get("/healthz").body(),
          "a probe keeps its path");
    }
  }

  private static ModelServer start(String metricsPath) {
    return ModelServer.start(List.of(), ServerSettings.defaults().withPort(0).withMetricsPath(metricsPath), line -> { });
  }

  private static void assertError(int status, String message, Reply r) {
    assertEquals(status, r.status(), r.body());
    assertEquals(message, r.error());
  }
}
