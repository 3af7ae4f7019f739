package dev.sentigraph.serve;

import dev.sentigraph.SentimentModel;
import dev.sentigraph.serve.Batcher.BatchListener;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * One version of a served model and its lifecycle, with TensorFlow Serving's state names. Requests hold the
 * version ({@link #acquire()} / {@link #release()}) while they use it, so it closes only after the last one.
 */
final class ServedVersion {
  enum State { START, LOADING, AVAILABLE, UNLOADING, END }

  private final long version;
  private final Path dir;
  private final VersionFolder.Fingerprint fingerprint;
  private State state = State.START;
  private String errorCode = "OK";
  private String errorMessage = "";
  private SentimentModel model;
  private Batcher batcher;
  private int vocabulary;
  private Signatures signatures;
  private BatchListener batches;
  private int inFlight;

  ServedVersion(long version, Path dir, VersionFolder.Fingerprint fingerprint) {
    this.version = version;
    this.dir = dir;
    this.fingerprint = fingerprint;
  }

  long version() {
    return version;
  }

  Path dir() {
    return dir;
  }

  VersionFolder.Fingerprint fingerprint() {
    return fingerprint;
  }

  synchronized State state() {
    return state;
  }

  synchronized String errorCode() {
    return errorCode;
  }

  synchronized String errorMessage() {
    return errorMessage;
  }

  synchronized void loading() {
    state = State.LOADING;
  }

  /** Loaded and warmed up: answers requests from now on. {@code batcher} is null without batching. */
  synchronized void available(SentimentModel model, Signatures signatures, Batcher batcher, int vocabulary,
      BatchListener batches) {
    this.model = model;
    this.signatures = signatures;
    this.batches = batches;
    this.batcher = batcher;
    this.vocabulary = vocabulary;
    state = State.AVAILABLE;
  }

  /** Loading failed: the version stays listed with the error, and is never served. */
  synchronized void failed(String code, String message) {
    state = State.END;
    errorCode = code;
    errorMessage = message;
  }

  /** Takes the version for one request; false when it is not AVAILABLE. */
  synchronized boolean acquire() {
    if (state != State.AVAILABLE) {
      return false;
    }
    inFlight++;
    return true;
  }

  synchronized void release() {
    inFlight--;
    if (inFlight == 0) {
      notifyAll();
    }
  }

  /** The model, for a request that holds the version. */
  synchronized SentimentModel model() {
    return model;
  }

  /** The signatures the version answers to, for a request that holds it. */
  synchronized Signatures signatures() {
    return signatures;
  }

  /** Ids at or above this are outside the model's embedding; 0 when unknown. */
  synchronized int vocabulary() {
    return vocabulary;
  }

  /** Runs padded rows through the batching queue, or directly without batching. */
  CompletableFuture<float[]> predict(int[] tokens, int rows) {
    Batcher b;
    SentimentModel m;
    BatchListener listener;
    synchronized (this) {
      b = batcher;
      m = model;
      listener = batches;
    }
    if (b != null) {
      return b.submit(tokens, rows);
    }
    long begin = System.nanoTime();
    float[] out = m.predict(tokens, rows);
    listener.ran(rows, (System.nanoTime() - begin) / 1e9);
    return CompletableFuture.completedFuture(out);
  }

  /** Stops new requests, waits for those in flight, then frees the model. */
  void unload() {
    SentimentModel m;
    Batcher b;
    synchronized (this) {
      if (state != State.AVAILABLE) {
        return;
      }
      state = State.UNLOADING;
      while (inFlight > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      m = model;
      b = batcher;
      model = null;
      batcher = null;
    }
    if (b != null) {
      b.close();
    }
    m.close();
    synchronized (this) {
      state = State.END;
    }
  }
}
