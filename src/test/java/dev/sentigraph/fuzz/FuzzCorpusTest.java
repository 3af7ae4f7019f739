package dev.sentigraph.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.TestFolders;
import dev.sentigraph.cli.Cli;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the reproducers that fuzzing found (src/test/resources/fuzz/NAME/case.json plus its files): each must end
 * as an issue-17-clean run, one {@code error:} line and exit 2 for bad input, or exit 0 with one record per line for
 * input that is fine. Most run in-process through the CLI with captured output; SavedModel cases run as a
 * subprocess, because a graph that slipped past validation would abort the JVM that runs it.
 */
class FuzzCorpusTest {
  private static final Path CORPUS = Path.of("src/test/resources/fuzz");

  static Stream<String> cases() throws Exception {
    try (Stream<Path> s = Files.list(CORPUS)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void reproducerEndsCleanly(String name, @TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve(name);
    TestFolders.copyTree(CORPUS.resolve(name), dir);
    JsonObject meta = JsonParser.parseString(Files.readString(dir.resolve("case.json"))).getAsJsonObject();
    List<String> args = new ArrayList<>();
    meta.getAsJsonArray("args").forEach(a -> args.add(a.getAsString()));
    FuzzCase c = new FuzzCase(meta.get("kind").getAsString(), meta.get("mutation").getAsString(), args,
        meta.get("must_refuse").getAsBoolean(), meta.has("expected_lines") ? meta.get("expected_lines").getAsInt() : null);
    String[] argv = args.stream().map(a -> a.replace("{case}", dir.toString())).toArray(String[]::new);
    Integer exit;
    String out;
    String err;
    if (c.kind().equals("savedmodel")) {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "dev.sentigraph.cli.Main"));
      cmd.addAll(List.of(argv));
      File stdout = tmp.resolve("stdout.txt").toFile();
      File stderr = tmp.resolve("stderr.txt").toFile();
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout).redirectError(stderr);
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2"); // as scripts/sentigraph sets it
      Process p = pb.start();
      exit = p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : null;
      if (exit == null) {
        p.destroyForcibly();
      }
      out = Files.readString(stdout.toPath());
      err = Files.readString(stderr.toPath());
    } else {
      Cli.Run r = Cli.run(argv);
      exit = r.status();
      out = r.out();
      err = r.err();
    }
    Verdict expected = c.mustRefuse() ? Verdict.REFUSED : meta.has("expected_lines") ? Verdict.ACCEPTED : null;
    Verdict actual = Verdict.of(c, exit, out, err);
    if (expected == null) {
      assertEquals(true, actual.ok(), name + ": " + actual + "\n" + err);
    } else {
      assertEquals(expected, actual, name + " (" + c.mutation() + "): exit " + exit + "\n" + err);
    }
  }
}
