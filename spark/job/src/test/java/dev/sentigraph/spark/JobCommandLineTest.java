package dev.sentigraph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Both jobs report bad input from any layer, the training core's included, as one line and exit status 2. */
class JobCommandLineTest {
  @Test
  void badInputIsOneLineAndStatusTwo() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      // an unknown preset is refused by the core (train), below the front door, before Spark starts
      assertEquals(JobCommandLine.BAD_INPUT, TrainJob.run("--preset", "no-such-preset"));
      assertEquals(JobCommandLine.BAD_INPUT, ScoreJob.run("--no-such-option"));
    } finally {
      System.setErr(err);
    }
    String lines = captured.toString(StandardCharsets.UTF_8).strip();
    assertEquals(2, lines.lines().count(), lines);
    assertTrue(lines.lines().allMatch(l -> l.startsWith("error: ")), lines);
    assertTrue(lines.contains("no-such-preset"), lines);
  }
}
