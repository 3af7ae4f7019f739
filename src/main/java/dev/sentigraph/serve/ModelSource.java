package dev.sentigraph.serve;

import java.nio.file.Path;
import java.util.Map;

/**
 * One model the server serves: its name in URLs, the base path holding numeric version folders, which versions
 * to serve, the version labels ({@code stable -> 2}) and how its requests are logged (null: not logged). Model
 * names and labels are only ever map keys, never parts of a file path, so a request cannot reach outside the base
 * path.
 */
public record ModelSource(String name, Path basePath, VersionPolicy policy, Map<String, Long> labels,
    RequestLogConfig requestLog) {
  public ModelSource {
    labels = Map.copyOf(labels);
  }

  /** A model whose requests are not logged. */
  public ModelSource(String name, Path basePath, VersionPolicy policy, Map<String, Long> labels) {
    this(name, basePath, policy, labels, null);
  }

  /** {@code --model_name} and {@code --model_base_path}: the latest version, no labels. */
  public static ModelSource of(String name, Path basePath) {
    return new ModelSource(name, basePath, VersionPolicy.latest(), Map.of());
  }
}
