package dev.sentigraph.serve;

/** A request the server answers with an HTTP error status and TensorFlow Serving's {@code {"error": ...}} body. */
final class HttpError extends RuntimeException {
  private final int status;

  HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }

  static HttpError notFound(String message) {
    return new HttpError(404, message);
  }

  int status() {
    return status;
  }
}
