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
 * random reviews back to back for S seconds over HTTP/1.1 keep-alive; prints one JSON line with reviews/s,
 * latency percentiles, errors and the server's mean batch size over the run (from its Prometheus metrics).
 * Lives with the tests because only the benchmark runs it.
 *
 * <p>Usage: {@code ServeLoad BASE_URL MODEL CLIENTS SECONDS ROWS VOCABULARY SEQ_LEN}
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
    double[] before = batchStats(http, base);
    AtomicLong errors = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long begin = System.nanoTime();
    long end = begin + (long) (seconds * 1e9);
    for (int c = 0; c < clients; c++) {
      long[] own = new long[1 << 20];
      latencies.add(own);
      int client = c;
      Thread t = new Thread(() -> {
        int n = 0;
        while (System.nanoTime() < end && n < own.length - 1) {
          HttpRequest req = HttpRequest.newBuilder(predict).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(bodies.get((client + n) % bodies.size()))).build();
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              errors.incrementAndGet();
              continue;
            }
          } catch (Exception e) {
            errors.incrementAndGet();
            continue;
          }
          own[++n] = System.nanoTime() - t0;
          own[0] = n;
        }
      });
      threads.add(t);
      t.start();
    }
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
    double batches = after[1] - before[1];
    System.out.printf(Locale.ROOT, "{\"clients\": %d, \"rows_per_request\": %d, \"seconds\": %.1f, \"requests\": %d,"
        + " \"errors\": %d, \"reviews_per_s\": %.1f, \"p50_ms\": %.1f, \"p99_ms\": %.1f, \"mean_batch\": %.1f,"
        + " \"mean_batch_run_ms\": %.1f, \"batch_thread_busy\": %.2f}%n",
        clients, rows, elapsed, count, errors.get(), count * rows / elapsed, percentile(all, 0.50), percentile(all, 0.99),
        batches > 0 ? (after[0] - before[0]) / batches : 0, batches > 0 ? (after[2] - before[2]) * 1000 / batches : 0,
        (after[2] - before[2]) / elapsed);
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
