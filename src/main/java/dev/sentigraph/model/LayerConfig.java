package dev.sentigraph.model;

import com.google.gson.JsonObject;

/**
 * One layer entry as Keras' {@code model.get_config()} writes it: the class name and the layer's own config
 * (Keras argument names, plus {@code name}).
 */
public record LayerConfig(String className, JsonObject config) {
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
