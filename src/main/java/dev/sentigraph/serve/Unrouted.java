package dev.sentigraph.serve;

/** A request no route takes: TF Serving's 400 for a wrong method or path under {@code /v1/}, else 404. */
final class Unrouted implements Route {
  @Override
  public Reply answer(RestCall call) {
    String method = call.request().getMethod();
    String path = call.path();
    if (path.regionMatches(true, 0, "/v1/", 0, 4)) {
      throw HttpError.badRequest("Malformed request: " + method + " " + path);
    }
    throw HttpError.notFound("not found: " + method + " " + path + " (the API is under /v1/models/)");
  }
}
