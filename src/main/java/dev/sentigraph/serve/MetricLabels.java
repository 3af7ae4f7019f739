package dev.sentigraph.serve;

/** What the request metrics count a request under: its model, its version ("" until one is chosen) and its API. */
record MetricLabels(String model, String version, String api) {
  MetricLabels withVersion(long chosen) {
    return new MetricLabels(model, Long.toString(chosen), api);
  }
}
