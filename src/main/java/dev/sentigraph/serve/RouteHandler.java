package dev.sentigraph.serve;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Serves one {@link Route} on Jetty: answers each request (errors through the mapper), counts it and writes it. */
final class RouteHandler extends Handler.Abstract {
  private final Route route;
  private final ExceptionMapper errors;
  private final ServeMetrics metrics;
  private final boolean cors;

  /** @param cors add TF Serving's CORS headers to every answer ({@code --rest_api_enable_cors_support}) */
  RouteHandler(Route route, ExceptionMapper errors, ServeMetrics metrics, boolean cors) {
    this.route = route;
    this.errors = errors;
    this.metrics = metrics;
    this.cors = cors;
  }

  /** TF Serving's {@code AddCORSHeaders}. */
  static void addCorsHeaders(Response response) {
    response.getHeaders().put("Access-Control-Allow-Origin", "*");
    response.getHeaders().put("Access-Control-Allow-Methods", "POST, GET");
    response.getHeaders().put("Access-Control-Allow-Headers", "Content-Type");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    RestCall call = new RestCall(request);
    // Jetty fails a request whose connection idles out, and cuts idle timeouts to 1 s when stopping; a request
    // waiting for its batch is bounded by rest_api_timeout (504) instead. Slow body reads still time out.
    request.addIdleTimeoutListener(timeout -> false);
    Reply reply;
    try {
      reply = route.answer(call);
    } catch (Exception e) {
      reply = errors.reply(e);
    }
    call.countAnswer(metrics, reply.status());
    response.setStatus(reply.status());
    if (cors) {
      addCorsHeaders(response);
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
    return true;
  }
}
