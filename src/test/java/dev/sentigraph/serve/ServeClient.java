package dev.sentigraph.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Real HTTP calls to a server on 127.0.0.1, and the fixtures the serve tests share. */
final class ServeClient {
  record Reply(int status, String body) {
    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }

    /** The {@code {"error": ...}} message of an error reply. */
    String error() {
      JsonObject o = json();
      assertTrue(o.has("error"), "expected an error body, got " + body);
      return o.get("error").getAsString();
    }
  }

  static final Path SAVEDMODELS = Path.of("savedmodels");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  ServeClient(int port) {
    this.port = port;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  Reply post(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  CompletableFuture<Reply> postAsync(String path, String body) {
    return http.sendAsync(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Reply(r.statusCode(), r.body()));
  }

  Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls {@code /readyz} until every model is AVAILABLE. */
  void awaitReady(Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      if (get("/readyz").status() == 200) {
        return;
      }
      sleep(50);
    }
    fail("server not ready within " + limit + ": " + get("/readyz").body());
  }

  /** The first output of each row of a predict reply ({@code predictions} or {@code outputs}). */
  static float[] probabilities(Reply r) {
    assertEquals(200, r.status(), r.body());
    JsonObject o = r.json();
    JsonArray rows = (o.has("predictions") ? o.get("predictions") : o.get("outputs")).getAsJsonArray();
    float[] out = new float[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i).getAsJsonArray().get(0).getAsFloat();
    }
    return out;
  }

  /** A family's golden token rows and Keras' probabilities (savedmodels/FAMILY/golden.json). */
  record Golden(JsonArray tokens, float[] probabilities) {
    static Golden of(String family) {
      try {
        JsonObject g = JsonParser.parseString(Files.readString(SAVEDMODELS.resolve(family).resolve("golden.json")))
            .getAsJsonObject();
        JsonArray p = g.getAsJsonArray("probabilities");
        float[] probs = new float[p.size()];
        for (int i = 0; i < probs.length; i++) {
          JsonElement e = p.get(i);
          probs[i] = e.isJsonArray() ? e.getAsJsonArray().get(0).getAsFloat() : e.getAsFloat();
        }
        return new Golden(g.getAsJsonArray("tokens"), probs);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String instances() {
      JsonObject o = new JsonObject();
      o.add("instances", tokens);
      return o.toString();
    }
  }

  static void assertClose(float[] expected, float[] actual, double tolerance) {
    assertEquals(expected.length, actual.length, "row count");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance, "row " + i);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
