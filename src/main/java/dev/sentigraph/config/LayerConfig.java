package dev.sentigraph.config;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One layer entry as Keras' {@code model.get_config()} writes it: the class name and the layer's own config
 * (Keras argument names, plus {@code name}).
 */
public record LayerConfig(String className, JsonObject config) {
  /** A layer from alternating Keras argument names and values (numbers, strings, booleans, JSON). */
  public static LayerConfig of(String className, Object... args) {
    return new LayerConfig(className, arguments(args));
  }

  /** A JSON object from alternating names and values, as Keras configs hold them. */
  public static JsonObject arguments(Object... args) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      map.put((String) args[i], args[i + 1]);
    }
    return new Gson().toJsonTree(map).getAsJsonObject();
  }

  public String name() {
    return config.has("name") && !config.get("name").isJsonNull() ? config.get("name").getAsString() : null;
  }

  public LayerConfig withName(String name) {
    JsonObject copy = config.deepCopy();
    copy.addProperty("name", name);
    return new LayerConfig(className, copy);
  }

  /** The Keras JSON form: {@code {"class_name": ..., "config": {...}}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("class_name", className);
    json.add("config", config.deepCopy());
    return json;
  }
}
