package dev.sentigraph.serve;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;

/** An answer to write: the HTTP status, the content type and the body. */
record Reply(int status, String contentType, byte[] body) {
  static Reply json(int status, JsonObject body) {
    return new Reply(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** TensorFlow Serving's error body, {@code {"error": "..."}}. */
  static Reply error(int status, String message) {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    return json(status, o);
  }
}
