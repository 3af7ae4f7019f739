package dev.sentigraph.serve;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A {@code :predict} body in TensorFlow Serving's row ({@code "instances"}) or columnar ({@code "inputs"})
 * form, read token by token: each instance is a list of token ids, a raw review, or an object naming the input.
 * Only the nesting these forms have is accepted, so a deeply nested body fails at its first extra level instead
 * of growing a tree, and the ids go straight into int arrays (memory stays a small multiple of the body).
 *
 * @param signatureName the requested signature, or null
 * @param columnar true for {@code "inputs"} (answered with {@code "outputs"})
 * @param inputName the input named by object instances or columnar inputs, or null
 * @param instances each either an {@code int[]} of ids or a {@code String} review
 */
record PredictRequest(String signatureName, boolean columnar, String inputName, List<Object> instances) {
  /** How every JSON syntax error's message starts (TF Serving's words). */
  static final String SYNTAX_ERROR = "JSON Parse error";
  /** TF Serving's key for binary string values, base64-encoded. */
  private static final String BASE64 = "b64";
  private static final String SHAPES = "expected {\"instances\": [[ids...], ...]}, {\"instances\": [\"text\", ...]},"
      + " {\"instances\": [{\"<input>\": [ids...]}, ...]} or {\"inputs\": ...} with the same values";

