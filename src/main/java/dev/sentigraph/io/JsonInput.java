package dev.sentigraph.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * JSON from files users hand over, nested at most {@link #MAX_DEPTH} deep: gson parses any depth, but printing,
 * comparing or walking a JsonElement recurses, and tens of thousands of levels overflow the stack.
 */
public final class JsonInput {
  /** Far above any Keras config (about 8 levels) or review record. */
  public static final int MAX_DEPTH = 256;

  private JsonInput() {}

  /** Parses {@code text}; throws JsonParseException (as gson does for bad syntax) when nested too deep. */
  public static JsonElement parse(String text) {
    int depth = deepestNesting(text);
    if (depth > MAX_DEPTH) {
      throw new JsonParseException("nested more than " + MAX_DEPTH + " levels deep");
    }
    return JsonParser.parseString(text);
  }

  /** The deepest bracket nesting outside strings (the parser reports any syntax error itself). */
  static int deepestNesting(String text) {
    int depth = 0;
    int max = 0;
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        max = Math.max(max, ++depth);
      } else if (c == ']' || c == '}') {
        depth--;
      }
    }
    return max;
  }

  /** A JSON value as an error message quotes it: its JSON text, cut at 60 characters. */
  public static String shown(JsonElement e) {
    String text = String.valueOf(e);
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  /** What a JSON value is, in the words an error message uses ("an object", "a string", ...). */
  public static String describe(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return "null";
    }
    if (e.isJsonObject()) {
      return "an object";
    }
    if (e.isJsonArray()) {
      return "an array";
    }
    var p = e.getAsJsonPrimitive();
    return p.isString() ? "a string" : p.isBoolean() ? "a boolean" : "the number " + p.getAsString();
  }
}
