package dev.sentigraph.serve;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionServiceGrpc;
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
 * The load generator behind {@code scripts/bench-serve}, one JVM for the whole benchmark: each line on stdin,
 * {@code rest|grpc SECONDS WARMUP_SECONDS}, runs N clients, each sending predict requests of R random reviews back
 * to back for W + S seconds, and prints one JSON line for the S measured seconds: reviews/s, latency percentiles
 * (and p99 with the first W seconds' requests in), errors, the server's mean batch size and batch run time (from
 * its Prometheus metrics) and this JVM's own CPU. Over REST each client is a thread with an HTTP/1.1 keep-alive
 * connection; over gRPC ({@code PredictionService/Predict}, one channel, {@code tensor_content} int32 tensors)
 * the clients are chained asynchronous calls. Lives with the tests because only the benchmark runs it.
 *
 * <p>Usage: {@code ServeLoad BASE_URL MODEL CLIENTS ROWS VOCABULARY SEQ_LEN GRPC_HOST:PORT}, then the runs on stdin
 */
public final class ServeLoad {
  private ServeLoad() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String model = args[1];
    int clients = Integer.parseInt(args[2]);
    int rows = Integer.parseInt(args[3]);
    int vocabulary = Integer.parseInt(args[4]);
    int seqLen = Integer.parseInt(args[5]);
    String grpcAddress = args[6];
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI predict = URI.create(base + "/v1/models/" + model + ":predict");
    // one event loop thread runs every call's callbacks and sends the next
    EventLoopGroup loop = new NioEventLoopGroup(1);
    ManagedChannel channel = NettyChannelBuilder.forTarget(grpcAddress).usePlaintext().directExecutor()
        .eventLoopGroup(loop).channelType(NioSocketChannel.class).build();
    String input = inputName(PredictionServiceGrpc.newBlockingStub(channel), model);
    List<byte[]> bodies = new ArrayList<>();
    List<byte[]> grpcRequests = new ArrayList<>();
    Random rng = new Random(42);
    for (int b = 0; b < 64; b++) {
      StringBuilder s = new StringBuilder("{\"instances\": [");
      ByteBuffer ids = ByteBuffer.allocate(rows * seqLen * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int r = 0; r < rows; r++) {
        s.append(r == 0 ? "[" : ", [");
        for (int t = 0; t < seqLen; t++) {
          int id = 1 + rng.nextInt(vocabulary - 1);
          s.append(t == 0 ? "" : ",").append(id);
          ids.putInt(id);
        }
        s.append(']');
      }
      bodies.add(Connection.post(predict, s.append("]}").toString()));
      grpcRequests.add(PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName(model))
          .putInputs(input, TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(TensorShapeProto
              .newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(rows))
              .addDim(TensorShapeProto.Dim.newBuilder().setSize(seqLen)))
              .setTensorContent(ByteString.copyFrom(ids.array())).build()).build().toByteArray());
    }
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = commands.readLine()) != null; ) {
      String[] run = line.trim().split("\\s+");
      boolean grpc = run[0].equals("grpc");
      double seconds = Double.parseDouble(run[1]);
      double warmup = Double.parseDouble(run[2]);
      AtomicLong errors = new AtomicLong();
      List<long[]> latencies = new ArrayList<>();
      List<long[]> warmLatencies = new ArrayList<>();
      long begin = System.nanoTime() + (long) (warmup * 1e9);
      long end = begin + (long) (seconds * 1e9);
      CountDownLatch done = new CountDownLatch(clients);
      for (int c = 0; c < clients; c++) {
        latencies.add(new long[1 << 20]);
        warmLatencies.add(new long[1 << 16]);
        Timed timed = new Timed(c, begin, end, warmLatencies.get(c), latencies.get(c), errors, done);
        if (grpc) {
          new GrpcClient(channel, grpcRequests, timed).next();
        } else {
          new Thread(() -> {
            Connection rest = new Connection(predict);
            for (int i; (i = timed.nextRequest(bodies.size())) >= 0; ) {
              long t0 = System.nanoTime();
              timed.answered(t0, rest.send(bodies.get(i)));
            }
            rest.close();
          }).start();
        }
      }
      Thread.sleep(Math.max(0, (begin - System.nanoTime()) / 1_000_000));
      double[] before = batchStats(http, base);
      long cpuBefore = processCpuNanos();
      done.await();
      double elapsed = (System.nanoTime() - begin) / 1e9;
      double clientCores = (processCpuNanos() - cpuBefore) / 1e9 / elapsed;
      double[] after = batchStats(http, base);
      long[] all = sorted(latencies);
      long[] withWarmup = sorted(java.util.stream.Stream.concat(latencies.stream(), warmLatencies.stream()).toList());
      double batches = after[1] - before[1];
      System.out.printf(Locale.ROOT, "{\"api\": \"%s\", \"clients\": %d, \"rows_per_request\": %d, \"seconds\": %.1f,"
          + " \"requests\": %d, \"errors\": %d, \"reviews_per_s\": %.1f, \"p50_ms\": %.1f, \"p99_ms\": %.1f,"
          + " \"mean_batch\": %.1f, \"mean_batch_run_ms\": %.1f, \"batch_thread_busy\": %.2f, \"warmup_s\": %.1f,"
          + " \"p99_with_warmup_ms\": %.1f, \"client_cpu_cores\": %.2f}%n",
          grpc ? "grpc" : "rest", clients, rows, elapsed, all.length, errors.get(), all.length * rows / elapsed,
          percentile(all, 0.50), percentile(all, 0.99), batches > 0 ? (after[0] - before[0]) / batches : 0,
          batches > 0 ? (after[2] - before[2]) * 1000 / batches : 0, (after[2] - before[2]) / elapsed, warmup,
          percentile(withWarmup, 0.99), clientCores);
      System.out.flush();
    }
    channel.shutdownNow();
    loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
  }

  /** Every client's latencies (each array's first slot holds its count), in one sorted array. */
  private static long[] sorted(List<long[]> perClient) {
    long[] all = new long[perClient.stream().mapToInt(l -> (int) l[0]).sum()];
    int at = 0;
    for (long[] l : perClient) {
      System.arraycopy(l, 1, all, at, (int) l[0]);
      at += (int) l[0];
    }
    Arrays.sort(all);
    return all;
  }

  /** This JVM's CPU time: the clients share the server's machine, so what they use is not the server's. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * One client's HTTP/1.1 keep-alive connection, sending requests encoded once up front: the JDK's HttpClient took
   * about a third of this 2-core machine at 32 clients, CPU the server then lacked.
   */
  private static final class Connection {
    private final URI target;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    Connection(URI target) {
      this.target = target;
    }

    /** A whole POST of the JSON body to the URI, headers and all. */
    static byte[] post(URI uri, String json) {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      byte[] head = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
      byte[] request = Arrays.copyOf(head, head.length + body.length);
      System.arraycopy(body, 0, request, head.length, body.length);
      return request;
    }

    /** One request; true when it was answered 200 (any failure reconnects for the next). */
    boolean send(byte[] request) {
      try {
        if (socket == null) {
          socket = new Socket(target.getHost(), target.getPort());
          socket.setTcpNoDelay(true);
          in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
          out = socket.getOutputStream();
        }
        out.write(request);
        out.flush();
        if (readResponse() == 200) {
          return true;
        }
      } catch (IOException | RuntimeException e) {
        close();
      }
      return false;
    }

    /** Reads one answer (the server gives each a Content-Length) and returns its status. */
    private int readResponse() throws IOException {
      String status = line();
      int length = -1;
      for (String h; !(h = line()).isEmpty(); ) {
        if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          length = Integer.parseInt(h.substring(15).trim());
        }
      }
      if (length < 0) {
        throw new IOException("no Content-Length in the answer");
      }
      in.readNBytes(length);
      return Integer.parseInt(status.split(" ")[1]);
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }

    void close() {
      try {
        if (socket != null) {
          socket.close();
        }
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
    }
  }

  /**
   * One client's requests, in turn: which to send next (or -1 once the time is up) and where each answer's latency
   * goes (the warm-up's or the measured seconds'). Only one request of a client is in flight at a time.
   */
  private static final class Timed {
    private final int client;
    private final long begin;
    private final long end;
    private final long[] warm;
    private final long[] measured;
    private final AtomicLong errors;
    private final CountDownLatch done;
    private int sent;

    Timed(int client, long begin, long end, long[] warm, long[] measured, AtomicLong errors, CountDownLatch done) {
      this.client = client;
      this.begin = begin;
      this.end = end;
      this.warm = warm;
      this.measured = measured;
      this.errors = errors;
      this.done = done;
    }

    int nextRequest(int requests) {
      if (System.nanoTime() >= end) {
        done.countDown();
        return -1;
      }
      return (client + sent++) % requests;
    }

    void answered(long startNanos, boolean ok) {
      if (!ok) {
        errors.incrementAndGet();
        return;
      }
      long[] into = startNanos < begin ? warm : measured;
      if (into[0] < into.length - 1) {
        into[(int) ++into[0]] = System.nanoTime() - startNanos;
      }
    }
  }

  /**
   * One client over gRPC: the next predict goes out from the previous one's answer, on the channel's event loop, so
   * 32 clients cost no threads waking each other (the blocking stub's did, 0.06 cores of this 2-core machine).
   * Requests go out encoded once up front and answers are read as bytes, as the REST clients' are: the server's
   * work is what is measured, not protobuf's in the client.
   */
  private record GrpcClient(Channel channel, List<byte[]> requests, Timed timed) {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(byte[] message) {
        return new ByteArrayInputStream(message);
      }

      @Override
      public byte[] parse(InputStream in) {
        try {
          return in.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    private static final MethodDescriptor<byte[], byte[]> PREDICT = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(PredictionServiceGrpc.getPredictMethod().getFullMethodName())
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    void next() {
      int i = timed.nextRequest(requests.size());
      if (i < 0) {
        return;
      }
      long t0 = System.nanoTime();
      ClientCalls.asyncUnaryCall(channel.newCall(PREDICT, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS)),
          requests.get(i), new StreamObserver<>() {
            @Override
            public void onNext(byte[] response) {}

            @Override
            public void onError(Throwable t) {
              timed.answered(t0, false);
              next();
            }

            @Override
            public void onCompleted() {
              timed.answered(t0, true);
              next();
            }
          });
    }
  }

  /** The served signature's input name, from the model's metadata. */
  private static String inputName(PredictionServiceGrpc.PredictionServiceBlockingStub stub, String model)
      throws Exception {
    GetModelMetadataResponse m = stub.getModelMetadata(GetModelMetadataRequest.newBuilder()
        .setModelSpec(ModelSpec.newBuilder().setName(model)).addMetadataField("signature_def").build());
    return m.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class).getSignatureDefOrThrow(
        "serving_default").getInputsMap().keySet().iterator().next();
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
