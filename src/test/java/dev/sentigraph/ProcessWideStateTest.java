package dev.sentigraph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a process keeps of sentigraph, each in a JVM of its own: the library leaves the host's stderr alone
 * (no line of another thread is lost while a model loads and runs), and the CLI keeps TensorFlow's native log
 * lines off its stderr unless asked for them.
 */
class ProcessWideStateTest {
  private static final Path MODEL = Path.of("savedmodels/lstm/model.keras");

  @Test
  void libraryLosesNoLineAHostWritesToStderr(@TempDir Path tmp) throws Exception {
    Child c = run(tmp, List.of(HostStderrProbe.class.getName(), MODEL.toString()));
    assertEquals(0, c.exit(), c.err());
    long arrived = c.err().lines().filter(l -> l.startsWith("host line ")).count();
    assertEquals(Long.parseLong(c.out().strip()), arrived, "lines lost from the host's stderr");
    // and TF's native lines, which the library does not silence, reach it too
    assertTrue(c.err().contains("MLIR V1 optimization pass is not enabled"), c.err());
  }

  @Test
  void cliKeepsNativeLogLinesOffStderrUnlessVerbose(@TempDir Path tmp) throws Exception {
    List<String> predict = List.of("dev.sentigraph.cli.Main", "predict", "--model", MODEL.toString(), "--word-index",
        "src/test/resources/fixtures/tiny_imdb/imdb_word_index.json", "--text", "A moving film.");
    Child quiet = run(tmp, predict);
    assertEquals(0, quiet.exit(), quiet.err());
    assertFalse(quiet.err().contains("absl") || quiet.err().contains("MLIR") || quiet.err().contains("oneDNN"),
        quiet.err());
    List<String> verbose = new ArrayList<>(predict);
    verbose.add("--verbose");
    Child loud = run(tmp, verbose);
    assertEquals(0, loud.exit(), loud.err());
    assertTrue(loud.err().contains("MLIR V1 optimization pass is not enabled"), loud.err());
  }

  private record Child(int exit, String out, String err) {}

  private static Child run(Path tmp, List<String> mainAndArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path")));
    cmd.addAll(mainAndArgs);
    File stdout = Files.createTempFile(tmp, "out", ".txt").toFile();
    File stderr = Files.createTempFile(tmp, "err", ".txt").toFile();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout).redirectError(stderr);
    pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
    pb.environment().remove("SENTIGRAPH_TF_LOGS");
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not finish: " + mainAndArgs);
    }
    return new Child(p.exitValue(), Files.readString(stdout.toPath()), Files.readString(stderr.toPath()));
  }
}
