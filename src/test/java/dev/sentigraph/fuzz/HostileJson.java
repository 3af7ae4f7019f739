package dev.sentigraph.fuzz;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/** JSON values an attacker would put where a config or record expects something else, and where to put them. */
public final class HostileJson {
  /** Nested deeper than any recursive walk of a JsonElement survives. */
  public static final int DEEP = 50_000;

  private HostileJson() {}

  /** A value of the wrong kind or an absurd size; {@code sizes} says whether it was one near 10^9. */
  public static JsonElement value(Random r) {
    return switch (r.nextInt(13)) {
      case 0 -> JsonParser.parseString("{\"a\": [1, {\"b\": null}]}");
      case 1 -> new JsonArray();
      case 2 -> new JsonPrimitive("x".repeat(r.nextInt(3) * 50));
      case 3 -> new JsonPrimitive(1e9);
      case 4 -> new JsonPrimitive(1_000_000_000);
      case 5 -> new JsonPrimitive(-r.nextInt(5));
      case 6 -> new JsonPrimitive(new java.math.BigInteger("9223372036854775808"));
      case 7 -> new JsonPrimitive(r.nextBoolean());
      case 8 -> new JsonPrimitive(2.5);
      case 9 -> new JsonPrimitive(Integer.MAX_VALUE);
      case 10 -> new JsonPrimitive(1e300);
      case 11 -> JsonParser.parseString("[null]");
      default -> JsonNull.INSTANCE;
    };
  }

  /** True for the values {@link #value} makes that are near 10^9 or beyond. */
  public static boolean isHugeSize(JsonElement e) {
    return e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() && e.getAsDouble() >= 1e9;
  }

  /** Every value inside {@code e}, each with a way to replace it, with the key (or index) it sits under. */
  public static List<Slot> slots(JsonElement e) {
    List<Slot> out = new ArrayList<>();
    collect(e, out);
    return out;
  }

  public record Slot(String key, Consumer<JsonElement> replace) {}

  private static void collect(JsonElement e, List<Slot> out) {
    if (e instanceof JsonObject o) {
      for (String key : List.copyOf(o.keySet())) {
        out.add(new Slot(key, v -> o.add(key, v)));
        collect(o.get(key), out);
      }
    } else if (e instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        int at = i;
        out.add(new Slot(Integer.toString(i), v -> a.set(at, v)));
        collect(a.get(i), out);
      }
    }
  }

  /** {@code json} with the first occurrence of {@code marker} replaced by an array nested {@link #DEEP} deep. */
  public static String deepen(String json, String marker) {
    return json.replaceFirst(java.util.regex.Pattern.quote(marker),
        java.util.regex.Matcher.quoteReplacement("[".repeat(DEEP) + "]".repeat(DEEP)));
  }
}
