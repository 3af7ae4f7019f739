package dev.sentigraph.serve;

import dev.sentigraph.Predictions;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.serve.Batcher.BatchListener;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * One version of a served model and its lifecycle, with TensorFlow Serving's state names. Requests hold the
 * version ({@link #acquire()} / {@link #release()}) while they use it, so it closes only after the last one.
 */
final class ServedVersion {
  enum State { START, LOADING, AVAILABLE, UNLOADING, END }

  /** The empty review of each kind: warm-up batches and the padding up to an allowed batch size. */
  private static final String EMPTY_TEXT = "";
  private static final int[] EMPTY_TOKENS = new int[0];

  private final long version;
  private final Path dir;
  private final VersionFolder.Fingerprint fingerprint;
  private State state = State.START;
  private String errorCode = "OK";
  private String errorMessage = "";
  private SentimentModel model;
  /** Opens the version's file at another signature. */
  private Function<String, SentimentModel> opener;
  /** The model at the other signatures requests have named, by key. */
  private final Map<String, SentimentModel> others = new HashMap<>();
  /** With batching, one of these: texts for a model that tokenises in its graph, token rows for the others. */
  private Batcher<int[]> tokenBatcher;
  private Batcher<String> textBatcher;
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

  /**
   * Loaded and warmed up: answers requests from now on.
   *
   * @param modelName names the batch threads
   * @param batching null to run each request on its own
   * @param queueDepth told the queued rows whenever they change (with batching)
   */
  synchronized void available(SentimentModel model, Signatures signatures, Function<String, SentimentModel> opener,
      String modelName, BatchingParameters batching, BatchListener batches, IntConsumer queueDepth) {
    this.model = model;
    this.signatures = signatures;
    this.opener = opener;
    this.batches = batches;
    if (batching != null) {
      String name = modelName + "-" + version;
      if (model.takesText()) {
        textBatcher = new Batcher<>(name, texts -> runTexts(model, texts), EMPTY_TEXT, batching, batches,
            queueDepth);
      } else {
        tokenBatcher = new Batcher<>(name, rows -> runTokens(model, rows), EMPTY_TOKENS, batching, batches,
            queueDepth);
      }
    }
    state = State.AVAILABLE;
  }

  /** One batch of each size, empty reviews through the path requests take, before the version is AVAILABLE. */
  static void warmUp(SentimentModel model, List<Integer> batchSizes) {
    for (int rows : batchSizes) {
      if (model.takesText()) {
        runTexts(model, Collections.nCopies(rows, EMPTY_TEXT));
      } else {
        runTokens(model, Collections.nCopies(rows, EMPTY_TOKENS));
      }
    }
  }

  /** One batch of token rows, each padded as the model's data settings say (any-length: to the longest). */
  private static Predictions runTokens(SentimentModel model, List<int[]> rows) {
    return model.predict(rows.toArray(int[][]::new));
  }

  /** One batch of reviews for a model whose graph tokenises them. */
  private static Predictions runTexts(SentimentModel model, List<String> texts) {
    return model.predict(texts);
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

  /**
   * The model at another of its signatures, for a request that holds the version: its file opened again at that
   * signature on first use (TF Serving runs every signature of a SavedModel), closed with the version.
   */
  synchronized SentimentModel model(String signature) {
    return others.computeIfAbsent(signature, opener);
  }

  /** The signatures the version answers to, for a request that holds it. */
  synchronized Signatures signatures() {
    return signatures;
  }

  /** Runs token rows through the batching queue, or without batching on {@code unqueued}. */
  CompletableFuture<Predictions> predictTokens(List<int[]> rows, Executor unqueued) {
    Batcher<int[]> b;
    SentimentModel m;
    synchronized (this) {
      b = tokenBatcher;
      m = model;
    }
    return b != null ? b.submit(rows) : runAlone(rows.size(), () -> runTokens(m, rows), unqueued);
  }

  /** Runs reviews through the batching queue of a model whose graph tokenises them, or on {@code unqueued}. */
  CompletableFuture<Predictions> predictTexts(List<String> texts, Executor unqueued) {
    Batcher<String> b;
    SentimentModel m;
    synchronized (this) {
      b = textBatcher;
      m = model;
    }
    return b != null ? b.submit(texts) : runAlone(texts.size(), () -> runTexts(m, texts), unqueued);
  }

  private CompletableFuture<Predictions> runAlone(int rows, Supplier<Predictions> call, Executor unqueued) {
    BatchListener listener;
    synchronized (this) {
      listener = batches;
    }
    return CompletableFuture.supplyAsync(() -> {
      long begin = System.nanoTime();
      Predictions out = call.get();
      listener.ran(rows, (System.nanoTime() - begin) / 1e9);
      return out;
    }, unqueued);
  }

  /** Stops new requests, waits for those in flight, then frees the model. */
  void unload() {
    SentimentModel m;
    Batcher<?> b;
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
      b = tokenBatcher != null ? tokenBatcher : textBatcher;
      others.values().forEach(SentimentModel::close);
      others.clear();
      model = null;
      tokenBatcher = null;
      textBatcher = null;
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
