package dev.sentigraph.serve;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * TF Serving's gRPC API on {@code --port}: {@link GrpcPredictionService} and {@link GrpcModelService} on grpc-java's
 * Netty server, with TF Serving's message size limit (2 GB), {@code --grpc_max_threads} threads answering calls
 * and the {@code --grpc_channel_arguments} grpc-java has a setting for.
 */
final class GrpcServer implements AutoCloseable {
  private static final String PREDICT = PredictionServiceGrpc.getPredictMethod().getFullMethodName();
  private final Server server;
  /** The same services on {@code --grpc_socket_path}, or null. */
  private final Server socket;
  private final EventLoopGroup socketLoops;
  private final ExecutorService threads;
  private final HealthStatusManager health;

  private GrpcServer(Server server, Server socket, EventLoopGroup socketLoops, ExecutorService threads,
      HealthStatusManager health) {
    this.server = server;
    this.socket = socket;
    this.socketLoops = socketLoops;
    this.threads = threads;
    this.health = health;
  }

  /**
   * Binds the port and starts answering; the log gets one line per channel argument left unapplied. The
   * prediction service is made with the server's call threads, where it runs what it does not queue.
   */
  static GrpcServer start(String host, GrpcSettings settings,
      Function<Executor, GrpcPredictionService> predictionService, GrpcModelService models, Consumer<String> log)
      throws IOException {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor threads = new ThreadPoolExecutor(settings.maxThreads(), settings.maxThreads(), 60,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "grpc-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    threads.allowCoreThreadTimeOut(true);
    GrpcPredictionService predictions = predictionService.apply(threads);
    HealthStatusManager health = null;
    if (settings.healthCheck()) {
      // as TF Serving: the server ("") and both its services SERVING while it runs
      health = new HealthStatusManager();
      health.setStatus("ModelService", HealthCheckResponse.ServingStatus.SERVING);
      health.setStatus("PredictionService", HealthCheckResponse.ServingStatus.SERVING);
    }
    NettyServerBuilder tcp = NettyServerBuilder.forAddress(new InetSocketAddress(host, settings.port()));
    Server server = configure(tcp, settings, threads, predictions, models, health, log).build();
    Server socket = null;
    EventLoopGroup loops = null;
    try {
      server.start();
      if (settings.socketPath() != null) {
        // a second Netty server: one server's addresses must share a channel type, and a UNIX socket needs epoll's
        Path path = Path.of(settings.socketPath());
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()) {
          Files.delete(path); // a socket left by an earlier run, as gRPC core unlinks it
        }
        loops = new EpollEventLoopGroup(2);
        socket = configure(NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()))
            .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(loops).workerEventLoopGroup(loops),
            settings, threads, predictions, models, health, line -> { }).build();
        socket.start();
      }
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      server.shutdownNow();
      if (loops != null) {
        loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      }
      threads.shutdownNow();
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
    return new GrpcServer(server, socket, loops, threads, health);
  }

  private static NettyServerBuilder configure(NettyServerBuilder builder, GrpcSettings settings,
      ExecutorService threads, GrpcPredictionService predictions, GrpcModelService models, HealthStatusManager health,
      Consumer<String> log) {
    // a Predict is read, checked and queued on the connection's event loop, with no hop to a call thread and
    // back: it blocks on nothing (a predict that is not batched runs its model on the call threads); every other
    // call runs on the call threads
    builder.executor(threads).callExecutor(new ServerCallExecutorSupplier() {
      @Override
      public <Q, A> Executor getExecutor(ServerCall<Q, A> call, Metadata headers) {
        return call.getMethodDescriptor().getFullMethodName().equals(PREDICT) ? Runnable::run : null;
      }
    }).maxInboundMessageSize(Integer.MAX_VALUE).maxInboundMetadataSize(Integer.MAX_VALUE)
        .addService(predictions).addService(models);
    if (settings.tls() != null) {
      builder.sslContext(settings.tls().context());
    }
    if (health != null) {
      builder.addService(health.getHealthService());
    }
    List<String> ignored = new ArrayList<>();
    for (Map.Entry<String, String> a : settings.channelArguments().entrySet()) {
      if (!apply(builder, a.getKey(), a.getValue())) {
        ignored.add(a.getKey());
      }
    }
    if (!ignored.isEmpty()) {
      log.accept("serve: gRPC channel arguments without a grpc-java setting, ignored (as gRPC core ignores unknown"
          + " ones): " + String.join(", ", ignored));
    }
    return builder;
  }

  /** One gRPC core channel argument onto grpc-java's builder; false when grpc-java has no such setting. */
  private static boolean apply(NettyServerBuilder b, String key, String value) {
    long n;
    try {
      n = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return false;
    }
    switch (key) {
      case "grpc.max_connection_age_ms" -> b.maxConnectionAge(n, TimeUnit.MILLISECONDS);
      case "grpc.max_connection_age_grace_ms" -> b.maxConnectionAgeGrace(n, TimeUnit.MILLISECONDS);
      case "grpc.max_connection_idle_ms" -> b.maxConnectionIdle(n, TimeUnit.MILLISECONDS);
      case "grpc.keepalive_time_ms" -> b.keepAliveTime(n, TimeUnit.MILLISECONDS);
      case "grpc.keepalive_timeout_ms" -> b.keepAliveTimeout(n, TimeUnit.MILLISECONDS);
      case "grpc.keepalive_permit_without_calls" -> b.permitKeepAliveWithoutCalls(n != 0);
      case "grpc.http2.min_ping_interval_without_data_ms", "grpc.http2.min_recv_ping_interval_without_data_ms" ->
          b.permitKeepAliveTime(n, TimeUnit.MILLISECONDS);
      case "grpc.max_receive_message_length" -> b.maxInboundMessageSize(n < 0 ? Integer.MAX_VALUE : (int) n);
      case "grpc.max_metadata_size" -> b.maxInboundMetadataSize((int) n);
      case "grpc.max_concurrent_streams" -> b.maxConcurrentCallsPerConnection((int) n);
      default -> {
        return false;
      }
    }
    return true;
  }

  int port() {
    return server.getPort();
  }

  /** Stops taking calls, lets those in flight finish (up to the limit), then stops. */
  void stop(long drainMillis) {
    if (health != null) {
      health.enterTerminalState();
    }
    for (Server s : socket != null ? List.of(server, socket) : List.of(server)) {
      s.shutdown();
    }
    for (Server s : socket != null ? List.of(server, socket) : List.of(server)) {
      try {
        if (!s.awaitTermination(drainMillis, TimeUnit.MILLISECONDS)) {
          s.shutdownNow();
        }
      } catch (InterruptedException e) {
        s.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (socketLoops != null) {
      socketLoops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }
    threads.shutdown();
  }

  @Override
  public void close() {
    stop(0);
  }
}
