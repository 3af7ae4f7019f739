package dev.sentigraph.layers;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.JsonInput;
import java.util.HashSet;
import java.util.Set;

/**
 * Typed access to one layer's Keras arguments. Every error names the layer's index, class and the argument,
 * and arguments nobody asked for are reported by {@link #rejectUnknown()}.
 */
public final class LayerArgs {
  /** Keys Keras writes for every layer that do not change what the layer computes here. */
  private static final Set<String> KERAS_COMMON =
      Set.of("name", "trainable", "dtype", "batch_input_shape", "batch_shape", "input_shape", "build_config",
          "module", "registered_name", "autocast", "input_dtype", "seed", "lora_alpha");
  /** Keys Keras writes for features sentigraph lacks: accepted only while they are off (null). */
  private static final Set<String> OFF_WHEN_NULL = Set.of("quantization_config", "lora_rank");

  private final int index;
  private final String className;
  private final JsonObject config;
  private final Set<String> used = new HashSet<>();

  public LayerArgs(int index, String className, JsonObject config) {
    this.index = index;
    this.className = className;
    this.config = config;
  }

  public int index() {
    return index;
  }

  public String className() {
    return className;
  }

  /** An error about this layer, in the one-line form the CLI prints. */
  public InputException error(String argument, String problem) {
    String where = "layer " + index + " (" + className + ")";
    return new InputException(where + (argument == null ? "" : " argument '" + argument + "'") + ": " + problem);
  }

  private JsonElement get(String key) {
    used.add(key);
    JsonElement e = config.get(key);
    return e == null || e.isJsonNull() ? null : e;
  }

  public boolean has(String key) {
    return get(key) != null;
  }

  public int requirePositiveInt(String key) {
    JsonElement e = get(key);
    if (e == null) {
      throw error(key, "is required");
    }
    int v = intValue(key, e);
    if (v <= 0) {
      throw error(key, "must be a positive integer, got " + v);
    }
    return v;
  }

  public int getInt(String key, int defaultValue) {
    JsonElement e = get(key);
    return e == null ? defaultValue : intValue(key, e);
  }

  /** An int given either plainly or as Keras' one-element tuple ({@code "kernel_size": [3]}). */
  public int getIntOrTuple(String key, Integer defaultValue) {
    JsonElement e = get(key);
    if (e == null) {
      if (defaultValue == null) {
        throw error(key, "is required");
      }
      return defaultValue;
    }
    if (e.isJsonArray()) {
      if (e.getAsJsonArray().size() != 1) {
        throw error(key, "expected one integer, got " + JsonInput.shown(e));
      }
      e = e.getAsJsonArray().get(0);
    }
    return intValue(key, e);
  }

  private int intValue(String key, JsonElement e) {
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
      double d = e.getAsDouble();
      if (d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
        return (int) d;
      }
    }
    throw error(key, "expected an integer, got " + JsonInput.shown(e));
  }

  public double getDouble(String key, double defaultValue) {
    JsonElement e = get(key);
    if (e == null) {
      return defaultValue;
    }
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
      return e.getAsDouble();
    }
    throw error(key, "expected a number, got " + JsonInput.shown(e));
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    JsonElement e = get(key);
    if (e == null) {
      return defaultValue;
    }
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
      return e.getAsBoolean();
    }
    throw error(key, "expected true or false, got " + JsonInput.shown(e));
  }

  public String getString(String key, String defaultValue) {
    JsonElement e = get(key);
    if (e == null) {
      return defaultValue;
    }
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
      return e.getAsString();
    }
    throw error(key, "expected a string, got " + JsonInput.shown(e));
  }

  /** A nested Keras object ({@code {"class_name": ..., "config": {...}}}, e.g. Bidirectional's layer), or null. */
  public JsonObject getObject(String key) {
    JsonElement e = get(key);
    if (e == null) {
      return null;
    }
    if (!e.isJsonObject() || !e.getAsJsonObject().has("class_name")) {
      throw error(key, "expected a Keras object with a class_name, got " + e);
    }
    return e.getAsJsonObject();
  }

  /** A Keras initializer argument ({@code "glorot_uniform"} or {@code {"class_name": ..., "config": ...}}). */
  public InitializerSpec getInitializer(String key, InitializerSpec defaultValue) {
    JsonElement e = get(key);
    return e == null ? defaultValue : InitializerSpec.parse(e, this, key);
  }

  public Activation getActivation(String key, Activation defaultValue) {
    String name = getString(key, null);
    if (name == null) {
      return defaultValue;
    }
    Activation a = Activation.byKerasName(name);
    if (a == null) {
      throw error(key, "unsupported activation '" + name + "': expected one of " + Activation.kerasNames());
    }
    return a;
  }

  /** Accepts a Keras argument only when it holds its neutral value (null, or the given default). */
  public void requireDefault(String key, Object neutral) {
    JsonElement e = get(key);
    if (e == null) {
      return;
    }
    boolean ok = neutral != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().toString().equals(
        new com.google.gson.Gson().toJson(neutral));
    if (!ok) {
      throw error(key, "is not supported by sentigraph (got " + JsonInput.shown(e) + ", only " + neutral + " works)");
    }
  }

  /** Throws for any argument the layer did not read (a typo, or a Keras feature not supported here). */
  public void rejectUnknown() {
    for (String key : config.keySet()) {
      if (used.contains(key) || KERAS_COMMON.contains(key)) {
        continue;
      }
      if (OFF_WHEN_NULL.contains(key)) {
        requireDefault(key, null);
        continue;
      }
      throw error(key, "unknown argument for " + className);
    }
  }
}
