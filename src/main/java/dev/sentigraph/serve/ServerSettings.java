package dev.sentigraph.serve;

import dev.sentigraph.LoadOptions;

/**
 * How the server runs; {@link #defaults()} are TensorFlow Serving's where it has one.
 *
 * @param host address to bind (127.0.0.1 unless told otherwise)
 * @param port REST port; 0 picks a free one
 * @param restTimeoutMillis a request still unanswered after this gets 504
 * @param maxBodyBytes larger request bodies get 413
 * @param maxInstances more reviews in one request get 400 (bounds the memory one request takes)
 * @param idleTimeoutMillis a client that sends nothing for this long is answered 408 and disconnected
 * @param pollMillis how often base paths are scanned for new versions
 * @param settleMillis how long a version folder must stay unchanged before it is loaded
 * @param drainMillis on stop, how long requests in flight may take to finish
 * @param batching dynamic batching parameters, or null to run each request on its own
 * @param metricsPath where Prometheus metrics are served, or null for none
 * @param loadOptions how every version is loaded
 */
public record ServerSettings(String host, int port, long restTimeoutMillis, long maxBodyBytes, int maxInstances,
    long idleTimeoutMillis, long pollMillis, long settleMillis, long drainMillis, BatchingParameters batching,
    String metricsPath, LoadOptions loadOptions) {

  public static ServerSettings defaults() {
    return new ServerSettings("127.0.0.1", 8501, 30_000, 16L << 20, 16_384, 30_000, 1_000, 1_000, 30_000, null,
        ModelServer.DEFAULT_METRICS_PATH, LoadOptions.defaults());
  }

  public ServerSettings withHost(String h) {
    return new ServerSettings(h, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions);
  }

  public ServerSettings withPort(int p) {
    return new ServerSettings(host, p, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions);
  }

  public ServerSettings withRestTimeoutMillis(long t) {
    return new ServerSettings(host, port, t, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions);
  }

  public ServerSettings withMaxBodyBytes(long n) {
    return new ServerSettings(host, port, restTimeoutMillis, n, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions);
  }

  public ServerSettings withIdleTimeoutMillis(long t) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, t, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, loadOptions);
  }

  public ServerSettings withPolling(long pollMs, long settleMs) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMs,
        settleMs, drainMillis, batching, metricsPath, loadOptions);
  }

  public ServerSettings withBatching(BatchingParameters b) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, b, metricsPath, loadOptions);
  }

  public ServerSettings withMetricsPath(String path) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, path, loadOptions);
  }

  public ServerSettings withLoadOptions(LoadOptions o) {
    return new ServerSettings(host, port, restTimeoutMillis, maxBodyBytes, maxInstances, idleTimeoutMillis, pollMillis,
        settleMillis, drainMillis, batching, metricsPath, o);
  }
}
