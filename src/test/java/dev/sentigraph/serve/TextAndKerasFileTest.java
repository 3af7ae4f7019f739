package dev.sentigraph.serve;

import static dev.sentigraph.serve.ServeClient.assertClose;
import static dev.sentigraph.serve.ServeClient.probabilities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.LoadOptions;
import dev.sentigraph.TestFolders;
import dev.sentigraph.serve.ServeClient.Golden;
import dev.sentigraph.serve.ServeClient.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version folder holding a Keras 3 {@code .keras} file, raw-text requests encoded with a word index, and the
 * Keras exports whose signature takes strings or token rows of any length.
 */
class TextAndKerasFileTest {
  @TempDir Path dir;

  /** A Keras 2 HDF5 model in a version folder, under its own name or a {@code .keras} one (Keras 2 wrote both). */
  @ParameterizedTest
  @ValueSource(strings = {"model.h5", "model.keras"})
  void servesAKeras2Hdf5FileWhateverItsName(String name) throws IOException {
    Files.createDirectories(dir.resolve("imdb/1"));
    Files.copy(ServeClient.SAVEDMODELS.resolve("legacy/seq_lstm.h5"), dir.resolve("imdb/1").resolve(name));
    JsonObject golden = JsonParser.parseString(Files.readString(ServeClient.SAVEDMODELS.resolve("legacy/golden.json")))
        .getAsJsonObject();
    float[] expected = new float[golden.getAsJsonObject("models").getAsJsonArray("seq_lstm").size()];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = golden.getAsJsonObject("models").getAsJsonArray("seq_lstm").get(i).getAsFloat();
    }
    try (ModelServer server = ModelServer.start(List.of(ModelSource.of("imdb", dir.resolve("imdb"))),
        ServerSettings.defaults().withPort(0), line -> {})) {
      ServeClient client = new ServeClient(server.port());
      client.awaitReady(Duration.ofSeconds(60));
      Reply reply = client.post("/v1/models/imdb/versions/1:predict",
          "{\"instances\": " + golden.getAsJsonArray("tokens") + "}");
      assertClose(expected, probabilities(reply), 1e-5);
    }
  }

  @Test
  void servesAKerasFileAndEncodesRawTextAsKerasImdbDoes() throws IOException {
    Files.createDirectories(dir.resolve("imdb/3"));
    Files.copy(ServeClient.SAVEDMODELS.resolve("lstm/model.keras"), dir.resolve("imdb/3/model.keras"));
    Path index = dir.resolve("word_index.json");
    Files.writeString(index, "{\"a\": 1, \"great\": 5, \"film\": 7, \"dull\": 20}");
    ServerSettings settings = ServerSettings.defaults().withPort(0)
        .withLoadOptions(LoadOptions.defaults().withWordIndex(index));
    try (ModelServer server = ModelServer.start(List.of(ModelSource.of("imdb", dir.resolve("imdb"))), settings,
        line -> {})) {
      ServeClient client = new ServeClient(server.port());
      client.awaitReady(Duration.ofSeconds(60));
      Golden lstm = Golden.of("lstm");
      assertClose(lstm.probabilities(), probabilities(client.post("/v1/models/imdb:predict", lstm.instances())), 1e-5);

      JsonObject tokens = client.get("/v1/models/imdb/metadata").json().getAsJsonObject("metadata")
          .getAsJsonObject("signature_def").getAsJsonObject("signature_def").getAsJsonObject("serving_default")
          .getAsJsonObject("inputs").getAsJsonObject("tokens");
      assertEquals("DT_INT32", tokens.get("dtype").getAsString());
      assertEquals("16", tokens.getAsJsonObject("tensor_shape").getAsJsonArray("dim").get(1).getAsJsonObject()
          .get("size").getAsString());

      // Keras' imdb encoding: start mark 1, then each word's rank + 3 (index_from), padded in front
      float[] byText = probabilities(client.post("/v1/models/imdb:predict",
          "{\"signature_name\": \"text\", \"instances\": [\"A great film!\", \"dull\"]}"));
      float[] byIds = probabilities(client.post("/v1/models/imdb:predict",
          "{\"instances\": [[1, 4, 8, 10], [1, 23]]}"));
      assertClose(byIds, byText, 0);
      float[] columnar = probabilities(client.post("/v1/models/imdb:predict",
          "{\"signature_name\": \"text\", \"inputs\": {\"text\": [\"A great film!\", \"dull\"]}}"));
      assertClose(byIds, columnar, 0);
      Reply serveText = client.post("/v1/models/imdb:predict",
          "{\"signature_name\": \"serve_text\", \"instances\": [\"a great film\"]}");
      assertEquals(400, serveText.status(), "a .keras file has no serve_text signature: " + serveText.body());
      assertTrue(serveText.error().contains("not found"), serveText.body());
    }
  }

  private ModelServer serve(String family, boolean batching) throws IOException {
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve(family).resolve("export"), dir.resolve(family + "/1"));
    ServerSettings settings = ServerSettings.defaults().withPort(0);
    if (batching) {
      Path params = dir.resolve("batching.config");
      Files.writeString(params, "max_batch_size { value: 16 }\nbatch_timeout_micros { value: 200000 }\n"
          + "allowed_batch_sizes: 8\nallowed_batch_sizes: 16\n");
      settings = settings.withBatching(ServingConfigFiles.batching(params));
    }
    ModelServer server = ModelServer.start(List.of(ModelSource.of(family, dir.resolve(family))), settings, l -> {});
    new ServeClient(server.port()).awaitReady(Duration.ofSeconds(60));
    return server;
  }

  /** keras.io's end-to-end export: serving_default takes strings and Keras' graph tokenises them. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void servesASavedModelWhoseSignatureTakesStrings(boolean batching) throws IOException {
    JsonObject golden = golden("text");
    String request = instances(golden, "texts");
    float[] expected = goldenProbabilities(golden);
    try (ModelServer server = serve("text", batching)) {
      ServeClient client = new ServeClient(server.port());
      List<CompletableFuture<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        replies.add(client.postAsync("/v1/models/text:predict", request));
      }
      for (CompletableFuture<Reply> r : replies) {
        assertClose(expected, probabilities(r.join()), 1e-5);
      }
      Reply ids = client.post("/v1/models/text:predict", "{\"instances\": [[1, 2, 3]]}");
      assertEquals(400, ids.status(), ids.body());
      assertTrue(ids.error().contains("takes review strings"), ids.body());
    }
  }

  /**
   * TF Serving's every form of a string value, as its clients send them to a [-1, 1] string signature: bare, in a
   * list of one, named by input, columnar, and base64 in {"b64": ...}; all give Keras' answers.
   */
  @Test
  void everyTfServingFormOfAReviewGivesKerasAnswer() throws IOException {
    JsonObject golden = golden("text");
    float[] expected = goldenProbabilities(golden);
    List<String> texts = golden.getAsJsonArray("texts").asList().stream().map(e -> e.getAsString()).toList();
    try (ModelServer server = serve("text", false)) {
      ServeClient client = new ServeClient(server.port());
      String input = client.get("/v1/models/text/metadata").json().getAsJsonObject("metadata")
          .getAsJsonObject("signature_def").getAsJsonObject("signature_def").getAsJsonObject("serving_default")
          .getAsJsonObject("inputs").keySet().iterator().next();
      List<java.util.function.Function<String, String>> forms = List.of(
          t -> quoted(t),
          t -> "[" + quoted(t) + "]",
          t -> "{\"" + input + "\": [" + quoted(t) + "]}",
          t -> "{\"" + input + "\": " + quoted(t) + "}",
          t -> b64(t),
          t -> "[" + b64(t) + "]",
          t -> "{\"" + input + "\": [" + b64(t) + "]}");
      for (var form : forms) {
        String request = "{\"instances\": [" + String.join(", ", texts.stream().map(form).toList()) + "]}";
        assertClose(expected, probabilities(client.post("/v1/models/text:predict", request)), 1e-5);
      }
      String columns = String.join(", ", texts.stream().map(t -> "[" + quoted(t) + "]").toList());
      assertClose(expected, probabilities(client.post("/v1/models/text:predict",
          "{\"inputs\": {\"" + input + "\": [" + columns + "]}}")), 1e-5);
      assertClose(expected, probabilities(client.post("/v1/models/text:predict", "{\"inputs\": [" + columns + "]}")),
          1e-5);
      Reply two = client.post("/v1/models/text:predict", "{\"instances\": [[\"a\", \"b\"]]}");
      assertEquals(400, two.status(), two.body());
      assertTrue(two.error().contains("several strings: expected one review per instance"), two.body());
      Reply bad = client.post("/v1/models/text:predict", "{\"instances\": [{\"b64\": \"not base64!\"}]}");
      assertEquals(400, bad.status(), bad.body());
      assertTrue(bad.error().contains("is not base64"), bad.body());
    }
  }

  /**
   * Every signature of a Keras export answers ("serve" beside "serving_default"), as TF Serving runs them; metadata
   * lists the model's own signatures, TF's init hook included, and not sentigraph's text extension.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void everySignatureOfAnExportAnswersAndMetadataListsTheModelsOwn(boolean batching) throws IOException {
    JsonObject golden = golden("text");
    try (ModelServer server = serve("text", batching)) {
      ServeClient client = new ServeClient(server.port());
      JsonObject request = new JsonObject();
      request.addProperty("signature_name", "serve");
      request.add("instances", golden.getAsJsonArray("texts"));
      assertClose(goldenProbabilities(golden), probabilities(client.post("/v1/models/text:predict",
          request.toString())), 1e-5);
      JsonObject defs = client.get("/v1/models/text/metadata").json().getAsJsonObject("metadata")
          .getAsJsonObject("signature_def").getAsJsonObject("signature_def");
      assertEquals(List.of("__saved_model_init_op", "serve", "serving_default"), List.copyOf(defs.keySet()));
      Reply hook = client.post("/v1/models/text:predict",
          "{\"signature_name\": \"__saved_model_init_op\", \"instances\": [\"a\"]}");
      assertEquals(400, hook.status(), hook.body());
      assertTrue(hook.error().contains("initialisation hook, not a signature to run"), hook.body());
    }
  }

  private static String quoted(String text) {
    return new com.google.gson.JsonPrimitive(text).toString();
  }

  private static String b64(String text) {
    return "{\"b64\": \"" + java.util.Base64.getEncoder().encodeToString(text.getBytes(
        java.nio.charset.StandardCharsets.UTF_8)) + "\"}";
  }

  /** keras.io's Bidirectional LSTM shape: input (None,), rows of any length, padded in front to the longest. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void servesASavedModelOfAnyInputLength(boolean batching) throws IOException {
    JsonObject golden = golden("varlen");
    try (ModelServer server = serve("varlen", batching)) {
      ServeClient client = new ServeClient(server.port());
      assertClose(goldenProbabilities(golden), probabilities(client.post("/v1/models/varlen:predict",
          instances(golden, "rows"))), 1e-5);
    }
  }

  private static JsonObject golden(String family) throws IOException {
    return JsonParser.parseString(Files.readString(ServeClient.SAVEDMODELS.resolve(family).resolve("golden.json")))
        .getAsJsonObject();
  }

  /** A row-format request of the golden file's {@code key} array. */
  private static String instances(JsonObject golden, String key) {
    JsonObject request = new JsonObject();
    request.add("instances", golden.getAsJsonArray(key));
    return request.toString();
  }

  private static float[] goldenProbabilities(JsonObject golden) {
    float[] p = new float[golden.getAsJsonArray("probabilities").size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = golden.getAsJsonArray("probabilities").get(i).getAsFloat();
    }
    return p;
  }
}
