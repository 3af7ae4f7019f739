package dev.sentigraph.serve;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code sentigraph serve}: TensorFlow Serving's REST API (Jetty) and, when asked, its gRPC API, for every model
 * sentigraph loads, over one {@link ModelManager}. As TF Serving, the ports open once the version folders present
 * at start are loaded (or have failed); later versions become AVAILABLE as they arrive ({@code /readyz}).
 * {@link #close()} stops taking connections, lets requests in flight finish, then unloads every version.
 */
public final class ModelServer implements AutoCloseable {
  public static final String DEFAULT_METRICS_PATH = "/monitoring/prometheus/metrics";

  private final Server jetty;
  private final ServerConnector connector;
  private final ModelManager manager;
  private final GrpcServer grpc;
  private final long drainMillis;

  private ModelServer(Server jetty, ServerConnector connector, ModelManager manager, GrpcServer grpc,
      long drainMillis) {
    this.jetty = jetty;
    this.connector = connector;
    this.manager = manager;
    this.grpc = grpc;
    this.drainMillis = drainMillis;
  }

  /**
   * Loads the versions present in the models' base paths, then binds the ports and keeps watching the base paths.
   *
   * @param log receives one line per model load, unload or failure
   */
  public static ModelServer start(List<ModelSource> models, ServerSettings settings, Consumer<String> log) {
    ServeMetrics metrics = new ServeMetrics();
    ModelManager manager = new ModelManager(models, settings, metrics, log);
    manager.start();
    try {
      manager.awaitFirstScan(Duration.ofDays(365));
    } catch (InterruptedException e) {
      manager.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading the models");
    }
    // Jetty's selector and acceptor threads come out of the same pool as the request threads
    QueuedThreadPool threads = new QueuedThreadPool(settings.restThreads() + 4, Math.min(8,
        settings.restThreads() + 4));
    threads.setName("rest");
    threads.setDaemon(true);
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    connector.setIdleTimeout(settings.idleTimeoutMillis());
    jetty.addConnector(connector);
    RestApi rest = new RestApi(manager, settings, metrics);
    jetty.setHandler(new GracefulHandler(rest));
    jetty.setStopTimeout(settings.drainMillis());
    jetty.setStopAtShutdown(false);
    GrpcServer grpc = null;
    try {
      if (settings.grpc() != null) {
        Servables servables = new Servables(manager);
        grpc = GrpcServer.start(settings.host(), settings.grpc(),
            callThreads -> new GrpcPredictionService(servables, rest.predictRoute(), metrics.tfServing(),
                settings.grpc().tensorContent(), settings.restTimeoutMillis(), callThreads),
            new GrpcModelService(manager, log), log);
      }
      jetty.start();
    } catch (Exception e) {
      if (grpc != null) {
        grpc.close();
      }
      manager.close();
      throw new IllegalStateException("cannot serve on " + settings.host() + ":" + settings.port()
          + (settings.grpc() != null ? " (gRPC " + settings.grpc().port() + ")" : "") + ": " + e.getMessage(), e);
    }
    return new ModelServer(jetty, connector, manager, grpc, settings.drainMillis());
  }

  /** The bound gRPC port (the chosen one when started with port 0), or -1 without gRPC. */
  public int grpcPort() {
    return grpc != null ? grpc.port() : -1;
  }

  /** The bound port (the chosen one when started with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /**
   * Serves the models of a new configuration from now on, as TF Serving's config reload: models no longer listed
   * are unloaded, new ones loaded; returns once the new config's version folders are loaded (or have failed).
   */
  public void reconfigure(List<ModelSource> models) throws InterruptedException {
    try {
      manager.reconfigure(models).get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  /** Every configured model has an AVAILABLE version. */
  public boolean ready() {
    return manager.ready();
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  /** Graceful stop: no new connections, requests in flight answered (up to the drain time), models unloaded. */
  @Override
  public void close() {
    try {
      if (grpc != null) {
        grpc.stop(drainMillis);
      }
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the HTTP server failed: " + e.getMessage(), e);
    } finally {
      manager.close();
    }
  }
}
