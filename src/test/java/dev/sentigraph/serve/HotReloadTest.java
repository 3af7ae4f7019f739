package dev.sentigraph.serve;

import static dev.sentigraph.serve.ServeClient.assertClose;
import static dev.sentigraph.serve.ServeClient.probabilities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import dev.sentigraph.TestFolders;
import dev.sentigraph.serve.ServeClient.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions copied into a base path while the server runs. */
class HotReloadTest {
  @TempDir Path base;

  @Test
  void picksUpNewVersionsOnlyOnceCompleteAndUnloadsTheOldOneAfterTheNewAnswers() throws IOException {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    ServerSettings settings = ServerSettings.defaults().withPort(0).withPolling(100, 1500);
    try (ModelServer server = ModelServer.start(List.of(ModelSource.of("imdb", base)), settings, log::add)) {
      ServeClient client = new ServeClient(server.port());
      assertEquals(200, client.get("/healthz").status(), "alive before any model");
      assertEquals(503, client.get("/readyz").status());
      assertEquals(404, client.get("/v1/models/imdb").status());

      // version 1 arrives file by file, with pauses shorter than the settle time: never loaded half-way
      Path from = ServeClient.SAVEDMODELS.resolve("lstm/export");
      Path v1 = base.resolve("1");
      List<Path> files;
      try (Stream<Path> walk = Files.walk(from)) {
        files = walk.filter(Files::isRegularFile).sorted((a, b) -> a.endsWith("saved_model.pb") ? -1 : 1).toList();
      }
      for (Path f : files) {
        Path target = v1.resolve(from.relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target);
        ServeClient.sleep(200);
        assertFalse(server.ready(), "loaded while still being copied");
      }
      client.awaitReady(Duration.ofSeconds(60));
      assertTrue(log.stream().noneMatch(l -> l.contains("failed")), log.toString());
      Golden lstm = Golden.of("lstm");
      assertClose(lstm.probabilities(), probabilities(client.post("/v1/models/imdb:predict", lstm.instances())), 1e-5);

      // version 2 (another model) copied in whole: served, and version 1 unloaded after it
      Path staging = base.resolve("incoming");
      TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("gru/export"), staging);
      Files.move(staging, base.resolve("2"));
      long complete = System.nanoTime();
      Golden gru = Golden.of("gru");
      while (true) {
        JsonObject status = client.get("/v1/models/imdb").json();
        String states = status.toString();
        if (states.contains("\"version\":\"2\",\"state\":\"AVAILABLE\"")) {
          break;
        }
        if (System.nanoTime() - complete > Duration.ofSeconds(30).toNanos()) {
          fail("version 2 not AVAILABLE: " + states + " " + log);
        }
        float[] p = probabilities(client.post("/v1/models/imdb:predict", lstm.instances()));
        assertEquals(lstm.probabilities().length, p.length, "answers continue during the reload");
        ServeClient.sleep(20);
      }
      double seconds = (System.nanoTime() - complete) / 1e9;
      System.out.printf("hot reload: version 2 AVAILABLE %.2f s after its folder was complete%n", seconds);
      assertClose(gru.probabilities(), probabilities(client.post("/v1/models/imdb:predict", gru.instances())), 1e-5);
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!client.get("/v1/models/imdb/versions/1").body().contains("\"END\"")) {
        if (System.nanoTime() > end) {
          fail("version 1 not unloaded: " + client.get("/v1/models/imdb").body());
        }
        ServeClient.sleep(20);
      }
      assertEquals(404, client.post("/v1/models/imdb/versions/1:predict", lstm.instances()).status());
      int loaded2 = indexOf(log, "loaded model imdb version 2");
      int unloaded1 = indexOf(log, "unloaded model imdb version 1");
      assertTrue(loaded2 >= 0 && unloaded1 > loaded2, "version 1 unloaded after version 2 loaded: " + log);
    }
  }

  private static int indexOf(List<String> log, String text) {
    synchronized (log) {
      for (int i = 0; i < log.size(); i++) {
        if (log.get(i).contains(text)) {
          return i;
        }
      }
    }
    return -1;
  }

  @Test
  void probedVersionsLoadInAChildJvmFirst() throws IOException {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    ServerSettings settings = ServerSettings.defaults().withPort(0).withPolling(100, 100).withProbeVersions(true);
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("lstm/export"), base.resolve("1"));
    // a folder with a saved_model.pb that is not a SavedModel: refused by the probe, the server stays up
    Files.createDirectories(base.resolve("2"));
    Files.write(base.resolve("2").resolve("saved_model.pb"), new byte[] {8, 1, 18, 3, 1, 2});
    try (ModelServer server = ModelServer.start(List.of(ModelSource.of("imdb", base)), settings, log::add)) {
      ServeClient client = new ServeClient(server.port());
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (log.stream().noneMatch(l -> l.contains("version 2")) && System.nanoTime() < deadline) {
        ServeClient.sleep(200);
      }
      assertTrue(log.stream().anyMatch(l -> l.contains("version 2") && l.contains("failed")), log.toString());
      ServeClient.Reply status = client.get("/v1/models/imdb/versions/2");
      assertTrue(status.body().contains("\"state\":\"END\""), status.body());
      assertEquals(200, client.get("/healthz").status());
    }
  }
}
