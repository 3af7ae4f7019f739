package dev.sentigraph.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.TestFolders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --num_load_threads}: several models load side by side, and all are AVAILABLE when the ports open. */
class ParallelLoadTest {
  @TempDir Path dir;

  @Test
  void modelsLoadSideBySideBeforeThePortsOpen() throws Exception {
    List<ModelSource> sources = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("lstm/export"), dir.resolve(name).resolve("1"));
      sources.add(ModelSource.of(name, dir.resolve(name)));
    }
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    try (ModelServer s = ModelServer.start(sources, ServerSettings.defaults().withPort(0)
        .withLoading(ServerSettings.Loading.DEFAULT.withThreads(3)), log::add)) {
      ServeClient client = new ServeClient(s.port());
      assertEquals(200, client.get("/readyz").status(), log.toString());
      for (String name : List.of("a", "b", "c")) {
        assertEquals(200, client.post("/v1/models/" + name + ":predict", ServeClient.Golden.of("lstm").instances())
            .status());
      }
      assertTrue(log.stream().filter(l -> l.contains("loaded model")).count() == 3, log.toString());
    }
  }
}
