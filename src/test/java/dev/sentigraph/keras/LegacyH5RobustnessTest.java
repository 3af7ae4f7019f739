package dev.sentigraph.keras;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.error.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Legacy .h5 files from strangers: flipped or cut bytes give a model or one InputException naming the file. */
class LegacyH5RobustnessTest {
  private static final Path FILE = Path.of("savedmodels/legacy/cudnn_gru.h5");

  private static void readOrRefuse(byte[] bytes) throws Exception {
    Path f = Files.createTempFile("model", ".h5");
    try {
      Files.write(f, bytes);
      try {
        LegacyH5Reader.read(f);
      } catch (InputException e) {
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().lines().count() == 1, e.getMessage());
      }
    } finally {
      Files.delete(f);
    }
  }

  @Property(tries = 40)
  void flippedBytes(@ForAll long seed) throws Exception {
    byte[] h5 = Files.readAllBytes(FILE);
    Random r = new Random(seed);
    for (int n = 1 + r.nextInt(6); n > 0; n--) {
      h5[r.nextInt(h5.length)] = (byte) r.nextInt(256);
    }
    readOrRefuse(h5);
  }

  @Property(tries = 40)
  void cutFiles(@ForAll @IntRange(min = 1, max = 40_000) int cut) throws Exception {
    byte[] h5 = Files.readAllBytes(FILE);
    readOrRefuse(Arrays.copyOf(h5, h5.length - 1 - cut % (h5.length - 1)));
  }
}
