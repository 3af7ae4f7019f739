package dev.sentigraph.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * TF Serving's {@code --model_config_file_poll_wait_seconds}: rereads the {@code ModelServerConfig} file at that
 * interval and, when its text changed, applies it as a config reload. A file that does not parse is reported and
 * the models keep being served as before.
 */
public final class ConfigFileWatcher implements AutoCloseable {
  /** Applies a new list of models (the server's reload). */
  public interface Reload {
    void apply(List<ModelSource> models) throws InterruptedException;
  }

  private final ScheduledExecutorService timer;

  private ConfigFileWatcher(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  public static ConfigFileWatcher start(Path file, long intervalMillis, Reload reload, Consumer<String> log) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "model-config-watcher");
      t.setDaemon(true);
      return t;
    });
    String[] last = {read(file)};
    timer.scheduleWithFixedDelay(() -> {
      String text = read(file);
      if (text == null || text.equals(last[0])) {
        return;
      }
      last[0] = text;
      try {
        reload.apply(ServingConfigFiles.models(file));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.accept("serve: " + file + " changed but was not applied: " + e.getMessage());
      }
    }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    return new ConfigFileWatcher(timer);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
