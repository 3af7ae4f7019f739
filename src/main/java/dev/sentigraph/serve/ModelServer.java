package dev.sentigraph.serve;

import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code sentigraph serve}: TensorFlow Serving's REST API for every model sentigraph loads, on Jetty. Starts
 * answering at once ({@code /healthz}); models become AVAILABLE as their versions load ({@code /readyz}).
 * {@link #close()} stops taking connections, lets requests in flight finish, then unloads every version.
 */
public final class ModelServer implements AutoCloseable {
  public static final String DEFAULT_METRICS_PATH = "/monitoring/prometheus/metrics";

  private final Server jetty;
  private final ServerConnector connector;
  private final ModelManager manager;

  private ModelServer(Server jetty, ServerConnector connector, ModelManager manager) {
    this.jetty = jetty;
    this.connector = connector;
    this.manager = manager;
  }

  /**
   * Binds the port and starts watching the models' base paths.
   *
   * @param log receives one line per model load, unload or failure
   */
  public static ModelServer start(List<ModelSource> models, ServerSettings settings, Consumer<String> log) {
    ServeMetrics metrics = new ServeMetrics();
    ModelManager manager = new ModelManager(models, settings, metrics, log);
    QueuedThreadPool threads = new QueuedThreadPool(256, 8);
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
    jetty.setHandler(new GracefulHandler(new RestApi(manager, settings, metrics)));
    jetty.setStopTimeout(settings.drainMillis());
    jetty.setStopAtShutdown(false);
    try {
      jetty.start();
    } catch (Exception e) {
      manager.close();
      throw new IllegalStateException("cannot serve on " + settings.host() + ":" + settings.port() + ": "
          + e.getMessage(), e);
    }
    manager.start();
    return new ModelServer(jetty, connector, manager);
  }

  /** The bound port (the chosen one when started with port 0). */
  public int port() {
    return connector.getLocalPort();
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
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the HTTP server failed: " + e.getMessage(), e);
    } finally {
      manager.close();
    }
  }
}
