package dev.sentigraph.fuzz;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The fuzzing harness behind {@code scripts/fuzz}: makes {@code --runs} mutated inputs from seed {@code --seed}
 * (case i uses {@code new Random(seed * 1_000_003 + i)}, so any case can be remade alone), runs the CLI on each as a
 * subprocess ({@code java -cp target/sentigraph.jar:target/lib/*}) under a timeout, classifies each run
 * ({@link Verdict}), keeps the folders of the bad ones under {@code --out}/findings, and writes
 * {@code --out}/report.json with the counts.
 */
public final class Fuzz {
  private Fuzz() {}

  private record Outcome(int index, FuzzCase fuzzCase, Verdict verdict, Integer exit, String stderrTail, double seconds) {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> opt = new TreeMap<>(Map.of("--seed", "1", "--runs", "100", "--jobs", "2", "--timeout", "120",
        "--kinds", String.join(",", Mutators.KINDS), "--out", "target/fuzz", "--repo", "."));
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!opt.containsKey(argv[i])) {
        throw new IllegalArgumentException("unknown option " + argv[i] + ": expected one of " + opt.keySet());
      }
      opt.put(argv[i], argv[i + 1]);
    }
    long seed = Long.parseLong(opt.get("--seed"));
    int runs = Integer.parseInt(opt.get("--runs"));
    int timeout = Integer.parseInt(opt.get("--timeout"));
    List<String> kinds = List.of(opt.get("--kinds").split(","));
    Path repo = Path.of(opt.get("--repo")).toAbsolutePath().normalize();
    Path out = Path.of(opt.get("--out")).toAbsolutePath().resolve("seed-" + seed);
    Files.createDirectories(out);
    String classpath = repo.resolve("target/sentigraph.jar") + File.pathSeparator + repo.resolve("target/lib") + File.separator + "*";
    Mutators mutators = new Mutators(repo);

    ExecutorService pool = Executors.newFixedThreadPool(Integer.parseInt(opt.get("--jobs")));
    List<Future<Outcome>> futures = new ArrayList<>();
    Instant start = Instant.now();
    for (int i = 0; i < runs; i++) {
      int index = i;
      futures.add(pool.submit(() -> runCase(index, seed, kinds, mutators, out, repo, classpath, timeout)));
    }
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    Map<String, Map<Verdict, Integer>> byKind = new TreeMap<>();
    JsonArray findings = new JsonArray();
    for (Future<Outcome> f : futures) {
      Outcome o = f.get();
      counts.merge(o.verdict(), 1, Integer::sum);
      byKind.computeIfAbsent(o.fuzzCase().kind(), k -> new EnumMap<>(Verdict.class)).merge(o.verdict(), 1, Integer::sum);
      System.out.printf(Locale.ROOT, "%4d %-10s %-15s exit %-4s %5.1fs  %s%n", o.index(), o.fuzzCase().kind(), o.verdict(),
          o.exit(), o.seconds(), o.fuzzCase().mutation());
      if (!o.verdict().ok()) {
        JsonObject j = new JsonObject();
        j.addProperty("case", o.index());
        j.addProperty("kind", o.fuzzCase().kind());
        j.addProperty("verdict", o.verdict().name());
        j.addProperty("mutation", o.fuzzCase().mutation());
        j.addProperty("stderr", o.stderrTail());
        findings.add(j);
      }
    }
    pool.shutdown();
    JsonObject report = new JsonObject();
    report.addProperty("seed", seed);
    report.addProperty("runs", runs);
    report.addProperty("seconds", Duration.between(start, Instant.now()).toSeconds());
    report.add("verdicts", new GsonBuilder().create().toJsonTree(counts));
    report.add("by_kind", new GsonBuilder().create().toJsonTree(byKind));
    report.add("findings", findings);
    Files.writeString(out.resolve("report.json"), new GsonBuilder().setPrettyPrinting().create().toJson(report));
    System.out.println("verdicts " + counts + " in " + report.get("seconds") + " s; report " + out.resolve("report.json"));
    System.exit(counts.keySet().stream().allMatch(Verdict::ok) ? 0 : 1);
  }

  private static Outcome runCase(int index, long seed, List<String> kinds, Mutators mutators, Path out, Path repo,
      String classpath, int timeout) throws IOException, InterruptedException {
    Random r = new Random(seed * 1_000_003L + index);
    String kind = kinds.get(r.nextInt(kinds.size()));
    Path dir = out.resolve("cases").resolve(String.format(Locale.ROOT, "%05d", index));
    FuzzCase c = mutators.make(kind, r, dir);
    List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx3g", "-XX:TieredStopAtLevel=1", "-cp", classpath,
        "dev.sentigraph.cli.Main"));
    c.args().forEach(a -> cmd.add(a.replace("{case}", dir.toString())));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile())
        .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Instant t0 = Instant.now();
    Process p = pb.start();
    Integer exit = null;
    if (p.waitFor(timeout, TimeUnit.SECONDS)) {
      exit = p.exitValue();
    } else {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
    }
    double seconds = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
    String stdout = Files.readString(dir.resolve("stdout.txt"), StandardCharsets.ISO_8859_1);
    String stderr = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.ISO_8859_1);
    Verdict v = Verdict.of(c, exit, stdout, stderr);
    JsonObject meta = new JsonObject();
    meta.addProperty("kind", c.kind());
    meta.addProperty("mutation", c.mutation());
    meta.addProperty("must_refuse", c.mustRefuse());
    if (c.expectedLines() != null) {
      meta.addProperty("expected_lines", c.expectedLines());
    }
    JsonArray args = new JsonArray();
    c.args().forEach(args::add);
    meta.add("args", args);
    meta.addProperty("verdict", v.name());
    meta.addProperty("exit", exit);
    Files.writeString(dir.resolve("case.json"), new GsonBuilder().setPrettyPrinting().create().toJson(meta));
    if (v.ok()) {
      deleteTree(dir); // only the findings are kept
    }
    String tail = stderr.length() > 600 ? stderr.substring(stderr.length() - 600) : stderr;
    return new Outcome(index, c, v, exit, tail.strip(), seconds);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
