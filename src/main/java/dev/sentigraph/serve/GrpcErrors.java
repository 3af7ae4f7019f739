package dev.sentigraph.serve;

import dev.sentigraph.error.InputException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What a gRPC call throws, as the status TF Serving's {@code ToGRPCStatus} would give it: the REST routes' errors
 * carry their HTTP status, which maps back to the TF error code it came from.
 */
final class GrpcErrors {
  private GrpcErrors() {}

  static StatusRuntimeException of(Throwable e) {
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    if (e instanceof HttpError http) {
      Status code = switch (http.status()) {
        case 404 -> Status.NOT_FOUND;
        case 503 -> Status.UNAVAILABLE;
        case 504 -> Status.DEADLINE_EXCEEDED;
        default -> http.status() >= 500 ? Status.INTERNAL : Status.INVALID_ARGUMENT;
      };
      return code.withDescription(http.getMessage()).asRuntimeException();
    }
    if (e instanceof InputException) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof Batcher.QueueFullException) {
      return Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof TimeoutException) {
      return Status.DEADLINE_EXCEEDED.withDescription("no answer within the request timeout").asRuntimeException();
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException();
    }
    if (e instanceof ExecutionException && e.getCause() instanceof InputException bad) {
      return Status.INVALID_ARGUMENT.withDescription(bad.getMessage()).asRuntimeException();
    }
    if (e instanceof ExecutionException) {
      return Status.INTERNAL.withDescription("the model failed: " + e.getCause()).asRuntimeException();
    }
    return Status.INTERNAL.withDescription("internal error: " + e).asRuntimeException();
  }

  static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  /** TF's error code name of a status, for TF Serving's request_count metric. */
  static String codeName(Status s) {
    return s.getCode().name();
  }
}
