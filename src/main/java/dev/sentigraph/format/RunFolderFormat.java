package dev.sentigraph.format;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.keras.KerasFile;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.train.RunFolder;
import dev.sentigraph.train.RunWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A folder {@code sentigraph train} wrote: {@code model.json} and its checkpoints. */
final class RunFolderFormat implements ModelFormat {
  @Override
  public String description() {
    return "a run folder (model.json, checkpoints/)";
  }

  @Override
  public boolean holds(Path path) {
    return Files.isRegularFile(path.resolve("model.json"));
  }

  @Override
  public TrainedModel readTrained(Path path, String checkpoint, ExecutionOptions options) {
    return RunWeights.read(RunFolder.open(path), checkpoint, options);
  }

  @Override
  public Optional<LayerListing> layers(Path path) {
    // its weights are in TF checkpoints, so there are no h5 datasets to show
    RunFolder run = RunFolder.open(path);
    KerasFile file = new KerasFile(run.config(), List.of(), run.dataSettings(), null, null,
        run.textVectorization(run.config()));
    return Optional.of(new LayerListing("Run folder", file, null, List.of()));
  }
}
