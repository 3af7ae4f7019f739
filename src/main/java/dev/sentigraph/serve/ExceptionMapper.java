package dev.sentigraph.serve;

import dev.sentigraph.error.InputException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where what a route throws becomes an answer: TensorFlow Serving's status for it and its
 * {@code {"error": "..."}} body.
 */
final class ExceptionMapper {
  private final ServerSettings settings;

  ExceptionMapper(ServerSettings settings) {
    this.settings = settings;
  }

  Reply reply(Exception e) {
    if (e instanceof HttpError http) {
      return Reply.error(http.status(), http.getMessage());
    }
    if (e instanceof InputException) {
      return Reply.error(400, e.getMessage());
    }
    if (e instanceof Batcher.QueueFullException) {
      return Reply.error(503, e.getMessage());
    }
    if (e instanceof TimeoutException) {
      return Reply.error(504, "Request timed out: no answer within --rest_api_timeout_in_ms="
          + settings.restTimeoutMillis());
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return Reply.error(503, "the server is shutting down");
    }
    if (e instanceof ExecutionException) {
      // the model call failed: on the request's own rows (400), or in the model (500)
      return e.getCause() instanceof InputException bad ? Reply.error(400, bad.getMessage())
          : Reply.error(500, "the model failed: " + e.getCause());
    }
    if (e instanceof IOException) {
      // the only I/O a route does is reading its request body
      boolean timeout = e.getCause() instanceof TimeoutException || e instanceof InterruptedIOException
          || String.valueOf(e.getMessage()).toLowerCase().contains("idle timeout");
      return timeout ? Reply.error(408, "the request body did not arrive within " + settings.idleTimeoutMillis() + " ms")
          : Reply.error(400, "cannot read the request body: " + e.getMessage());
    }
    return Reply.error(500, "internal error: " + e);
  }
}
