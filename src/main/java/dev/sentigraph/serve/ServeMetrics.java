package dev.sentigraph.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's Prometheus metrics, in a registry of its own (so several servers in one JVM do not mix): request
 * counts by model, version, API and HTTP status; request latency; batch sizes; queued reviews per version;
 * request log records written and dropped; and TF Serving's own {@code :tensorflow:serving:request_count} and
 * {@code request_latency} ({@link TfServingMetrics}).
 */
final class ServeMetrics implements RequestLogger.Counts {
  private final AtomicLong answered = new AtomicLong();
  private final TfServingMetrics tfServing = new TfServingMetrics();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests = Counter.builder().name("sentigraph_serve_requests")
      .help("REST requests by model, version, API (predict, status, metadata, ...) and HTTP status")
      .labelNames("model", "version", "api", "status").register(registry);
  private final Histogram latency = Histogram.builder().name("sentigraph_serve_request_latency_seconds")
      .help("REST request latency, from the request's arrival to its answer")
      .labelNames("model", "api").classicOnly()
      .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
      .register(registry);
  private final Histogram batchSize = Histogram.builder().name("sentigraph_serve_batch_size")
      .help("Reviews per model call (one call per batch, or per request without batching)")
      .labelNames("model", "version").classicOnly()
      .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
      .register(registry);
  private final Histogram batchSeconds = Histogram.builder().name("sentigraph_serve_batch_run_seconds")
      .help("Time of one model call (a batch, or a request without batching)")
      .labelNames("model", "version").classicOnly()
      .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
      .register(registry);
  private final Gauge queueDepth = Gauge.builder().name("sentigraph_serve_queued_reviews")
      .help("Reviews waiting in a version's batching queue").labelNames("model", "version").register(registry);
  private final Counter logged = Counter.builder().name("sentigraph_serve_request_log_records")
      .help("Requests written to a model's request log (logging_config)").labelNames("model").register(registry);
  private final Counter logDropped = Counter.builder().name("sentigraph_serve_request_log_dropped")
      .help("Sampled requests not written to the request log: queue_full (the writer was behind) or write_failed"
          + " (a full disk, say); the request itself was answered")
      .labelNames("model", "reason").register(registry);
  private final Gauge loads = Gauge.builder().name("sentigraph_serve_available_versions")
      .help("Versions of a model that are AVAILABLE").labelNames("model").register(registry);

  void request(MetricLabels labels, int status, double seconds) {
    answered.incrementAndGet();
    requests.labelValues(labels.model(), labels.version(), labels.api(), Integer.toString(status)).inc();
    latency.labelValues(labels.model(), labels.api()).observe(seconds);
    // TF Serving's API label is the REST verb, empty for status and metadata
    String verb = switch (labels.api()) {
      case "predict", "classify", "regress" -> labels.api();
      default -> "";
    };
    tfServing.request(labels.model(), verb, "REST", TfServingMetrics.codeOf(status), Math.round(seconds * 1e6));
  }

  /** TF Serving's request metrics, which the gRPC API records into directly. */
  TfServingMetrics tfServing() {
    return tfServing;
  }

  /** Requests answered so far, for noticing when the server turns idle. */
  long answered() {
    return answered.get();
  }

  void batch(String model, long version, int rows, double seconds) {
    batchSize.labelValues(model, Long.toString(version)).observe(rows);
    batchSeconds.labelValues(model, Long.toString(version)).observe(seconds);
  }

  void queueDepth(String model, long version, int rows) {
    queueDepth.labelValues(model, Long.toString(version)).set(rows);
  }

  @Override
  public void written(String model) {
    logged.labelValues(model).inc();
  }

  @Override
  public void dropped(String model, RequestLogger.Drop why) {
    logDropped.labelValues(model, why.name().toLowerCase(java.util.Locale.ROOT)).inc();
  }

  void availableVersions(String model, int count) {
    loads.labelValues(model).set(count);
  }

  /** The metrics in Prometheus' text format. */
  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
      out.write(tfServing.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }
}
