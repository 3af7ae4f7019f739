package dev.sentigraph.serve;

import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.RegexPathSpec;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;

/**
 * TensorFlow Serving's REST API on Jetty, one {@link Route} per method and path: {@code :predict},
 * {@code :classify} / {@code :regress} (refused: the models have no tf.Example signature), model status and
 * metadata, with TF Serving's paths, bodies and error bodies; plus {@code /healthz}, {@code /readyz} and the
 * Prometheus metrics. Everything else is {@link Unrouted}.
 */
final class RestApi extends Handler.AbstractContainer {
  /** The servlet default: every path the other mappings leave. */
  private static final PathSpec ANY_OTHER_PATH = new ServletPathSpec("/");

  private final ExceptionMapper errors;
  private final ServeMetrics metrics;
  private final PathMappingsHandler gets = new PathMappingsHandler.NoContext();
  private final PathMappingsHandler posts = new PathMappingsHandler.NoContext();
  private final Handler otherMethods;
  private final boolean cors;
  private final PredictRoute predict;

  RestApi(ModelManager models, ServerSettings settings, ServeMetrics metrics) {
    this.errors = new ExceptionMapper(settings);
    this.metrics = metrics;
    this.cors = settings.cors();
    Servables servables = new Servables(models);
    BodyReader bodies = new BodyReader(settings.maxBodyBytes());
    Probes probes = new Probes(models);
    if (settings.metricsPath() != null) {
      // mapped before the probes, which replace it if it is configured onto one of their paths
      get(exactly(settings.metricsPath()), call -> new Reply(200, ServeMetrics.contentType(), metrics.scrape()));
    }
    get(exactly("/healthz"), probes::alive);
    get(exactly("/readyz"), probes::ready);
    get(pattern(StatusRoute.PATH), new StatusRoute(servables));
    get(pattern(MetadataRoute.PATH), new MetadataRoute(servables));
    predict = new PredictRoute(servables, bodies, settings);
    post(pattern(PredictRoute.PATH), predict);
    post(pattern(ClassifyRegressRoute.PATH), new ClassifyRegressRoute(servables, bodies));
    Unrouted unrouted = new Unrouted();
    get(ANY_OTHER_PATH, unrouted);
    post(ANY_OTHER_PATH, unrouted);
    otherMethods = new RouteHandler(unrouted, errors, metrics, cors);
    addBean(gets);
    addBean(posts);
    addBean(otherMethods);
  }

  /** The predict route, which the gRPC API answers through too. */
  PredictRoute predictRoute() {
    return predict;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (cors && request.getMethod().equals("OPTIONS")) {
      return preflight(request, response, callback);
    }
    return switch (request.getMethod()) {
      case "GET" -> gets.handle(request, response, callback);
      case "POST" -> posts.handle(request, response, callback);
      default -> otherMethods.handle(request, response, callback);
    };
  }

  /** A CORS preflight, as TF Serving answers it: 200 when it names an http(s) origin, else 400. */
  private static boolean preflight(Request request, Response response, Callback callback) {
    String origin = request.getHeaders().get("Origin");
    Reply reply = origin != null && Pattern.compile("https?://").matcher(origin).find()
        ? new Reply(200, "application/json", new byte[0])
        : Reply.error(400, "Origin header is missing in CORS preflight");
    response.setStatus(reply.status());
    RouteHandler.addCorsHeaders(response);
    response.getHeaders().put("Content-Type", reply.contentType());
    response.write(true, java.nio.ByteBuffer.wrap(reply.body()), callback);
    return true;
  }

  @Override
  public List<Handler> getHandlers() {
    return List.of(gets, posts, otherMethods);
  }

  private void get(PathSpec path, Route route) {
    gets.addMapping(path, new RouteHandler(route, errors, metrics, cors));
  }

  private void post(PathSpec path, Route route) {
    posts.addMapping(path, new RouteHandler(route, errors, metrics, cors));
  }

  /**
   * This path and no other, taken literally ({@link ServletPathSpec} would read '*' and "/" as patterns). Jetty
   * matches the canonical path, where characters such as a space stay percent-encoded, so the path is put in that
   * form; one with "." or ".." segments, which Jetty resolves in every request, stays as it is and matches none.
   */
  private static PathSpec exactly(String path) {
    String canonical = URIUtil.canonicalPath(URIUtil.encodePath(path));
    boolean requestable = canonical != null && URIUtil.decodePath(canonical).equals(path);
    return new RegexPathSpec(Pattern.quote(requestable ? canonical : path));
  }

  private static PathSpec pattern(Pattern route) {
    return new RegexPathSpec(route.pattern());
  }
}
