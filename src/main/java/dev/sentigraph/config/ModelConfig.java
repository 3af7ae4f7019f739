package dev.sentigraph.config;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.JsonInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as Keras describes it in {@code model.get_config()}: an int32 input of {@code [batch, seqLen]} token
 * ids, then layers. Read from and written to Keras' JSON form, so a Keras user can read and write it; layers
 * without a name get Keras' automatic names ({@code dense}, {@code dense_1}).
 *
 * @param graph null for a Sequential list (each layer reads the previous one); else the wiring of a Functional
 *     model or of nested models, flattened ({@link LayerGraphReader})
 */
public record ModelConfig(String name, int seqLen, List<LayerConfig> layers, LayerGraph graph) {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

  /** {@link #seqLen()} of a model whose input takes any length ({@code shape=(None,)}): each run picks one. */
  public static final int ANY_LENGTH = -1;

  /**
   * The length that shapes and settings of an {@link #ANY_LENGTH} model are worked out at when no run has picked
   * one (keras.io's IMDB examples use 200).
   */
  public static final int NOMINAL_LENGTH = 200;

  public ModelConfig {
    layers = List.copyOf(withKerasNames(layers));
  }

  /** A Sequential model. */
  public ModelConfig(String name, int seqLen, List<LayerConfig> layers) {
    this(name, seqLen, layers, null);
  }

  /**
   * Parses Keras' model JSON: Sequential ({@code {"class_name": "Sequential", "config": {...}}} or the inner
   * config), Functional (Keras 2: Model), and models nesting other models.
   */
  public static ModelConfig fromJson(JsonObject json, String origin) {
    if (json == null) {
      throw new InputException(origin + ": expected a Keras Sequential config object");
    }
    JsonObject config = json;
    if (json.has("class_name")) {
      String cls = string(json.get("class_name"), origin, "class_name");
      if (!LayerGraphReader.MODEL_CLASSES.contains(cls)) {
        throw new InputException(origin + ": model class '" + cls + "' is not supported: expected"
            + " Sequential or Functional");
      }
      config = json.get("config") instanceof JsonObject o ? o : null;
      boolean graph = !cls.equals("Sequential") || config != null && config.has("layers")
          && config.get("layers").isJsonArray() && LayerGraphReader.needsGraph(config.getAsJsonArray("layers"));
      if (graph) {
        return LayerGraphReader.read(json, origin);
      }
    }
    if (config == null || !config.has("layers") || !config.get("layers").isJsonArray()) {
      throw new InputException(origin + ": expected a Keras Sequential config with a 'layers' list");
    }
    String name = config.has("name") && !config.get("name").isJsonNull() ? string(config.get("name"), origin, "name") : "sequential";
    Integer seqLen = null;
    List<LayerConfig> layers = new ArrayList<>();
    JsonArray array = config.getAsJsonArray("layers");
    for (int i = 0; i < array.size(); i++) {
      JsonElement e = array.get(i);
      if (!e.isJsonObject() || !e.getAsJsonObject().has("class_name")) {
        throw new InputException(origin + ": layer " + i + " has no class_name");
      }
      JsonObject layer = e.getAsJsonObject();
      String cls = string(layer.get("class_name"), origin, "layer " + i + " class_name");
      JsonObject layerConfig = layer.has("config") && layer.get("config").isJsonObject()
          ? layer.getAsJsonObject("config") : new JsonObject();
      if (layerConfig.has("name") && !layerConfig.get("name").isJsonNull()) {
        string(layerConfig.get("name"), origin, "layer " + i + " (" + cls + ") argument 'name'");
      }
      LayerGraphReader.checkBuiltIn(layer, origin);
      Integer len = sequenceLength(layerConfig, origin, "layer " + i + " (" + cls + ")");
      if (len != null && seqLen == null) {
        seqLen = len;
      }
      if (!cls.equals("InputLayer")) {
        layers.add(new LayerConfig(cls, layerConfig));
      }
    }
    if (seqLen == null) {
      throw new InputException(origin + ": no input length: expected an InputLayer with batch_shape"
          + " [null, seq_len] (or a first layer with batch_input_shape)");
    }
    return new ModelConfig(name, seqLen, layers);
  }

