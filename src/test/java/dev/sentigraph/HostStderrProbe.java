package dev.sentigraph;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A host application in a JVM of its own (run by {@link ProcessWideStateTest}): one thread writes numbered lines
 * to stderr, one a millisecond, for as long as the main thread loads a model and runs its first predictions, then
 * prints on stdout how many it wrote. Every line must arrive: a library that points stderr elsewhere, even for a
 * moment, loses some.
 */
public final class HostStderrProbe {
  private HostStderrProbe() {}

  public static void main(String[] args) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    int[] written = {0};
    Thread writer = new Thread(() -> {
      while (!stop.get()) {
        System.err.println("host line " + written[0]++);
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    writer.start();
    try (SentimentModel model = SentimentModel.load(Path.of(args[0]))) {
      for (int i = 0; i < 3; i++) {
        model.predictTokens(new int[][] {{1, 14, 22, 16}});
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    System.out.println(written[0]);
  }
}
