package dev.sentigraph.serve;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;

/** One REST request being answered: when it arrived, its path, and what the metrics count it under. */
final class RestCall {
  private final Request request;
  private final long begin = System.nanoTime();
  private MetricLabels labels;

  RestCall(Request request) {
    this.request = request;
  }

  Request request() {
    return request;
  }

  /** The decoded path: model names and labels as the client meant them. */
  String path() {
    return request.getHttpURI().getDecodedPath();
  }

  /**
   * The path matched by the pattern its route is mapped on. Jetty maps requests by the canonical path, where
   * characters such as '?' stay percent-encoded; routes read names from the decoded one, which matches alike.
   */
  Matcher match(Pattern route) {
    Matcher m = route.matcher(path());
    if (!m.matches()) {
      throw new IllegalStateException(path() + " was routed to " + route + ", which it does not match");
    }
    return m;
  }

  /** {@link System#nanoTime()} at its arrival, where its latency and its --rest_api_timeout_in_ms start. */
  long begin() {
    return begin;
  }

  /** Has the answer counted under {@code labels}; a request no route names a model for is not counted. */
  void countAs(MetricLabels labels) {
    this.labels = labels;
  }

  /** Counts the answer in the metrics, with its latency, if a route named the labels. */
  void countAnswer(ServeMetrics metrics, int status) {
    if (labels != null) {
      metrics.request(labels, status, (System.nanoTime() - begin) / 1e9);
    }
  }
}
