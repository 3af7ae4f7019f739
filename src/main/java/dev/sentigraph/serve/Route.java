package dev.sentigraph.serve;

/** What one route of the REST API does: answers a request, or throws for {@link ExceptionMapper} to answer. */
@FunctionalInterface
interface Route {
  Reply answer(RestCall call) throws Exception;
}
