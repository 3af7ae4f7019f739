package dev.sentigraph.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model_config_file_poll_wait_seconds}: a changed config file is applied, a broken one reported and skipped. */
class ConfigFileWatcherTest {
  @TempDir Path dir;

  private static String config(String... names) {
    StringBuilder b = new StringBuilder("model_config_list {\n");
    for (String n : names) {
      b.append("  config { name: \"").append(n).append("\" base_path: \"/models/").append(n).append("\" }\n");
    }
    return b.append("}\n").toString();
  }

  @Test
  void appliesEachChangeOnceAndSkipsABrokenFile() throws Exception {
    Path file = dir.resolve("models.config");
    Files.writeString(file, config("a"));
    LinkedBlockingQueue<List<String>> applied = new LinkedBlockingQueue<>();
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    try (ConfigFileWatcher w = ConfigFileWatcher.start(file, 50,
        models -> applied.add(models.stream().map(ModelSource::name).toList()), log::add)) {
      Thread.sleep(200);
      assertTrue(applied.isEmpty(), "the file read at start is not applied again: " + applied);
      Files.writeString(file, config("a", "b"));
      assertEquals(List.of("a", "b"), applied.poll(10, TimeUnit.SECONDS));
      Files.writeString(file, "model_config_list { config { name: ");
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (log.isEmpty() && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertTrue(log.get(0).contains("not applied"), log.toString());
      Files.writeString(file, config("c"));
      assertEquals(List.of("c"), applied.poll(10, TimeUnit.SECONDS));
      Thread.sleep(200);
      assertTrue(applied.isEmpty(), "an unchanged file is not applied again: " + applied);
    }
  }
}
