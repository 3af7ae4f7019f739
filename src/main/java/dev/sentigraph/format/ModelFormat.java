package dev.sentigraph.format;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.model.TrainedModel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One kind of model on disk (DJL's {@code ModelLoader} is the shape to learn from): it knows its own kind by
 * content and reads it. {@link ModelFormats} holds the ordered list every door asks; adding a kind is one class
 * and one line there.
 */
public interface ModelFormat {
  /** This kind as messages list it, e.g. "a .keras file". */
  String description();

  /** True when {@code path} holds this kind, judged by content (signatures, marker files), never by name alone. */
  boolean holds(Path path);

  /**
   * True when {@code path}'s name is this kind's (its extension): for a file no kind holds, the kind whose reader
   * explains what is wrong with it. Folder kinds have no name to claim.
   */
  default boolean named(Path path) {
    return false;
  }

  /**
   * Whether opening this kind runs TensorFlow ops the file brings (a SavedModel's graph) rather than a graph
   * sentigraph builds: such a graph may abort the process, so a server tries it in a child JVM first.
   */
  default boolean runsForeignGraph() {
    return false;
  }

  /**
   * The model's config and weights, which sentigraph's own graph runs; null for a kind that runs its own graph
   * (a SavedModel). {@code checkpoint} picks a run folder's checkpoint and is refused by every other kind.
   */
  TrainedModel readTrained(Path path, String checkpoint, ExecutionOptions options);

  /**
   * Opens {@code path} for scoring: its engine, input, outputs and data settings. By default sentigraph's own
   * graph runs the config and weights {@link #readTrained} gives.
   */
  default OpenedModel open(Path path, OpenRequest request) {
    return OpenedModel.ofTrained(path, readTrained(path, request.checkpoint(), request.execution()), request);
  }

  /** The model's layers with where each weight came from, for {@code inspect}; empty where there is no layer list. */
  Optional<LayerListing> layers(Path path);
}
