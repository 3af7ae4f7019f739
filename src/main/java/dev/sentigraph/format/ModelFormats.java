package dev.sentigraph.format;

import dev.sentigraph.error.InputException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kinds of model sentigraph reads, in the order they are asked: the one place that says what a path holds.
 * The library, every CLI command, {@code serve} and the Spark job ask here.
 */
public final class ModelFormats {
  private static final List<ModelFormat> ALL = List.of(new RunFolderFormat(), new SavedModelFormat(),
      new KerasArchiveFormat(), new Hdf5ModelFormat());

  private ModelFormats() {}

  /**
   * The kind {@code path} holds, by content; for a file no kind holds (a corrupt or truncated one), the kind its
   * name claims, whose reader then says what is wrong. Empty when neither.
   */
  public static Optional<ModelFormat> find(Path path) {
    Optional<ModelFormat> byContent = ALL.stream().filter(f -> f.holds(path)).findFirst();
    return byContent.isPresent() ? byContent : ALL.stream().filter(f -> f.named(path)).findFirst();
  }

  /** The kind {@code path} holds, or one line naming every kind sentigraph reads. */
  public static ModelFormat of(Path path) {
    return find(path).orElseThrow(() -> new InputException("model " + path + " is not a model sentigraph"
        + " can load: expected " + expected()));
  }

  /** Every kind, as a message lists them. */
  public static String expected() {
    List<String> all = ALL.stream().map(ModelFormat::description).toList();
    return all.subList(0, all.size() - 1).stream().collect(Collectors.joining(", ")) + " or " + all.get(all.size() - 1);
  }

  /**
   * The model a folder stands for (a serving version folder): the folder itself when it holds one, else the one
   * file in it that holds a model; empty while it holds none, or several.
   */
  public static Optional<Path> modelIn(Path folder) {
    if (ALL.stream().anyMatch(f -> f.holds(folder))) {
      return Optional.of(folder);
    }
    List<Path> models = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(folder, Files::isRegularFile)) {
      for (Path child : children) {
        if (ALL.stream().anyMatch(f -> f.holds(child))) {
          models.add(child);
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return models.size() == 1 ? Optional.of(models.get(0)) : Optional.empty();
  }
}
