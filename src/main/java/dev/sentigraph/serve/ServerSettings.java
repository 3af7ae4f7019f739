package dev.sentigraph.serve;

import dev.sentigraph.LoadOptions;

/**
 * How the server runs; {@link #defaults()} are TensorFlow Serving's where it has one.
 *
 * @param host address to bind (127.0.0.1 unless told otherwise)
 * @param port REST port; 0 picks a free one
 * @param restTimeoutMillis a request still unanswered after this gets 504
 * @param maxBodyBytes larger request bodies get 413
 * @param maxInstances more reviews in one request get 400 (bounds the memory one request takes); TF Serving has
 *     no such cap, so the default is {@link Integer#MAX_VALUE} and the body size is the bound
 * @param idleTimeoutMillis a client that sends nothing for this long is answered 408 and disconnected
 * @param pollMillis how often base paths are scanned for new versions
 * @param settleMillis how long a version folder must stay unchanged before it is loaded
 * @param drainMillis on stop, how long requests in flight may take to finish
 * @param batching dynamic batching parameters, or null to run each request on its own
 * @param metricsPath where Prometheus metrics are served, or null for none
 * @param loadOptions how every version is loaded
 * @param probeVersions load and run each new SavedModel version in a child JVM first ({@code ModelProbe}), so a
 *     model that would abort TensorFlow is refused without taking the server down (2-4 s more per load)
 * @param restThreads the most threads answering REST requests (TF Serving's {@code --rest_api_num_threads})
 * @param cors answer with CORS headers and to preflight requests ({@code --rest_api_enable_cors_support})
 * @param loading how versions are loaded: threads, retries, warm-up records
 * @param grpc the gRPC API beside REST, or null for none
 * @param requestLog how the request logs that models' {@code logging_config} ask for are written
 */
public record ServerSettings(String host, int port, long restTimeoutMillis, long maxBodyBytes, int maxInstances,
    long idleTimeoutMillis, long pollMillis, long settleMillis, long drainMillis, BatchingParameters batching,
    String metricsPath, LoadOptions loadOptions, boolean probeVersions, int restThreads, boolean cors,
    Loading loading, GrpcSettings grpc, RequestLogSettings requestLog) {

  /** Jetty's pool when not told: enough for many clients each waiting on its batch. */
  public static final int DEFAULT_REST_THREADS = 256;

  /**
   * How versions are loaded, with TF Serving's flags for each part.
   *
   * @param threads models whose versions load side by side ({@code --num_load_threads}; 0 or 1: one at a time)
   * @param maxRetries a load that fails for a reason other than the model's content (an I/O error, say) is tried
   *     again up to this many times ({@code --max_num_load_retries})
   * @param retryIntervalMicros the wait before each retry ({@code --load_retry_interval_micros})
   * @param warmupIterations replay each record of a version's {@code assets.extra/tf_serving_warmup_requests} this
   *     many times before it is AVAILABLE ({@code --enable_model_warmup}, {@code --num_request_iterations_for_warmup});
   *     0 to not replay them
   * @param perModelBatching with batching, a version's own {@code batching_params.pbtxt} replaces the batch sizes,
   *     timeout and queue length of the server's ({@code --enable_per_model_batching_parameters}); the thread count
   *     stays the server's, as in TF Serving
   */
  public record Loading(int threads, int maxRetries, long retryIntervalMicros, int warmupIterations,
      boolean perModelBatching) {
    /** sentigraph's library default: one load at a time, no retries, warm-up records replayed once. */
    public static final Loading DEFAULT = new Loading(0, 0, 0, 1, false);

    public Loading withThreads(int n) {
      return new Loading(n, maxRetries, retryIntervalMicros, warmupIterations, perModelBatching);
    }

    public Loading withRetries(int max, long intervalMicros) {
      return new Loading(threads, max, intervalMicros, warmupIterations, perModelBatching);
    }

    public Loading withWarmupIterations(int n) {
      return new Loading(threads, maxRetries, retryIntervalMicros, n, perModelBatching);
    }

    public Loading withPerModelBatching(boolean on) {
      return new Loading(threads, maxRetries, retryIntervalMicros, warmupIterations, on);
    }
  }

  public static ServerSettings defaults() {
    return new ServerSettings("127.0.0.1", 8501, 30_000, 16L << 20, Integer.MAX_VALUE, 30_000, 1_000, 1_000, 30_000,
        null, ModelServer.DEFAULT_METRICS_PATH, LoadOptions.defaults(), false, DEFAULT_REST_THREADS, false,
        Loading.DEFAULT, null, RequestLogSettings.defaults());
  }

  public ServerSettings withHost(String h) {
    return new ServerSettings(h, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions, probeVersions, restThreads, cors, loading, grpc, requestLog);
  }

  public ServerSettings withPort(int p) {
    return new ServerSettings(host, p, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions, probeVersions, restThreads, cors, loading, grpc, requestLog);
  }

  public ServerSettings withRestTimeoutMillis(long t) {
    return new ServerSettings(host, port, t, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions, probeVersions, restThreads, cors, loading, grpc, requestLog);
  }

  public ServerSettings withMaxBodyBytes(long n) {
    return new ServerSettings(host, port, restTimeoutMillis, n, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions, probeVersions, restThreads, cors, loading, grpc, requestLog);
  }

  public ServerSettings withMaxInstances(int n) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, n, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions, probeVersions, restThreads, cors, loading, grpc, requestLog);
  }

  public ServerSettings withIdleTimeoutMillis(long t) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, t, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions, probeVersions, restThreads, cors, loading, grpc, requestLog);
  }

  public ServerSettings withPolling(long pollMs, long settleMs) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMs,
        settleMs, drainMillis, batching, metricsPath, loadOptions, probeVersions, restThreads, cors, loading, grpc, requestLog);
  }

  public ServerSettings withBatching(BatchingParameters b) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, b, metricsPath, loadOptions, probeVersions, restThreads, cors, loading, grpc, requestLog);
  }

  public ServerSettings withMetricsPath(String path) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, path, loadOptions, probeVersions, restThreads, cors, loading, grpc, requestLog);
  }

  public ServerSettings withLoadOptions(LoadOptions o) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, o, probeVersions, restThreads, cors, loading, grpc, requestLog);
  }

  public ServerSettings withProbeVersions(boolean probe) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions, probe, restThreads, cors, loading, grpc, requestLog);
  }

  public ServerSettings withRestThreads(int n) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions, probeVersions, n, cors, loading, grpc, requestLog);
  }

  public ServerSettings withCors(boolean on) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions, probeVersions, restThreads, on, loading, grpc, requestLog);
  }

  public ServerSettings withLoading(Loading r) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions, probeVersions, restThreads, cors, r, grpc, requestLog);
  }

  public ServerSettings withGrpc(GrpcSettings g) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions, probeVersions, restThreads, cors, loading, g, requestLog);
  }

  public ServerSettings withRequestLog(RequestLogSettings r) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions, probeVersions, restThreads, cors, loading, grpc, r);
  }
}
