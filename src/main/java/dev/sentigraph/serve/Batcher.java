package dev.sentigraph.serve;

import dev.sentigraph.Predictions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Dynamic batching for one model version, as TensorFlow Serving's batching session does it: requests (rows: a
 * review's token ids, or its text for a model that tokenises in its graph) wait in one queue; each of {@code numBatchThreads} threads takes the oldest requests
 * that fit in {@code maxBatchSize} rows, waiting up to {@code batchTimeoutMicros} after the oldest arrived for the
 * batch to fill, runs them as one model call and hands each request its rows of the answer. A request that would
 * need more than {@code maxEnqueuedBatches} queued batches is refused at once ({@link QueueFullException}).
 * Requests larger than a batch are split into batch-sized parts.
 */
final class Batcher<T> implements AutoCloseable {
  /** Runs one batch of rows to one prediction per row. */
  interface Model<T> {
    Predictions predict(List<T> rows);
  }

  /** Told each batch run: its rows and the seconds the model call took. */
  interface BatchListener {
    void ran(int rows, double seconds);
  }

  /** The queue holds as many batches as it may. */
  static final class QueueFullException extends RuntimeException {
    QueueFullException(String message) {
      super(message);
    }
  }

  private record Task<T>(List<T> items, CompletableFuture<Predictions> result, long enqueuedNanos) {
    int rows() {
      return items.size();
    }
  }

  private final Model<T> model;
  /** The empty review that pads a batch up to an allowed batch size. */
  private final T filler;
  private final BatchingParameters params;
  private final BatchListener batches;
  private final IntConsumer queueDepth;
  private final ArrayDeque<Task<T>> queue = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Thread> threads = new ArrayList<>();
  private int queuedRows;
  private boolean closed;

  /**
   * @param filler the empty review that pads a batch up to an allowed batch size
   * @param batches told the row count and run time of every batch
   * @param queueDepth told the number of queued rows whenever it changes
   */
  Batcher(String name, Model<T> model, T filler, BatchingParameters params, BatchListener batches,
      IntConsumer queueDepth) {
    this.model = model;
    this.filler = filler;
    this.params = params;
    this.batches = batches;
    this.queueDepth = queueDepth;
    for (int i = 0; i < params.numBatchThreads(); i++) {
      Thread t = new Thread(this::work, "batch-" + name + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Queues the rows; the future completes with one prediction per row. */
  CompletableFuture<Predictions> submit(List<T> items) {
    int max = params.maxBatchSize();
    int rows = items.size();
    List<Task<T>> tasks = new ArrayList<>();
    for (int start = 0; start < rows; start += max) {
      tasks.add(new Task<>(items.subList(start, Math.min(rows, start + max)), new CompletableFuture<>(),
          System.nanoTime()));
    }
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model version is unloading");
      }
      if (batchesNeeded(queuedRows + rows) > params.maxEnqueuedBatches()) {
        throw new QueueFullException("the batching queue is full (" + queuedRows + " reviews waiting, at most "
            + params.maxEnqueuedBatches() + " batches of " + max + "): try again later");
      }
      queue.addAll(tasks);
      queuedRows += rows;
      queueDepth.accept(queuedRows);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Task<T> t : tasks) {
      t.result().whenComplete((r, e) -> {
        if (gaveUp(e)) {
          withdraw(t);
        }
      });
    }
    if (tasks.size() == 1) {
      return tasks.get(0).result();
    }
    CompletableFuture<Predictions> whole = CompletableFuture.allOf(tasks.stream().map(Task::result)
        .toArray(CompletableFuture[]::new)).thenApply(v -> {
          List<Predictions> parts = tasks.stream().map(t -> t.result().join()).toList();
          return Predictions.concat(parts);
        });
    whole.whenComplete((r, e) -> {
      if (gaveUp(e)) {
        tasks.forEach(t -> t.result().cancel(false));
      }
    });
    return whole;
  }

  /** The caller cancelled the request or its time ran out ({@code orTimeout}) before the batch ran it. */
  private static boolean gaveUp(Throwable e) {
    return e instanceof CancellationException || e instanceof TimeoutException;
  }

  /** A request whose caller gave up (timed out) leaves the queue at once, freeing its place. */
  private void withdraw(Task<T> t) {
    lock.lock();
    try {
      if (queue.remove(t)) {
        queuedRows -= t.rows();
        queueDepth.accept(queuedRows);
      }
    } finally {
      lock.unlock();
    }
  }

  private int batchesNeeded(int rows) {
    return (rows + params.maxBatchSize() - 1) / params.maxBatchSize();
  }

  private void work() {
    while (true) {
      List<Task<T>> batch = nextBatch();
      if (batch == null) {
        return;
      }
      run(batch);
    }
  }

  /** The next batch to run, or null once closed and drained. */
  private List<Task<T>> nextBatch() {
    lock.lock();
    try {
      while (true) {
        dropCancelled();
        if (queue.isEmpty()) {
          if (closed) {
            return null;
          }
          changed.awaitUninterruptibly();
          continue;
        }
        long waitNanos = queue.peekFirst().enqueuedNanos() + TimeUnit.MICROSECONDS.toNanos(params.batchTimeoutMicros())
            - System.nanoTime();
        if (queuedRows < params.maxBatchSize() && waitNanos > 0 && !closed) {
          changed.awaitNanos(waitNanos);
          continue;
        }
        List<Task<T>> batch = new ArrayList<>();
        int rows = 0;
        while (!queue.isEmpty() && rows + queue.peekFirst().rows() <= params.maxBatchSize()) {
          Task<T> t = queue.pollFirst();
          rows += t.rows();
          queuedRows -= t.rows();
          if (!t.result().isDone()) {
            batch.add(t);
          }
        }
        queueDepth.accept(queuedRows);
        if (!batch.isEmpty()) {
          return batch;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Requests completed while queued (cancelled between withdraw checks) are dropped instead of run. */
  private void dropCancelled() {
    while (!queue.isEmpty() && queue.peekFirst().result().isDone()) {
      queuedRows -= queue.pollFirst().rows();
    }
  }

  private void run(List<Task<T>> batch) {
    int rows = batch.stream().mapToInt(Task::rows).sum();
    int padded = params.paddedSize(rows);
    List<T> items = new ArrayList<>(padded);
    for (Task<T> t : batch) {
      items.addAll(t.items());
    }
    while (items.size() < padded) {
      items.add(filler);
    }
    Predictions out;
    long begin = System.nanoTime();
    try {
      out = model.predict(items);
    } catch (RuntimeException | Error e) {
      batch.forEach(t -> t.result().completeExceptionally(e));
      return;
    }
    batches.ran(rows, (System.nanoTime() - begin) / 1e9);
    int row = 0;
    for (Task<T> t : batch) {
      t.result().complete(out.slice(row, row + t.rows()));
      row += t.rows();
    }
  }

  /** Refuses new requests, runs those already queued, and waits for the batch threads to end. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
