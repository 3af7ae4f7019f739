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

  private final Map<String, ServedModel> models = new LinkedHashMap<>();
  private final Map<String, Map<Long, Sighting>> sightings = new HashMap<>();
  private final ServerSettings settings;
  private final ServeMetrics metrics;
  private final Consumer<String> log;
  private final ScheduledThreadPoolExecutor poller = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "version-watcher");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;
  /** Requests answered at the last poll, and when memory was last given back (the poller's own state). */
  private long answeredAtPoll;
  private long answeredAtRelease;

  ModelManager(List<ModelSource> sources, ServerSettings settings, ServeMetrics metrics, Consumer<String> log) {
    for (ModelSource s : sources) {
      if (models.put(s.name(), new ServedModel(s)) != null) {
        throw new InputException("model name '" + s.name() + "' is configured twice");
      }
      sightings.put(s.name(), new HashMap<>());
    }
    this.settings = settings;
    this.metrics = metrics;
    this.log = log;
    poller.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  void start() {
    poller.execute(this::pollAndReschedule);
  }

  ServedModel model(String name) {
    return models.get(name);
  }

  Collection<ServedModel> models() {
    return models.values();
  }

  /** Every configured model has an AVAILABLE version. */
  boolean ready() {
    return models.values().stream().allMatch(m -> m.latestAvailable() != null);
  }

  private void pollAndReschedule() {
    boolean pending = false;
    for (ServedModel m : models.values()) {
      if (closed) {
        return;
      }
      try {
        pending |= poll(m);
      } catch (RuntimeException e) {
        log.accept("serve: cannot scan " + m.source().basePath() + " for model " + m.name() + ": " + e);
      }
    }
    releaseMemoryOnceIdle();
    if (!closed) {
      long delay = pending ? Math.max(50, settings.settleMillis() / 4) : settings.pollMillis();
      poller.schedule(this::pollAndReschedule, delay, TimeUnit.MILLISECONDS);
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
        if (!load(m, f, seen.get(v).fingerprint())) {
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
      BatchingParameters batching = settings.batching();
      // one library call per batch: the model's own batch size must not split a server batch
      model = SentimentModel.load(path, batching == null ? settings.loadOptions()
          : settings.loadOptions().withBatchSize(Math.max(batching.maxBatchSize(), LoadOptions.DEFAULT_BATCH_SIZE)));
      List<Integer> warmSizes = batching == null ? List.of(1) : batching.allowedBatchSizes().isEmpty()
          ? List.of(Math.min(batching.maxBatchSize(), 64)) : batching.allowedBatchSizes();
      ServedVersion.warmUp(model, warmSizes);
      long version = f.version();
      v.available(model, Signatures.of(model), m.name(), batching,
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

  /** Stops watching and unloads every version once its requests are done. */
  @Override
  public void close() {
    closed = true;
    poller.shutdown();
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
  }
}
