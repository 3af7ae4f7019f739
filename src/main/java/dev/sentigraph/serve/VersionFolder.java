package dev.sentigraph.serve;

import dev.sentigraph.format.ModelFormats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A numeric version folder under a model's base path, and what is in it. Only folders named by digits are
 * versions, so a name from a request never becomes part of a path. A folder counts as ready only when it holds
 * a model ({@link #modelPath()}) and its {@link Fingerprint} has not changed over the settle time: a folder
 * still being copied is never loaded half-way.
 */
record VersionFolder(long version, Path dir) {
  /** What a folder holds: file count, total size and newest modification time (with {@code ls -lR}'s reach). */
  record Fingerprint(long files, long bytes, long newestMillis) {}

  /** The numeric version folders of {@code basePath}, by version; empty when the base path does not exist. */
  static TreeMap<Long, VersionFolder> scan(Path basePath) {
    TreeMap<Long, VersionFolder> out = new TreeMap<>();
    if (!Files.isDirectory(basePath)) {
      return out;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(basePath)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        if (name.matches("\\d{1,18}") && Files.isDirectory(child)) {
          out.put(Long.parseLong(name), new VersionFolder(Long.parseLong(name), child));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The path to load: the folder itself when it is a SavedModel or a run folder, else the one model file in it
   * ({@code .keras}, Keras 2 {@code .h5}); empty while it holds none of these (it may still be arriving).
   */
  Optional<Path> modelPath() {
    return ModelFormats.modelIn(dir);
  }

  /** The folder's current fingerprint; a folder that vanishes or cannot be read mid-walk gives an empty one. */
  Fingerprint fingerprint() {
    long[] acc = new long[3];
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.forEach(p -> {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          acc[0]++;
          acc[1] += a.isRegularFile() ? a.size() : 0;
          acc[2] = Math.max(acc[2], a.lastModifiedTime().toMillis());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      return new Fingerprint(-1, -1, -1);
    }
    return new Fingerprint(acc[0], acc[1], acc[2]);
  }
}
