package dev.sentigraph.format;

import dev.sentigraph.model.ExecutionOptions;
import dev.sentigraph.model.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A SavedModel folder ({@code saved_model.pb}): Keras' exports of every style, and sentigraph's own. */
final class SavedModelFormat implements ModelFormat {
  @Override
  public String description() {
    return "a SavedModel folder (saved_model.pb)";
  }

  @Override
  public boolean holds(Path path) {
    return Files.isRegularFile(path.resolve("saved_model.pb"));
  }

  /** Null: a SavedModel runs its own graph (sentigraph may rebuild it later, from the loaded variables). */
  @Override
  public TrainedModel readTrained(Path path, String checkpoint, ExecutionOptions options) {
    Checkpoints.refuse(checkpoint, path, "a SavedModel");
    return null;
  }

  @Override
  public Optional<LayerListing> layers(Path path) {
    return Optional.empty();
  }
}
