package dev.sentigraph.format;

import dev.sentigraph.error.InputException;
import java.nio.file.Path;

/** Only run folders have checkpoints to choose from. */
final class Checkpoints {
  private Checkpoints() {}

  static void refuse(String checkpoint, Path path, String kind) {
    if (checkpoint != null) {
      throw new InputException("a checkpoint applies to run folders: " + path + " is " + kind, "checkpoint");
    }
  }
}
