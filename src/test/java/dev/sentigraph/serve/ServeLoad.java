package dev.sentigraph.serve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator behind {@code scripts/bench-serve}: N client threads, each sending predict requests of R
 * random reviews back to back for W + S seconds over HTTP/1.1 keep-alive; the first W seconds warm up (connections,
 * both JITs, the server's threads) and count for nothing. Prints one JSON line for the S measured seconds:
 * reviews/s, latency percentiles (and p99 with the warm-up's requests in, for comparison), errors and the
 * server's mean batch size (from its Prometheus metrics). Lives with the tests because only the benchmark runs it.
 *
 * <p>Usage: {@code ServeLoad BASE_URL MODEL CLIENTS SECONDS ROWS VOCABULARY SEQ_LEN [WARMUP_SECONDS (0)]}
 */
public final class ServeLoad {
  private ServeLoad() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String model = args[1];
    int clients = Integer.parseInt(args[2]);
    double seconds = Double.parseDouble(args[3]);
    int rows = Integer.parseInt(args[4]);
    int vocabulary = Integer.parseInt(args[5]);
    int seqLen = Integer.parseInt(args[6]);
    double warmup = args.length > 7 ? Double.parseDouble(args[7]) : 0;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI predict = URI.create(base + "/v1/models/" + model + ":predict");
    List<String> bodies = new ArrayList<>();
    Random rng = new Random(42);
    for (int b = 0; b < 64; b++) {
      StringBuilder s = new StringBuilder("{\"instances\": [");
      for (int r = 0; r < rows; r++) {
        s.append(r == 0 ? "[" : ", [");
        for (int t = 0; t < seqLen; t++) {
          s.append(t == 0 ? "" : ",").append(1 + rng.nextInt(vocabulary - 1));
        }
        s.append(']');
      }
      bodies.add(s.append("]}").toString());
    }
    AtomicLong errors = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    List<long[]> warmLatencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long begin = System.nanoTime() + (long) (warmup * 1e9);
    long end = begin + (long) (seconds * 1e9);
    for (int c = 0; c < clients; c++) {
      long[] own = new long[1 << 20];
      long[] warm = new long[1 << 16];
      latencies.add(own);
      warmLatencies.add(warm);
      int client = c;
      Thread t = new Thread(() -> {
        int n = 0;
        while (System.nanoTime() < begin && warm[0] < warm.length - 1) {
          long t0 = System.nanoTime();
          if (send(http, predict, bodies.get((client + n++) % bodies.size()), errors)) {
            warm[(int) ++warm[0]] = System.nanoTime() - t0;
          }
        }
        while (System.nanoTime() < end && own[0] < own.length - 1) {
          long t0 = System.nanoTime();
          if (send(http, predict, bodies.get((client + n++) % bodies.size()), errors)) {
            own[(int) ++own[0]] = System.nanoTime() - t0;
          }
        }
      });
      threads.add(t);
      t.start();
    }
    Thread.sleep(Math.max(0, (begin - System.nanoTime()) / 1_000_000));
    double[] before = batchStats(http, base);
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - begin) / 1e9;
    double[] after = batchStats(http, base);
    long count = latencies.stream().mapToLong(l -> l[0]).sum();
    long[] all = new long[(int) count];
    int at = 0;
    for (long[] l : latencies) {
      System.arraycopy(l, 1, all, at, (int) l[0]);
      at += (int) l[0];
    }
    Arrays.sort(all);
    long[] withWarmup = Arrays.copyOf(all, all.length + warmLatencies.stream().mapToInt(l -> (int) l[0]).sum());
    at = all.length;
    for (long[] l : warmLatencies) {
      System.arraycopy(l, 1, withWarmup, at, (int) l[0]);
      at += (int) l[0];
    }
    Arrays.sort(withWarmup);
    double batches = after[1] - before[1];
    System.out.printf(Locale.ROOT, "{\"clients\": %d, \"rows_per_request\": %d, \"seconds\": %.1f, \"requests\": %d,"
        + " \"errors\": %d, \"reviews_per_s\": %.1f, \"p50_ms\": %.1f, \"p99_ms\": %.1f, \"mean_batch\": %.1f,"
        + " \"mean_batch_run_ms\": %.1f, \"batch_thread_busy\": %.2f, \"warmup_s\": %.1f,"
        + " \"p99_with_warmup_ms\": %.1f}%n",
        clients, rows, elapsed, count, errors.get(), count * rows / elapsed, percentile(all, 0.50), percentile(all, 0.99),
        batches > 0 ? (after[0] - before[0]) / batches : 0, batches > 0 ? (after[2] - before[2]) * 1000 / batches : 0,
        (after[2] - before[2]) / elapsed, warmup, percentile(withWarmup, 0.99));
  }

  /** One request; true when it was answered 200. */
  private static boolean send(HttpClient http, URI predict, String body, AtomicLong errors) {
    HttpRequest req = HttpRequest.newBuilder(predict).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      if (http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
        return true;
      }
    } catch (Exception e) {
      // counted below
    }
    errors.incrementAndGet();
    return false;
  }

  private static double percentile(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
  }

  /** The server's batch-size sum and count and batch run seconds, over every model version. */
  private static double[] batchStats(HttpClient http, String base) throws Exception {
    String text = http.send(HttpRequest.newBuilder(URI.create(base + ModelServer.DEFAULT_METRICS_PATH)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double[] out = new double[3];
    Matcher m = Pattern.compile("(?m)^sentigraph_serve_batch_(size_sum|size_count|run_seconds_sum)\\{[^}]*} (\\S+)$")
        .matcher(text);
    while (m.find()) {
      out[m.group(1).equals("size_sum") ? 0 : m.group(1).equals("size_count") ? 1 : 2] += Double.parseDouble(m.group(2));
    }
    return out;
  }
}
