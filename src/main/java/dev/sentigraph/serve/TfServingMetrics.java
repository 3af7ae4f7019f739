package dev.sentigraph.serve;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * TensorFlow Serving's own request metrics, under its names, labels and buckets, for dashboards written against it:
 * {@code :tensorflow:serving:request_count{model_name,status}} (every request, by TF's error code name) and
 * {@code :tensorflow:serving:request_latency{model_name,API,entrypoint}} (successful requests, microseconds, TF
 * Serving's 33 buckets of 10 x 1.8^i). Written in TF Serving's exporter format (no {@code _total} suffix, its
 * label and bucket spelling), which the Prometheus client library would not produce.
 */
final class TfServingMetrics {
  static final String REQUEST_COUNT = ":tensorflow:serving:request_count";
  static final String REQUEST_LATENCY = ":tensorflow:serving:request_latency";
  /** TF Serving's {@code monitoring::Buckets::Exponential(10, 1.8, 33)}: 33 limits, the last one open. */
  private static final double[] LIMITS = new double[32];

  static {
    for (int i = 0; i < LIMITS.length; i++) {
      LIMITS[i] = 10 * Math.pow(1.8, i);
    }
  }

  private record CountKey(String model, String status) {}

  private record LatencyKey(String model, String api, String entrypoint) {}

  /** One label set's histogram: per-bucket counts (the last for everything above the limits) and the sum. */
  private static final class Histogram {
    final AtomicLongArray buckets = new AtomicLongArray(LIMITS.length + 1);
    final LongAdder sum = new LongAdder();

    void add(long micros) {
      int i = 0;
      while (i < LIMITS.length && micros >= LIMITS[i]) {
        i++;
      }
      buckets.incrementAndGet(i);
      sum.add(micros);
    }
  }

  private final Map<CountKey, LongAdder> counts = new ConcurrentSkipListMap<>(
      (a, b) -> a.model().equals(b.model()) ? a.status().compareTo(b.status()) : a.model().compareTo(b.model()));
  private final Map<LatencyKey, Histogram> latencies = new ConcurrentHashMap<>();

  /**
   * One answered request, as TF Serving's {@code RecordModelRequestCount} and (when OK) {@code RecordRequestLatency}.
   *
   * @param api TF Serving's API label: the REST verb ({@code predict}, ...; empty for status and metadata) or the
   *     gRPC method ({@code Predict}, ...)
   * @param entrypoint {@code REST} or {@code GRPC}
   * @param status TF's error code name ({@code OK}, {@code INVALID_ARGUMENT}, ...)
   */
  void request(String model, String api, String entrypoint, String status, long micros) {
    counts.computeIfAbsent(new CountKey(model, status), k -> new LongAdder()).increment();
    if (status.equals("OK")) {
      latencies.computeIfAbsent(new LatencyKey(model, api, entrypoint), k -> new Histogram()).add(micros);
    }
  }

  /** TF's error code for an HTTP status, as TF Serving's REST server maps them the other way. */
  static String codeOf(int httpStatus) {
    return switch (httpStatus) {
      case 200 -> "OK";
      case 400, 413 -> "INVALID_ARGUMENT";
      case 404 -> "NOT_FOUND";
      case 408, 504 -> "DEADLINE_EXCEEDED";
      case 409 -> "ALREADY_EXISTS";
      case 503 -> "UNAVAILABLE";
      default -> httpStatus >= 500 ? "INTERNAL" : "UNKNOWN";
    };
  }

  /** The two metrics in TF Serving's exporter's text. */
  byte[] scrape() {
    StringBuilder out = new StringBuilder();
    out.append("# TYPE ").append(REQUEST_COUNT).append(" counter\n");
    counts.forEach((k, n) -> out.append(REQUEST_COUNT).append("{model_name=\"").append(escape(k.model()))
        .append("\",status=\"").append(k.status()).append("\"} ").append(n.sum()).append('\n'));
    out.append("# TYPE ").append(REQUEST_LATENCY).append(" histogram\n");
    latencies.forEach((k, h) -> {
      String labels = "model_name=\"" + escape(k.model()) + "\",API=\"" + escape(k.api()) + "\",entrypoint=\""
          + k.entrypoint() + "\"";
      long cumulative = 0;
      for (int i = 0; i <= LIMITS.length; i++) {
        cumulative += h.buckets.get(i);
        out.append(REQUEST_LATENCY).append("_bucket{").append(labels).append(",le=\"")
            .append(i < LIMITS.length ? sixDigits(LIMITS[i]) : "+Inf").append("\"} ").append(cumulative).append('\n');
      }
      out.append(REQUEST_LATENCY).append("_sum{").append(labels).append("} ").append(h.sum.sum()).append('\n');
      out.append(REQUEST_LATENCY).append("_count{").append(labels).append("} ").append(cumulative).append('\n');
    });
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** absl::StrCat's spelling of a double (six significant digits, as %g). */
  static String sixDigits(double d) {
    BigDecimal b = new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros();
    int exponent = b.precision() - b.scale() - 1;
    if (exponent < -4 || exponent >= 6) {
      String mantissa = b.movePointLeft(exponent).toPlainString();
      return String.format(Locale.ROOT, "%se%s%02d", mantissa, exponent < 0 ? "-" : "+", Math.abs(exponent));
    }
    return b.toPlainString();
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