  /** A value that must be a JSON string; {@code what} names it in the error. */
  private static String string(JsonElement e, String origin, String what) {
    if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
      return e.getAsString();
    }
    throw new InputException(origin + ": " + what + " is " + JsonInput.describe(e) + ": expected a string");
  }

  public static ModelConfig read(Path file) {
    try {
      JsonElement json = JsonInput.parse(Files.readString(file));
      if (!json.isJsonObject()) {
        throw new InputException("model config " + file + " is " + JsonInput.describe(json)
            + ": expected a Keras Sequential config object");
      }
      return fromJson(json.getAsJsonObject(), file.toString());
    } catch (NoSuchFileException e) {
      throw new InputException("model config " + file + " does not exist");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new InputException("model config " + file + " is not UTF-8 text: expected a Keras Sequential config");
    } catch (IOException e) {
      throw new InputException("cannot read model config " + file + ": " + e.getMessage());
    } catch (JsonParseException e) {
      throw new InputException("model config " + file + " is not valid JSON (" + e.getMessage()
          + "): expected a Keras Sequential config");
    }
  }

  /** Keras' Sequential JSON with an explicit int32 InputLayer; a graph model's Keras JSON as read. */
  public JsonObject toJson() {
    if (graph != null) {
      return graph.source();
    }
    JsonArray array = new JsonArray();
    JsonObject input = new JsonObject();
    JsonArray shape = new JsonArray();
    shape.add(JsonNull.INSTANCE);
    if (anyLength()) {
      shape.add(JsonNull.INSTANCE);
    } else {
      shape.add(seqLen);
    }
    input.add("batch_shape", shape);
    input.addProperty("dtype", "int32");
    input.addProperty("sparse", false);
    input.addProperty("name", "tokens");
    JsonObject inputLayer = new JsonObject();
    inputLayer.addProperty("class_name", "InputLayer");
    inputLayer.add("config", input);
    array.add(inputLayer);
    for (LayerConfig layer : layers) {
      array.add(layer.toJson());
    }
    JsonObject config = new JsonObject();
    config.addProperty("name", name);
    config.addProperty("trainable", true);
    config.add("layers", array);
    JsonObject json = new JsonObject();
    json.addProperty("class_name", "Sequential");
    json.add("config", config);
    return json;
  }

  public String toJsonString() {
    return GSON.toJson(toJson());
  }

  public ModelConfig withSeqLen(int newSeqLen) {
    return new ModelConfig(name, newSeqLen, layers, graph == null ? null
        : graph.withSeqLen(newSeqLen == ANY_LENGTH ? null : newSeqLen));
  }

  /** Longest input a config may declare: a longer one could not be padded into memory. */
  static final int MAX_SEQ_LEN = 1 << 24;

  /**
   * The input length a layer declares, {@link #ANY_LENGTH} for {@code [null, null]}, or null when it declares
   * none; {@code where} names the layer in errors.
   */
  static Integer sequenceLength(JsonObject layerConfig, String origin, String where) {
    for (String key : List.of("batch_shape", "batch_input_shape")) {
      JsonElement e = layerConfig.get(key);
      if (e != null && e.isJsonArray() && e.getAsJsonArray().size() == 2) {
        JsonElement len = e.getAsJsonArray().get(1);
        if (len.isJsonNull()) {
          return ANY_LENGTH;
        }
        if (len.isJsonPrimitive() && len.getAsJsonPrimitive().isNumber()) {
          double d = len.getAsDouble();
          if (d == Math.rint(d) && d >= 1 && d <= MAX_SEQ_LEN) {
            return (int) d;
          }
        }
        throw new InputException(origin + ": " + where + " argument '" + key
            + "' has sequence length " + JsonInput.shown(len) + ": expected an integer in [1, " + MAX_SEQ_LEN + "]");
      }
    }
    return null;
  }

  /** Whether the model takes inputs of any length (then a run fixes one with {@link #withSeqLen}). */
  public boolean anyLength() {
    return seqLen == ANY_LENGTH;
  }

  private static List<LayerConfig> withKerasNames(List<LayerConfig> layers) {
    Map<String, Integer> seen = new HashMap<>();
    List<LayerConfig> named = new ArrayList<>();
    for (LayerConfig layer : layers) {
      if (layer.name() != null) {
        seen.merge(layer.name(), 1, Integer::sum);
      }
    }
    for (LayerConfig layer : layers) {
      if (layer.name() != null) {
        named.add(layer);
        continue;
      }
      String base = snakeCase(layer.className());
      String candidate = base;
      for (int n = 1; seen.containsKey(candidate); n++) {
        candidate = base + "_" + n;
      }
      seen.put(candidate, 1);
      named.add(layer.withName(candidate));
    }
    return named;
  }

  /** Keras' {@code to_snake_case}: {@code GlobalAveragePooling1D} becomes {@code global_average_pooling1d}. */
  public static String snakeCase(String className) {
    String s = className.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
    return s.toLowerCase(java.util.Locale.ROOT);
  }
}
