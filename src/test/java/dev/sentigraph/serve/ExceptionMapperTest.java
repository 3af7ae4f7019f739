package dev.sentigraph.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.error.InputException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What each exception a route throws is answered with: TensorFlow Serving's status and error body. */
class ExceptionMapperTest {
  private final ExceptionMapper errors = new ExceptionMapper(
      ServerSettings.defaults().withRestTimeoutMillis(1234).withIdleTimeoutMillis(567));

  @Test
  void eachExceptionHasItsStatusAndMessage() {
    assertAnswer(404, "{\"error\":\"Servable not found\"}", HttpError.notFound("Servable not found"));
    assertAnswer(413, "{\"error\":\"too big\"}", new HttpError(413, "too big"));
    assertAnswer(400, "{\"error\":\"no word index\"}", new InputException("no word index"));
    assertAnswer(503, "{\"error\":\"the batching queue is full\"}",
        new Batcher.QueueFullException("the batching queue is full"));
    assertAnswer(504, "{\"error\":\"Request timed out: no answer within --rest_api_timeout_in_ms=1234\"}",
        new TimeoutException());
    assertAnswer(500, "{\"error\":\"internal error: java.lang.IllegalStateException: broken\"}",
        new IllegalStateException("broken"));
  }

  @Test
  void aFailedModelCallIsTheRequestsFaultOnlyForBadInput() {
    assertAnswer(400, "{\"error\":\"id 600 is outside the vocabulary\"}",
        new ExecutionException(new InputException("id 600 is outside the vocabulary")));
    assertAnswer(500, "{\"error\":\"the model failed: java.lang.IllegalStateException: session closed\"}",
        new ExecutionException(new IllegalStateException("session closed")));
  }

  @Test
  void aBodyThatStopsArrivingIs408AndOtherReadFailures400() {
    String late = "{\"error\":\"the request body did not arrive within 567 ms\"}";
    assertAnswer(408, late, new IOException(new TimeoutException()));
    assertAnswer(408, late, new InterruptedIOException());
    assertAnswer(408, late, new IOException("Idle timeout expired: 567/567 ms"));
    assertAnswer(400, "{\"error\":\"cannot read the request body: Connection reset\"}",
        new IOException("Connection reset"));
  }

  @Test
  void anInterruptedWaitIs503AndKeepsTheInterrupt() {
    try {
      assertAnswer(503, "{\"error\":\"the server is shutting down\"}", new InterruptedException());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  private void assertAnswer(int status, String body, Exception e) {
    Reply r = errors.reply(e);
    assertEquals(status, r.status(), e.toString());
    assertEquals("application/json", r.contentType());
    assertEquals(body, new String(r.body(), StandardCharsets.UTF_8));
  }
}
