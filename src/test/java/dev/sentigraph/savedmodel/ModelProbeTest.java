package dev.sentigraph.savedmodel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.error.InputException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The child-process probe: a good model passes, a bad one is refused with the child's words, a stuck one times out. */
class ModelProbeTest {
  @Test
  void aKerasExportPasses() {
    assertDoesNotThrow(() -> ModelProbe.check(Path.of("savedmodels/mean/export"), null, Duration.ofMinutes(2)));
  }

  @Test
  void theConstDtypeModelIsRefusedWithTheChildsMessage() {
    Path dir = Path.of("src/test/resources/fuzz/savedmodel-const-dtype-mismatch/model");
    var e = assertThrows(InputException.class, () -> ModelProbe.check(dir, null, Duration.ofMinutes(2)));
    assertTrue(e.getMessage().contains("declares dtype DT_FLOAT but its tensor holds DT_INT64"), e.getMessage());
  }

  @Test
  void aProbeThatDoesNotFinishIsRefused() {
    var e = assertThrows(InputException.class,
        () -> ModelProbe.check(Path.of("savedmodels/mean/export"), null, Duration.ofMillis(1)));
    assertTrue(e.getMessage().endsWith("did not finish in 0 s"), e.getMessage());
  }
}
