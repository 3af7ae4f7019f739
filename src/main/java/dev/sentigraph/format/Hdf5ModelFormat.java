package dev.sentigraph.format;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.keras.LegacyH5Reader;
import dev.sentigraph.model.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A Keras 2 {@code model.save()} HDF5 file, whatever it is called: {@code .h5}, {@code .hdf5}, and {@code .keras},
 * which Keras 2 also wrote as HDF5.
 */
final class Hdf5ModelFormat implements ModelFormat {
  @Override
  public String description() {
    return "a Keras .h5 file";
  }

  @Override
  public boolean holds(Path path) {
    return FileSignature.HDF5.startsFile(path);
  }

  @Override
  public boolean named(Path path) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    return (name.endsWith(".h5") || name.endsWith(".hdf5")) && !Files.isDirectory(path);
  }

  @Override
  public TrainedModel readTrained(Path path, String checkpoint, ExecutionOptions options) {
    Checkpoints.refuse(checkpoint, path, "an .h5 file");
    return LegacyH5Reader.read(path).toTrainedModel();
  }

  @Override
  public Optional<LayerListing> layers(Path path) {
    LegacyH5Reader.Contents contents = LegacyH5Reader.readContents(path);
    // jhdf's paths start at the root, "/model_weights/...": shown relative, as h5py and the .keras paths are
    List<String> sources = contents.sources().stream().map(w -> w.datasetPath().replaceFirst("^/", "")).toList();
    List<Boolean> cudnn = contents.sources().stream().map(LegacyH5Reader.WeightSource::fromCudnn).toList();
    return Optional.of(new LayerListing("Keras .h5 file", contents.file(), sources, cudnn));
  }
}
