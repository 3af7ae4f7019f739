package dev.sentigraph.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The magic bytes a file starts with, which say what it is whatever its name. */
enum FileSignature {
  /** A zip archive (a Keras 3 {@code .keras} file). */
  ZIP(new byte[] {'P', 'K', 3, 4}),
  /** HDF5 (a Keras 2 {@code .h5} model, whatever its extension); without a user block, as Keras writes it. */
  HDF5(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});

  private final byte[] magic;

  FileSignature(byte[] magic) {
    this.magic = magic;
  }

  /** True when {@code path} is a regular file that starts with this signature. */
  boolean startsFile(Path path) {
    if (!Files.isRegularFile(path)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(path)) {
      return Arrays.equals(in.readNBytes(magic.length), magic);
    } catch (IOException e) {
      return false;
    }
  }
}
