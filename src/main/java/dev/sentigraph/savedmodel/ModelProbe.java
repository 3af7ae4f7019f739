package dev.sentigraph.savedmodel;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.error.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Loads a SavedModel and runs one review through it in a child JVM before the caller loads it: {@link GraphValidator}
 * checks what is known to trip TF's fatal checks, but a kernel can still abort the process (a CHECK on a shape, an
 * allocation that cannot succeed), and an abort in the child costs the caller nothing. A server calls this before
 * it swaps in a new version folder; the CLI does with {@code inspect --probe}. Costs one JVM start and a TF load
 * (2-4 s).
 */
public final class ModelProbe {
  /** Exit status of a probe that found bad input (the message is on its stderr). */
  private static final int REFUSED = 2;
  /** Sequence length probed when the signature has none. */
  private static final int PROBE_LENGTH = 8;

  private ModelProbe() {}

  /** Throws InputException unless {@code dir} loads and predicts in a child JVM within {@code timeout}. */
  public static void check(Path dir, String signature, Duration timeout) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ModelProbe.class.getName(), dir.toAbsolutePath().toString()));
    if (signature != null) {
      cmd.add(signature);
    }
    Path log = null;
    try {
      log = Files.createTempFile("sentigraph-probe", ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
        throw new InputException("SavedModel " + dir + " is not a valid model: a probe that loads it and runs"
            + " one review did not finish in " + timeout.toSeconds() + " s");
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      int exit = p.exitValue();
      if (exit == 0) {
        return;
      }
      if (exit == REFUSED && !lines.isEmpty()) {
        throw new InputException(lines.get(lines.size() - 1));
      }
      String reason = lines.stream().filter(l -> l.contains("Check failed") || l.contains("bad_alloc")
          || l.contains("fatal error")).findFirst().orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1)).strip();
      throw new InputException("SavedModel " + dir + " is not a valid model: loading it and running one review"
          + " killed a probe process (exit " + exit + (reason.isEmpty() ? "" : ": " + reason) + ")");
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a probe process for " + dir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing " + dir, e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException e) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /** The child: {@code ModelProbe DIR [SIGNATURE]}; exit 0 when one zero review runs, 2 with the error line if not. */
  public static void main(String[] args) {
    if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
      System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
    }
    try (SavedModelPredictor p = SavedModelPredictor.open(Path.of(args[0]), args.length > 1 ? args[1] : null, null,
        PROBE_LENGTH, ExecutionOptions.DEFAULT)) {
      p.predict(new int[p.seqLen()], 1);
    } catch (InputException e) {
      System.err.println(e.getMessage());
      System.exit(REFUSED);
    }
    System.exit(0);
  }
}
