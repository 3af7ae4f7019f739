package dev.sentigraph.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import dev.sentigraph.TestFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --enable_per_model_batching_parameters}: a version's {@code batching_params.pbtxt} sets its batch size,
 * so a request of 10 reviews runs as batches of at most 4 there while the server's batches hold 256.
 */
class PerModelBatchingTest {
  @TempDir Path dir;

  private static long batches(ServeClient client, String model) {
    String metrics = client.get(ModelServer.DEFAULT_METRICS_PATH).body();
    Matcher m = Pattern.compile("sentigraph_serve_batch_size_count\\{model=\"" + model + "\",version=\"1\"} (\\d+)")
        .matcher(metrics);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void aVersionsOwnBatchingParametersWin() throws Exception {
    for (String name : List.of("own", "global")) {
      TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("lstm/export"), dir.resolve(name).resolve("1"));
    }
    Files.writeString(dir.resolve("own/1/batching_params.pbtxt"), "max_batch_size { value: 4 }\n"
        + "allowed_batch_sizes: 2\nallowed_batch_sizes: 4\n");
    ServerSettings settings = ServerSettings.defaults().withPort(0).withBatching(BatchingParameters.defaults())
        .withLoading(ServerSettings.Loading.DEFAULT.withPerModelBatching(true));
    try (ModelServer s = ModelServer.start(List.of(ModelSource.of("own", dir.resolve("own")),
        ModelSource.of("global", dir.resolve("global"))), settings, line -> { })) {
      ServeClient client = new ServeClient(s.port());
      JsonArray rows = new JsonArray();
      for (int i = 0; i < 10; i++) {
        rows.add(ServeClient.Golden.of("lstm").tokens().get(i % 6));
      }
      for (String name : List.of("own", "global")) {
        ServeClient.Reply r = client.post("/v1/models/" + name + ":predict", "{\"instances\": " + rows + "}");
        assertEquals(10, ServeClient.probabilities(r).length);
      }
      assertTrue(batches(client, "own") >= 3, "10 reviews in batches of at most 4: " + batches(client, "own"));
      assertEquals(1, batches(client, "global"));
    }
  }
}