  /** Reads a whole body; every problem is an {@link HttpError} 400 that says what was expected. */
  static PredictRequest parse(Reader body, int maxInstances) {
    JsonReader r = new JsonReader(body);
    try {
      if (r.peek() != JsonToken.BEGIN_OBJECT) {
        throw HttpError.badRequest("the request body must be a JSON object: " + SHAPES);
      }
      r.beginObject();
      String signature = null;
      Reading rows = null;
      boolean columnar = false;
      while (r.hasNext()) {
        String key = r.nextName();
        switch (key) {
          case "signature_name" -> {
            if (r.peek() != JsonToken.STRING) {
              throw HttpError.badRequest("\"signature_name\" must be a string");
            }
            signature = r.nextString();
          }
          case "instances", "inputs" -> {
            if (rows != null) {
              throw HttpError.badRequest("a request has either \"instances\" or \"inputs\", not both");
            }
            columnar = key.equals("inputs");
            rows = new Reading(maxInstances);
            if (columnar && r.peek() == JsonToken.BEGIN_OBJECT) {
              rows.namedColumn(r);
            } else {
              rows.list(r, key, !columnar);
            }
          }
          // TF Serving looks up only the keys it knows and ignores the rest (clients add their own)
          default -> r.skipValue();
        }
      }
      r.endObject();
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw HttpError.badRequest(SYNTAX_ERROR + ": data after the request object");
      }
      if (rows == null) {
        throw HttpError.badRequest("Missing 'inputs' or 'instances' key: " + SHAPES);
      }
      return new PredictRequest(signature, columnar, rows.inputName, rows.instances);
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw HttpError.badRequest(SYNTAX_ERROR + ": " + e.getMessage());
    }
  }

  /** The instances read so far, with the one input name objects may give. */
  private static final class Reading {
    final int maxInstances;
    final List<Object> instances = new ArrayList<>();
    String inputName;

    Reading(int maxInstances) {
      this.maxInstances = maxInstances;
    }

    /** {@code [instance, ...]}; objects are allowed in the row form only. */
    void list(JsonReader r, String where, boolean objects) throws IOException {
      if (r.peek() != JsonToken.BEGIN_ARRAY) {
        throw HttpError.badRequest("\"" + where + "\" must be a list: " + SHAPES);
      }
      r.beginArray();
      if (!r.hasNext() && objects) {
        throw HttpError.badRequest("No values in '" + where + "' array");
      }
      Boolean namedRows = null;
      while (r.hasNext()) {
        String at = where + "[" + instances.size() + "]";
        JsonToken t = r.peek();
        // an object is a named input, unless it is {"b64": ...}, a string value (TF Serving's IsValBase64Object)
        String key = null;
        if (t == JsonToken.BEGIN_OBJECT && objects) {
          r.beginObject();
          if (!r.hasNext()) {
            throw HttpError.badRequest(at + " is an empty object: expected {\"<input>\": [ids...]}");
          }
          key = r.nextName();
        }
        boolean named = key != null && !key.equals(BASE64);
        // TF Serving: a plain list or a list of objects, never a mix (the first instance decides)
        if (namedRows == null) {
          namedRows = named;
        } else if (named != namedRows) {
          throw HttpError.badRequest((named ? "Expecting value/list but got object" : "Expecting object but got list")
              + " at item " + instances.size() + " of input list");
        }
        if (key == null) {
          add(value(r, at), at);
          continue;
        }
        if (named) {
          name(key, at);
          add(value(r, at), at);
        } else {
          add(base64(r, at), at);
        }
        if (r.hasNext()) {
          throw HttpError.badRequest(at + " names several inputs: the model takes one (token ids or text)");
        }
        r.endObject();
      }
      r.endArray();
    }

    /** {@code {"<input>": [instance, ...]}}: the columnar form with the input named. */
    void namedColumn(JsonReader r) throws IOException {
      r.beginObject();
      if (!r.hasNext()) {
        throw HttpError.badRequest("\"inputs\" is an empty object: expected {\"<input>\": [[ids...], ...]}");
      }
      String name = r.nextName();
      name(name, "inputs");
      list(r, "inputs." + name, false);
      if (r.hasNext()) {
        throw HttpError.badRequest("\"inputs\" names several inputs: the model takes one (token ids or text)");
      }
      r.endObject();
    }

    private void name(String name, String at) {
      if (inputName != null && !inputName.equals(name)) {
        throw HttpError.badRequest(at + " names input '" + name + "' where earlier instances named '" + inputName + "'");
      }
      inputName = name;
    }

    private void add(Object instance, String at) {
      if (instances.size() >= maxInstances) {
        throw HttpError.badRequest("more than " + maxInstances + " instances in one request: send them in parts");
      }
      instances.add(instance);
    }

    /**
     * A list of ids, or a review: a string, {@code {"b64": ...}}, or either in a list of one (a {@code [-1, 1]}
     * string input, as keras.io's end-to-end export takes it).
     */
    private static Object value(JsonReader r, String at) throws IOException {
      JsonToken t = r.peek();
      if (t == JsonToken.STRING) {
        return r.nextString();
      }
      if (t == JsonToken.BEGIN_OBJECT) {
        return base64Object(r, at);
      }
      if (t != JsonToken.BEGIN_ARRAY) {
        throw HttpError.badRequest(at + " is " + describe(t) + ": expected a list of token ids or a review string");
      }
      r.beginArray();
      JsonToken first = r.hasNext() ? r.peek() : JsonToken.END_ARRAY;
      if (first == JsonToken.STRING || first == JsonToken.BEGIN_OBJECT) {
        String review = first == JsonToken.STRING ? r.nextString() : base64Object(r, at + "[0]");
        if (r.hasNext()) {
          throw HttpError.badRequest(at + " holds several strings: expected one review per instance");
        }
        r.endArray();
        return review;
      }
      int[] ids = new int[64];
      int n = 0;
      while (r.hasNext()) {
        JsonToken e = r.peek();
        if (e != JsonToken.NUMBER) {
          throw HttpError.badRequest(at + "[" + n + "] is " + describe(e) + ": expected a token id (a whole number)");
        }
        double d = r.nextDouble();
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
          throw HttpError.badRequest(String.format(Locale.ROOT, "%s[%d] is %s: token ids are whole numbers", at, n, d));
        }
        if (n == ids.length) {
          ids = Arrays.copyOf(ids, n * 2);
        }
        ids[n++] = (int) d;
      }
      r.endArray();
      return Arrays.copyOf(ids, n);
    }

    /** {@code {"b64": "..."}} as a whole object. */
    private static String base64Object(JsonReader r, String at) throws IOException {
      r.beginObject();
      if (!r.hasNext() || !r.nextName().equals(BASE64)) {
        throw HttpError.badRequest(at + " is an object: expected a review string or {\"b64\": \"...\"}");
      }
      String review = base64(r, at);
      if (r.hasNext()) {
        throw HttpError.badRequest(at + " has keys besides \"b64\": expected {\"b64\": \"...\"}");
      }
      r.endObject();
      return review;
    }

    /** The value of a {@code "b64"} key: base64 bytes of a UTF-8 review. */
    private static String base64(JsonReader r, String at) throws IOException {
      if (r.peek() != JsonToken.STRING) {
        throw HttpError.badRequest(at + ".b64 is " + describe(r.peek()) + ": expected a base64 string");
      }
      try {
        return new String(Base64.getDecoder().decode(r.nextString()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest(at + ".b64 is not base64: " + e.getMessage());
      }
    }

    private static String describe(JsonToken t) {
      return switch (t) {
        case BEGIN_ARRAY -> "a list";
        case BEGIN_OBJECT -> "an object";
        case STRING -> "a string";
        case NUMBER -> "a number";
        case BOOLEAN -> "a boolean";
        case NULL -> "null";
        default -> t.name().toLowerCase(Locale.ROOT);
      };
    }
  }
}
