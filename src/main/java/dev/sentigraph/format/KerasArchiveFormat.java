package dev.sentigraph.format;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.keras.KerasFile;
import dev.sentigraph.keras.KerasFileReader;
import dev.sentigraph.keras.KerasWeightLayout;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.zip.ZipFile;

/** A Keras 3 {@code model.save("....keras")} file: a zip archive with {@code config.json} and the weights. */
final class KerasArchiveFormat implements ModelFormat {
  @Override
  public String description() {
    return "a .keras file";
  }

  @Override
  public boolean holds(Path path) {
    if (!FileSignature.ZIP.startsFile(path)) {
      return false;
    }
    try (ZipFile zip = new ZipFile(path.toFile())) {
      return zip.getEntry("config.json") != null;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean named(Path path) {
    return path.getFileName() != null && path.getFileName().toString().endsWith(".keras") && !Files.isDirectory(path);
  }

  @Override
  public TrainedModel readTrained(Path path, String checkpoint, ExecutionOptions options) {
    Checkpoints.refuse(checkpoint, path, "a .keras file");
    return KerasFileReader.read(path).toTrainedModel();
  }

  @Override
  public Optional<LayerListing> layers(Path path) {
    KerasFile file = KerasFileReader.read(path);
    List<KerasWeightLayout.Entry> layout = KerasWeightLayout.of(SequentialModel.of(file.config()));
    List<String> sources = new ArrayList<>();
    layout.forEach(entry -> IntStream.range(0, entry.weights().size()).forEach(i -> sources.add(entry.datasetPath(i))));
    return Optional.of(new LayerListing("Keras file", file, sources, List.of()));
  }
}
