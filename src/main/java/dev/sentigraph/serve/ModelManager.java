package dev.sentigraph.serve;

import dev.sentigraph.LoadOptions;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.error.InputException;
import dev.sentigraph.format.ModelFormats;
import dev.sentigraph.runtime.NativeMemory;
import dev.sentigraph.savedmodel.ModelProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches each model's base path and keeps the versions its policy asks for loaded, as TensorFlow Serving's
 * file-system source and manager do: a version folder is loaded once it holds a model and has stopped changing,
 * warmed up with one batch (one of each allowed batch size), and only then AVAILABLE (a Keras SavedModel answers
 * from Keras' graph until sentigraph's own, built in the background, takes over); a version leaving the policy is unloaded only after the
 * versions replacing it are AVAILABLE (or have failed, in which case the old one stays); a folder that fails to
 * load is reported in its version's status and tried again only when its content changes.
 */
final class ModelManager implements AutoCloseable {
  /** A probe that has not loaded and run one review by then counts as a bad model. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(120);

  private record Sighting(VersionFolder.Fingerprint fingerprint, long sinceNanos) {}

  /** Replaced whole (never changed in place) when the configuration is reloaded, so readers need no lock. */
  private volatile Map<String, ServedModel> models = new LinkedHashMap<>();
  private final Map<String, Map<Long, Sighting>> sightings = new java.util.concurrent.ConcurrentHashMap<>();
  /** Open once the first scan left no folder settling: every version present at start is loaded or failed. */
  private final CountDownLatch firstScan = new CountDownLatch(1);
  private final ServerSettings settings;
  private final ServeMetrics metrics;
  private final Consumer<String> log;
  /** The models' request loggers, replaced with the models on a config reload. */
  private final RequestLogs requestLogs;
  private final ScheduledThreadPoolExecutor poller = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "version-watcher");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;
  /** {@code --num_load_threads} above 1: the threads scanning and loading models side by side, else null. */
  private final java.util.concurrent.ExecutorService loaders;
  /** Requests answered at the last poll, and when memory was last given back (the poller's own state). */
  private long answeredAtPoll;
  private long answeredAtRelease;

  ModelManager(List<ModelSource> sources, ServerSettings settings, ServeMetrics metrics, Consumer<String> log) {
    Map<String, ServedModel> configured = new LinkedHashMap<>();
    List<ModelSource> wanted = distinct(sources);
    for (ModelSource s : wanted) {
      configured.put(s.name(), new ServedModel(s));
      sightings.put(s.name(), new HashMap<>());
    }
    models = configured;
    this.settings = settings;
    this.metrics = metrics;
    this.log = log;
    requestLogs = new RequestLogs(settings.requestLog(), metrics, log);
    requestLogs.update(wanted);
    poller.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    int threads = settings.loading().threads();
    loaders = threads < 2 ? null : java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "version-loader");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    poller.execute(this::pollAndReschedule);
  }

  private static List<ModelSource> distinct(List<ModelSource> sources) {
    Map<String, ModelSource> byName = new LinkedHashMap<>();
    for (ModelSource s : sources) {
      if (byName.put(s.name(), s) != null) {
        throw new InputException("model name '" + s.name() + "' is configured twice");
      }
    }
    return List.copyOf(byName.values());
  }

  /**
   * Waits until the first scan of every base path has loaded (or failed) each version folder it found, as TF
   * Serving loads its configured models before it opens its ports; false when that took longer than the limit.
   */
  boolean awaitFirstScan(Duration limit) throws InterruptedException {
    return firstScan.await(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * TF Serving's config reload ({@code HandleReloadConfigRequest}, {@code --model_config_file_poll_wait_seconds}):
   * models no longer listed are unloaded, new ones added, the policy and labels of the others replaced and every
   * model's request logging set as the new config says (as TF Serving re-applies {@code logging_config}); then
   * their base paths are scanned and what is there loaded before the returned future completes. Runs on the
   * watcher's thread, so it never races a scan.
   */
  Future<?> reconfigure(List<ModelSource> sources) {
    List<ModelSource> wanted = distinct(sources);
    return poller.submit(() -> {
      Map<String, ServedModel> old = models;
      Map<String, ServedModel> next = new LinkedHashMap<>();
      for (ModelSource s : wanted) {
        ServedModel before = old.get(s.name());
        if (before != null && before.source().basePath().equals(s.basePath())) {
          next.put(s.name(), before.reconfigured(s));
        } else {
          if (before != null) {
            unloadAll(before);
          }
          next.put(s.name(), new ServedModel(s));
          sightings.put(s.name(), new HashMap<>());
        }
      }
      for (ServedModel m : old.values()) {
        if (!next.containsKey(m.name())) {
          unloadAll(m);
          sightings.remove(m.name());
          metrics.availableVersions(m.name(), 0);
        }
      }
      models = next;
      requestLogs.update(wanted);
      log.accept("serve: model config reloaded: " + String.join(", ", next.keySet()));
      pollAll();
      return null;
    });
  }

  private void unloadAll(ServedModel m) {
    for (ServedVersion v : m.listed()) {
      if (v.state() == ServedVersion.State.AVAILABLE) {
        v.unload();
        log.accept("serve: unloaded model " + m.name() + " version " + v.version());
      }
    }
  }

  ServedModel model(String name) {
    return models.get(name);
  }

  RequestLogs requestLogs() {
    return requestLogs;
  }

  Collection<ServedModel> models() {
    return models.values();
  }

  /** Every configured model has an AVAILABLE version. */
  boolean ready() {
    return models.values().stream().allMatch(m -> m.latestAvailable() != null);
  }

  private void pollAndReschedule() {
    boolean pending = pollAll();
    if (!pending) {
      firstScan.countDown();
    }
    releaseMemoryOnceIdle();
    if (!closed) {
      long delay = pending ? Math.max(50, settings.settleMillis() / 4) : settings.pollMillis();
      poller.schedule(this::pollAndReschedule, delay, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * One look at every model's base path; true when some folder is still settling. With {@code --num_load_threads}
   * the models are looked at (and their versions loaded) side by side; each model's own state is touched by its
   * own task only, and this thread waits for all of them.
   */
  private boolean pollAll() {
    List<ServedModel> all = List.copyOf(models.values());
    if (loaders == null || all.size() < 2) {
      boolean pending = false;
      for (ServedModel m : all) {
        pending |= pollSafely(m);
      }
      return pending;
    }
    List<Future<Boolean>> looks = new ArrayList<>();
    for (ServedModel m : all) {
      looks.add(loaders.submit(() -> pollSafely(m)));
    }
    boolean pending = false;
    for (Future<Boolean> look : looks) {
      try {
        pending |= look.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (java.util.concurrent.ExecutionException e) {
        log.accept("serve: a model scan failed: " + e.getCause());
      }
    }
    return pending;
  }

  private boolean pollSafely(ServedModel m) {
    if (closed) {
      return false;
    }
    try {
      return poll(m);
    } catch (RuntimeException e) {
      log.accept("serve: cannot scan " + m.source().basePath() + " for model " + m.name() + ": " + e);
      return false;
    }
  }

  /**
   * The first poll without a request after some gives back what serving grew: the Java heap the requests' JSON
   * took (G1 shrinks it at a full collection) and the native memory TensorFlow's batches freed.
   */
  private void releaseMemoryOnceIdle() {
    long answered = metrics.answered();
    if (answered == answeredAtPoll && answered != answeredAtRelease) {
      System.gc();
      NativeMemory.releaseFreed();
      answeredAtRelease = answered;
    }
    answeredAtPoll = answered;
  }

  /** One look at a model's base path; true when some folder is still settling. */
  private boolean poll(ServedModel m) {
    Map<Long, Sighting> seen = sightings.get(m.name());
    TreeMap<Long, VersionFolder> folders = VersionFolder.scan(m.source().basePath());
    seen.keySet().retainAll(folders.keySet());
    SortedSet<Long> ready = new TreeSet<>();
    Map<Long, VersionFolder> arriving = new HashMap<>();
    boolean pending = false;
    for (VersionFolder f : folders.values()) {
      ServedVersion known = m.versions().get(f.version());
      if (known != null && known.state() == ServedVersion.State.AVAILABLE) {
        ready.add(f.version());
        continue;
      }
      VersionFolder.Fingerprint fp = f.fingerprint();
      if (known != null && !known.errorCode().equals("OK") && known.fingerprint().equals(fp)) {
        continue;
      }
      Sighting s = seen.get(f.version());
      long now = System.nanoTime();
      if (s == null || !s.fingerprint().equals(fp)) {
        s = new Sighting(fp, now);
        seen.put(f.version(), s);
      }
      boolean settled = TimeUnit.NANOSECONDS.toMillis(now - s.sinceNanos()) >= settings.settleMillis()
          || System.currentTimeMillis() - fp.newestMillis() >= settings.settleMillis();
      if (!settled || fp.files() < 0) {
        pending = true;
        continue;
      }
      if (f.modelPath().isEmpty()) {
        reject(m, f, fp, "NOT_FOUND", "version folder " + f.dir() + " holds no model: expected a SavedModel"
            + " (saved_model.pb), a run folder (model.json) or one .keras file");
        continue;
      }
      ready.add(f.version());
      arriving.put(f.version(), f);
    }
    SortedSet<Long> wanted = m.source().policy().choose(ready);
    for (Long v : new TreeSet<>(wanted).descendingSet()) {
      VersionFolder f = arriving.get(v);
      if (f != null && !closed) {
        if (!loadWithRetries(m, f, seen.get(v).fingerprint())) {
          ready.remove(v);
        }
      }
    }
    wanted = m.source().policy().choose(ready);
    for (ServedVersion v : m.listed()) {
      if (v.state() == ServedVersion.State.AVAILABLE && !wanted.contains(v.version())) {
        v.unload();
        log.accept("serve: unloaded model " + m.name() + " version " + v.version());
        NativeMemory.releaseFreed();
      }
    }
    metrics.availableVersions(m.name(), m.availableCount());
    return pending;
  }

  private void reject(ServedModel m, VersionFolder f, VersionFolder.Fingerprint fp, String code, String message) {
    ServedVersion v = new ServedVersion(f.version(), f.dir(), fp);
    v.failed(code, message);
    m.versions().put(f.version(), v);
    log.accept("serve: model " + m.name() + " version " + f.version() + " not loaded: " + message);
  }

  /**
   * TF Serving's {@code --max_num_load_retries} and {@code --load_retry_interval_micros}: a load that failed for a
   * reason other than the model's content (UNKNOWN, not INVALID_ARGUMENT, which would fail the same way again)
   * is tried again after the interval. False when the last try failed.
   */
  private boolean loadWithRetries(ServedModel m, VersionFolder f, VersionFolder.Fingerprint fp) {
    ServerSettings.Loading retries = settings.loading();
    for (int attempt = 0; ; attempt++) {
      if (load(m, f, fp)) {
        return true;
      }
      ServedVersion failed = m.versions().get(f.version());
      if (attempt >= retries.maxRetries() || closed || failed == null || !failed.errorCode().equals("UNKNOWN")) {
        return false;
      }
      log.accept("serve: retrying model " + m.name() + " version " + f.version() + " (retry " + (attempt + 1)
          + " of " + retries.maxRetries() + ")");
      try {
        TimeUnit.MICROSECONDS.sleep(Math.max(0, retries.retryIntervalMicros()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Loads, warms up and publishes one version; false when it failed (reported in its status). */
  private boolean load(ServedModel m, VersionFolder f, VersionFolder.Fingerprint fp) {
    ServedVersion v = new ServedVersion(f.version(), f.dir(), fp);
    v.loading();
    m.versions().put(f.version(), v);
    long begin = System.nanoTime();
    Path path = f.modelPath().orElseThrow();
    SentimentModel model = null;
    try {
      if (settings.probeVersions() && ModelFormats.of(path).runsForeignGraph()) {
        ModelProbe.check(path, settings.loadOptions().signature(), PROBE_TIMEOUT);
      }
      BatchingParameters batching = batching(f, path);
      // one library call per batch: the model's own batch size must not split a server batch
      model = SentimentModel.load(path, batching == null ? settings.loadOptions()
          : settings.loadOptions().withBatchSize(Math.max(batching.maxBatchSize(), LoadOptions.DEFAULT_BATCH_SIZE)));
      List<Integer> warmSizes = batching == null ? List.of(1) : batching.allowedBatchSizes().isEmpty()
          ? List.of(Math.min(batching.maxBatchSize(), 64)) : batching.allowedBatchSizes();
      ServedVersion.warmUp(model, warmSizes);
      if (settings.loading().warmupIterations() > 0) {
        int replayed = WarmupRecords.replay(List.of(path, f.dir()), model, settings.loading().warmupIterations());
        if (replayed > 0) {
          log.accept("serve: model " + m.name() + " version " + f.version() + " warmed up with " + replayed
              + " records of " + WarmupRecords.FILE);
        }
      }
      long version = f.version();
      LoadOptions options = settings.loadOptions();
      v.available(model, Signatures.of(model), key -> SentimentModel.load(path, options.withSignature(key)), m.name(),
          batching,
          (rows, s) -> metrics.batch(m.name(), version, rows, s), depth -> metrics.queueDepth(m.name(), version, depth));
      NativeMemory.releaseFreed();
      log.accept(String.format(Locale.ROOT, "serve: loaded model %s version %d from %s in %.2f s", m.name(),
          f.version(), path, (System.nanoTime() - begin) / 1e9));
      return true;
    } catch (Throwable e) {
      if (model != null) {
        model.close();
      }
      if (e instanceof VirtualMachineError vm && !(e instanceof StackOverflowError)) {
        throw vm;
      }
      String code = e instanceof InputException ? "INVALID_ARGUMENT" : "UNKNOWN";
      String message = e.getMessage() != null ? e.getMessage() : e.toString();
      v.failed(code, message);
      log.accept("serve: model " + m.name() + " version " + f.version() + " failed to load: " + message);
      return false;
    }
  }

  /**
   * The batching of one version: the server's, or with per-model batching its {@code batching_params.pbtxt} (in the
   * SavedModel or version folder, as TF Serving's {@code bundle_factory_util}) with the server's thread count.
   */
  private BatchingParameters batching(VersionFolder f, Path model) {
    BatchingParameters global = settings.batching();
    if (global == null || !settings.loading().perModelBatching()) {
      return global;
    }
    for (Path dir : List.of(model, f.dir())) {
      Path file = dir.resolve("batching_params.pbtxt");
      if (java.nio.file.Files.isRegularFile(file)) {
        BatchingParameters own = ServingConfigFiles.batching(file);
        return new BatchingParameters(own.maxBatchSize(), own.batchTimeoutMicros(), own.maxEnqueuedBatches(),
            global.numBatchThreads(), own.allowedBatchSizes());
      }
    }
    return global;
  }

  /** Stops watching, unloads every version once its requests are done, and closes the request logs. */
  @Override
  public void close() {
    closed = true;
    poller.shutdown();
    if (loaders != null) {
      loaders.shutdown();
    }
    try {
      poller.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ServedModel m : models.values()) {
      for (ServedVersion v : new ArrayList<>(m.listed())) {
        if (v.state() == ServedVersion.State.AVAILABLE) {
          v.unload();
          log.accept("serve: unloaded model " + m.name() + " version " + v.version());
        }
      }
    }
    requestLogs.close();
  }
}
