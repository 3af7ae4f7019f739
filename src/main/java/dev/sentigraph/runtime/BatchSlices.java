package dev.sentigraph.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one batch as slices side by side: the calling thread runs the first slice and threads of this class the
 * others, each a {@code Session.run} of its own rows whose ops all run in that thread ({@link
 * SessionSettings#serving}). The threads are daemons, made when slices wait and ended after a minute idle.
 */
final class BatchSlices {
  /** Fewer rows than this per slice and the per-run overhead outweighs the second core. */
  private static final int MIN_ROWS = 8;
  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
  private static final ExecutorService THREADS = Executors.newCachedThreadPool(task -> {
    Thread t = new Thread(task, "sentigraph-slice-" + THREAD_NUMBER.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  /** One slice's run: rows {@code [from, from + rows)} of the batch, answered {@code width} floats per row. */
  @FunctionalInterface
  interface SliceRun {
    float[] run(int from, int rows);
  }

  private BatchSlices() {}

  /** The answers of {@code rows} rows, {@code width} floats each, in at most {@code slices} runs at once. */
  static float[] run(int rows, int width, int slices, SliceRun run) {
    int parts = Math.max(1, Math.min(slices, rows / MIN_ROWS));
    if (parts == 1) {
      return run.run(0, rows);
    }
    List<CompletableFuture<float[]>> others = new ArrayList<>();
    int share = rows / parts;
    for (int k = 1; k < parts; k++) {
      int from = share * k;
      int count = k == parts - 1 ? rows - from : share;
      others.add(CompletableFuture.supplyAsync(() -> run.run(from, count), THREADS));
    }
    float[] out = new float[rows * width];
    RuntimeException failure = null;
    try {
      System.arraycopy(run.run(0, share), 0, out, 0, share * width);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (int k = 1; k < parts; k++) {
      try {
        float[] part = others.get(k - 1).join(); // waits for every slice, so none outlives the call
        System.arraycopy(part, 0, out, share * k * width, part.length);
      } catch (CompletionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return out;
  }
}
