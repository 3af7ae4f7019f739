package dev.sentigraph.serve;

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

  /** {@link System#nanoTime()} at its arrival, where its latency and its --rest_api_timeout_in_ms start. */
  long begin() {
    return begin;
  }

  /** Has the answer counted under {@code labels}; a request no route names a model for is not counted. */
  void countAs(MetricLabels labels) {
    this.labels = labels;
  }

  void countAnswer(ServeMetrics metrics, int status) {
    if (labels != null) {
      metrics.request(labels, status, (System.nanoTime() - begin) / 1e9);
    }
  }
}
