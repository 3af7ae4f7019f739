package dev.sentigraph.serve;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;

/**
 * One {@code logging_config}'s logger, as TF Serving's {@code RequestLogger}: each request is sampled with the
 * config's rate, and a sampled one's {@code PredictionLog} is handed to a writer thread through a bounded queue.
 * A request never waits for the disk: when the queue is full or a write fails (a full disk, say) the record is
 * dropped and counted, with one log line when dropping starts and one when writing resumes.
 */
final class RequestLogger implements AutoCloseable {
  /** Why a record was not written, the label of the dropped-records metric. */
  enum Drop { QUEUE_FULL, WRITE_FAILED }

  /** Where records and drops are counted (the server's metrics), by model. */
  interface Counts {
    void written(String model);

    void dropped(String model, Drop why);
  }

  private static final PredictionLog STOP = PredictionLog.getDefaultInstance();

  private final RequestLogConfig config;
  private final BlockingQueue<PredictionLog> queue;
  private final RequestLogFiles files;
  private final Counts counts;
  private final Consumer<String> log;
  private final Thread writer;
  /** The files' name pattern, as log lines give it. */
  private final String name;
  private final AtomicBoolean queueFull = new AtomicBoolean();
  private volatile boolean closed;
  /** The writer thread's own: whether the last write failed. */
  private boolean failing;

  RequestLogger(RequestLogConfig config, RequestLogSettings settings, Counts counts, Consumer<String> log) {
    this.config = config;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.files = new RequestLogFiles(config.filenamePrefix(), settings);
    this.counts = counts;
    this.log = log;
    this.name = RequestLogFiles.pattern(config.filenamePrefix());
    this.writer = new Thread(this::writeUntilClosed, "request-log");
    writer.setDaemon(true);
    writer.start();
  }

  RequestLogConfig config() {
    return config;
  }

  /** Whether to log this request: uniformly at random with the sampling rate, as TF Serving's sampler. */
  boolean sample() {
    double rate = config.samplingRate();
    return rate > 0 && !closed && ThreadLocalRandom.current().nextDouble() < rate;
  }

  /** Queues a record without waiting; a full queue drops it. */
  void offer(PredictionLog record) {
    String model = record.getLogMetadata().getModelSpec().getName();
    if (queue.offer(record)) {
      if (queueFull.compareAndSet(true, false)) {
        log.accept("serve: request log " + name + ": queue has room again");
      }
      return;
    }
    counts.dropped(model, Drop.QUEUE_FULL);
    if (queueFull.compareAndSet(false, true)) {
      log.accept("serve: request log " + name + ": the writer is behind, dropping records while"
          + " its queue is full");
    }
  }

  private void writeUntilClosed() {
    while (true) {
      PredictionLog record;
      try {
        long wait = files.millisUntilStale();
        record = wait < 0 ? queue.take() : queue.poll(wait, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (record == STOP) {
        break;
      }
      if (record == null || files.stale()) {
        finishFile();
      }
      if (record != null) {
        write(record);
      }
    }
    finishFile();
  }

  private void write(PredictionLog record) {
    String model = record.getLogMetadata().getModelSpec().getName();
    try {
      files.write(record.toByteArray());
      counts.written(model);
      if (failing) {
        failing = false;
        log.accept("serve: request log " + name + ": writing again");
      }
    } catch (IOException | RuntimeException e) {
      counts.dropped(model, Drop.WRITE_FAILED);
      if (!failing) {
        failing = true;
        log.accept("serve: request log " + name + ": cannot write (" + e.getMessage()
            + "): dropping records until a write succeeds");
      }
    }
  }

  private void finishFile() {
    try {
      files.finish();
    } catch (IOException | RuntimeException e) {
      log.accept("serve: request log " + name + ": cannot close a log file: " + e.getMessage());
    }
  }

  /** Writes what is queued, closes the open file under its final name, and stops the writer thread. */
  @Override
  public void close() {
    closed = true;
    try {
      queue.put(STOP);
      writer.join();
    } catch (InterruptedException e) {
      writer.interrupt();
      Thread.currentThread().interrupt();
    }
  }
}
