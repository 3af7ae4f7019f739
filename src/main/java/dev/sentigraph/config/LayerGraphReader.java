package dev.sentigraph.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.error.InputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Keras model config that is not a plain Sequential list: a Functional model (Keras 3 {@code Functional},
 * Keras 2 {@code Model}) wired by its layers' inbound nodes, and models used as layers inside another (the
 * end-to-end export pattern), flattened into one {@link LayerGraph}. One input and one output, each layer called
 * once. Weight groups follow Keras 3's saving_lib: a model's layers live under {@code layers/<snake class>} with
 * {@code _1, _2} for repeats (a Functional model counts its InputLayers, a Sequential one does not), a nested
 * model's under its own group's {@code layers/}.
 */
final class LayerGraphReader {
  static final Set<String> MODEL_CLASSES = Set.of("Sequential", "Functional", "Model");

  private final String origin;
  private final List<LayerConfig> layers = new ArrayList<>();
  private final List<int[]> inputs = new ArrayList<>();
  private final List<String> groups = new ArrayList<>();
  private Integer seqLen;
  private JsonObject textVectorization;
  private String textVectorizationGroup;
  /** The top model's outputs, as flat layer indices in Keras' order: its last layer unless it names several. */
  private List<Integer> outputs;

  private LayerGraphReader(String origin) {
    this.origin = origin;
  }

  /** Whether a Sequential config holds a model or a TextVectorization among its layers (then it needs a graph). */
  static boolean needsGraph(JsonArray sequentialLayers) {
    for (JsonElement e : sequentialLayers) {
      JsonElement c = e.isJsonObject() ? e.getAsJsonObject().get("class_name") : null;
      if (c != null && c.isJsonPrimitive()) {
        String cls = c.getAsString();
        if (MODEL_CLASSES.contains(cls) || cls.equals(TEXT_VECTORIZATION)) {
          return true;
        }
      }
    }
    return false;
  }

  static final String TEXT_VECTORIZATION = "TextVectorization";

  /** The flattened model; {@code json} is {@code {"class_name": ..., "config": {...}}}. */
  static ModelConfig read(JsonObject json, String origin) {
    LayerGraphReader reader = new LayerGraphReader(origin);
    JsonObject config = json.getAsJsonObject("config");
    String name = config.has("name") && !config.get("name").isJsonNull() ? config.get("name").getAsString() : "model";
    int out = reader.model(json, "", -1, true);
    if (reader.layers.isEmpty()) {
      throw new InputException(origin + ": model '" + name + "' has no layers");
    }
    List<Integer> outputs = reader.outputs != null ? reader.outputs : List.of(out);
    if (!outputs.contains(reader.layers.size() - 1)) {
      throw new InputException(origin + ": the output layer '" + reader.layers.get(out).name()
          + "' is not the last layer of model '" + name + "': expected the layers in call order");
    }
    if (reader.seqLen == null) {
      throw new InputException(origin + ": no input length: expected an input of shape [null, seq_len]");
    }
    Map<String, Integer> names = new HashMap<>();
    for (LayerConfig layer : reader.layers) {
      if (names.merge(layer.name(), 1, Integer::sum) > 1) {
        throw new InputException(origin + ": two layers are named '" + layer.name()
            + "' (one inside a nested model): expected unique layer names");
      }
    }
    return new ModelConfig(name, reader.seqLen, reader.layers,
        new LayerGraph(reader.inputs, reader.groups, json, reader.textVectorization, reader.textVectorizationGroup,
            outputs));
  }

  /**
   * Adds the layers of model {@code json}, fed by flat layer {@code feed} (-1: the model input), and returns
   * the flat index of its output ({@code feed} for a model without layers).
   */
  private int model(JsonObject json, String prefix, int feed, boolean top) {
    String cls = json.get("class_name").getAsString();
    JsonObject config = json.getAsJsonObject("config");
    if (config == null || !config.has("layers") || !config.get("layers").isJsonArray()) {
      throw new InputException(origin + ": model class '" + cls + "' without a 'layers' list");
    }
    JsonArray array = config.getAsJsonArray("layers");
    return cls.equals("Sequential") ? sequential(array, prefix, feed, top) : functional(config, array, prefix, feed, top);
  }

  private int sequential(JsonArray array, String prefix, int feed, boolean top) {
    Map<String, Integer> used = new HashMap<>();
    int previous = feed;
    for (JsonElement e : array) {
      JsonObject layer = layerJson(e);
      String cls = layer.get("class_name").getAsString();
      JsonObject config = layerConfig(layer);
      if (top && seqLen == null) {
        seqLen = ModelConfig.sequenceLength(config, origin, "layer (" + cls + ")");
      }
      if (cls.equals("InputLayer")) {
        continue;
      }
      String group = prefix + "layers/" + groupName(cls, used);
      previous = add(layer, cls, config, group, new int[] {previous});
    }
    return previous;
  }

  private int functional(JsonObject config, JsonArray array, String prefix, int feed, boolean top) {
    String modelName = config.has("name") ? config.get("name").getAsString() : "model";
    List<String> inputNames = endpoints(config, "input_layers", modelName, "inputs", false);
    List<String> outputNames = endpoints(config, "output_layers", modelName, "outputs", top);
    Map<String, Integer> used = new HashMap<>();
    Map<String, Integer> flat = new LinkedHashMap<>();
    for (JsonElement e : array) {
      JsonObject layer = layerJson(e);
      String cls = layer.get("class_name").getAsString();
      JsonObject layerConfig = layerConfig(layer);
      String name = layer.has("name") ? layer.get("name").getAsString() : new LayerConfig(cls, layerConfig).name();
      String group = prefix + "layers/" + groupName(cls, used);
      if (cls.equals("InputLayer")) {
        if (top) {
          seqLen = ModelConfig.sequenceLength(layerConfig, origin, "input layer '" + name + "'");
        }
        flat.put(name, feed);
        continue;
      }
      List<String> sources = inboundLayers(layer, name);
      int[] from = new int[sources.size()];
      for (int i = 0; i < from.length; i++) {
        Integer index = flat.get(sources.get(i));
        if (index == null) {
          throw new InputException(origin + ": layer '" + name + "' reads '" + sources.get(i)
              + "', which is not defined before it in model '" + modelName + "'");
        }
        from[i] = index;
      }
      flat.put(name, add(layer, cls, layerConfig.deepCopy(), group, from));
      boolean plainLayer = !MODEL_CLASSES.contains(cls) && !cls.equals(TEXT_VECTORIZATION);
      if (plainLayer && !layerConfig.has("name")) {
        layers.set(layers.size() - 1, layers.get(layers.size() - 1).withName(name));
      }
    }
    if (!flat.containsKey(inputNames.get(0)) || !outputNames.stream().allMatch(flat::containsKey)) {
      throw new InputException(origin + ": model '" + modelName + "' names input '" + inputNames.get(0)
          + "' and outputs " + outputNames + ", which are not all among its layers");
    }
    if (outputNames.size() > 1) {
      outputs = outputNames.stream().map(flat::get).toList();
    }
    return flat.get(outputNames.get(outputNames.size() - 1));
  }

  /** Adds one layer (or a nested model's layers) reading {@code from}; returns the flat index of its output. */
  private int add(JsonObject layer, String cls, JsonObject config, String group, int[] from) {
    checkBuiltIn(layer, origin);
    if (cls.equals(TEXT_VECTORIZATION)) {
      return textVectorization(config, group, from);
    }
    if (MODEL_CLASSES.contains(cls)) {
      if (from.length != 1) {
        throw new InputException(origin + ": nested model '" + config.get("name") + "' is called on "
            + from.length + " tensors: sentigraph runs models with one input");
      }
      return model(layer, group + "/", from[0], false);
    }
    layers.add(new LayerConfig(cls, config));
    inputs.add(from);
    groups.add(group);
    return layers.size() - 1;
  }

  /**
   * A TextVectorization layer on the model's string input becomes the model's text encoding: the layers it feeds
   * read the model input (its ids) instead, and its output length is the model's.
   */
  private int textVectorization(JsonObject config, String group, int[] from) {
    if (from.length != 1 || from[0] != -1 || textVectorization != null) {
      throw new InputException(origin + ": TextVectorization layer " + config.get("name") + " does not read"
          + " the model's input: sentigraph runs it only as the model's first layer");
    }
    if (KerasTextVectorization.outputMode(config, origin).perWord()) {
      // the layers it feeds read one value per word: the model's input is that vector, as wide as Keras makes it
      int words = -1;
      if (config.has("vocabulary") && config.get("vocabulary").isJsonArray()) {
        List<String> given = new ArrayList<>();
        config.getAsJsonArray("vocabulary").forEach(w -> given.add(w.getAsString()));
        words = KerasTextVectorization.withReservedTokens(given).size() - 1;
      }
      int width = KerasTextVectorization.width(config, words);
      if (width < 1) {
        throw new InputException(origin + ": TextVectorization " + config.get("name") + " has no vocabulary_size:"
            + " expected the vector width Keras saves in its config");
      }
      seqLen = width;
    } else {
      JsonElement length = config.get("output_sequence_length");
      seqLen = length == null || length.isJsonNull() ? ModelConfig.ANY_LENGTH : length.getAsInt();
    }
    textVectorization = config;
    textVectorizationGroup = group;
    return -1;
  }

  /**
   * Refuses layers whose code is not Keras' own, with a line that says what runs instead: their config cannot
   * be rebuilt without the Python class, but a SavedModel export carries the computation.
   */
  static void checkBuiltIn(JsonObject layer, String origin) {
    String cls = text(layer.get("class_name"));
    JsonObject config = layerConfig(layer);
    String name = config.has("name") && !config.get("name").isJsonNull() ? " '" + text(config.get("name")) + "'" : "";
    if (cls.equals("Lambda")) {
      throw new InputException(origin + ": layer" + name + " is a Lambda layer, whose Python function"
          + " sentigraph cannot run: export the model as a SavedModel (model.export(dir)), which sentigraph runs");
    }
    String registered = layer.has("registered_name") && !layer.get("registered_name").isJsonNull()
        ? text(layer.get("registered_name")) : null;
    String module = layer.has("module") && !layer.get("module").isJsonNull() ? text(layer.get("module")) : null;
    boolean custom = registered != null && !registered.equals(cls) && !registered.startsWith("keras")
        || module != null && !module.equals("keras") && !module.startsWith("keras.");
    if (custom) {
      throw new InputException(origin + ": layer" + name + " has the custom class '"
          + (registered != null ? registered : module + "." + cls) + "', which sentigraph cannot rebuild: export"
          + " the model as a SavedModel (model.export(dir)), which sentigraph runs");
    }
  }

  /** A JSON string's value, or any other JSON value as written (names in messages only). */
  private static String text(JsonElement e) {
    return e.isJsonPrimitive() ? e.getAsString() : e.toString();
  }

  private JsonObject layerJson(JsonElement e) {
    if (!e.isJsonObject() || !e.getAsJsonObject().has("class_name")) {
      throw new InputException(origin + ": a layer has no class_name: expected Keras' model config");
    }
    return e.getAsJsonObject();
  }

  private static JsonObject layerConfig(JsonObject layer) {
    return layer.has("config") && layer.get("config").isJsonObject() ? layer.getAsJsonObject("config") : new JsonObject();
  }

  private static String groupName(String cls, Map<String, Integer> used) {
    String base = ModelConfig.snakeCase(cls.equals("Model") ? "Functional" : cls);
    int n = used.merge(base, 0, (old, zero) -> old + 1);
    return n == 0 ? base : base + "_" + n;
  }

  /** The names in {@code input_layers}/{@code output_layers}; exactly one is accepted. */
  /** A model's input or output layer names; only the top model may have several outputs. */
  private List<String> endpoints(JsonObject config, String key, String modelName, String what, boolean several) {
    List<String> names = new ArrayList<>();
    JsonElement e = config.get(key);
    if (e != null && e.isJsonArray()) {
      JsonArray a = e.getAsJsonArray();
      // Keras writes one endpoint either bare (["dense", 0, 0]) or in a list ([["dense", 0, 0]])
      if (!a.isEmpty() && a.get(0).isJsonPrimitive()) {
        names.add(a.get(0).getAsString());
      } else {
        for (JsonElement x : a) {
          names.add(x.getAsJsonArray().get(0).getAsString());
        }
      }
    }
    if (names.isEmpty() || names.size() > 1 && !several) {
      throw new InputException(origin + ": model '" + modelName + "' has " + names.size() + " " + what
          + " " + names + ": sentigraph runs models with one input (token ids or text)"
          + (several ? "" : ", and nested models with one output"));
    }
    return names;
  }

  /** The layers whose outputs feed {@code layer}'s one call (Keras 3 and Keras 2 inbound_nodes forms). */
  private List<String> inboundLayers(JsonObject layer, String name) {
    JsonElement nodes = layer.get("inbound_nodes");
    if (nodes == null || !nodes.isJsonArray() || nodes.getAsJsonArray().isEmpty()) {
      throw new InputException(origin + ": layer '" + name + "' has no inbound_nodes: expected a Functional"
          + " model config");
    }
    if (nodes.getAsJsonArray().size() > 1) {
      throw new InputException(origin + ": layer '" + name + "' is called " + nodes.getAsJsonArray().size()
          + " times (a shared layer), which sentigraph does not support");
    }
    JsonElement node = nodes.getAsJsonArray().get(0);
    List<String> sources = new ArrayList<>();
    if (node.isJsonObject()) {
      collectTensors(node.getAsJsonObject().get("args"), sources, name);
      List<String> fromKwargs = new ArrayList<>();
      collectTensors(node.getAsJsonObject().get("kwargs"), fromKwargs, name);
      if (!fromKwargs.isEmpty()) {
        throw new InputException(origin + ": layer '" + name + "' takes tensors " + fromKwargs
            + " as keyword arguments (a mask or state), which sentigraph does not support");
      }
    } else {
      for (JsonElement entry : node.getAsJsonArray()) {
        JsonArray history = entry.getAsJsonArray();
        checkTensorIndex(history, name);
        sources.add(history.get(0).getAsString());
      }
    }
    if (sources.isEmpty()) {
      throw new InputException(origin + ": layer '" + name + "' reads no tensor");
    }
    return sources;
  }

  private void collectTensors(JsonElement e, List<String> sources, String name) {
    if (e == null || e.isJsonNull() || e.isJsonPrimitive()) {
      return;
    }
    if (e.isJsonArray()) {
      for (JsonElement x : e.getAsJsonArray()) {
        collectTensors(x, sources, name);
      }
      return;
    }
    JsonObject o = e.getAsJsonObject();
    if (o.has("class_name") && o.get("class_name").getAsString().equals("__keras_tensor__")) {
      JsonArray history = o.getAsJsonObject("config").getAsJsonArray("keras_history");
      checkTensorIndex(history, name);
      sources.add(history.get(0).getAsString());
      return;
    }
    for (Map.Entry<String, JsonElement> entry : o.entrySet()) {
      collectTensors(entry.getValue(), sources, name);
    }
  }

  private void checkTensorIndex(JsonArray history, String name) {
    if (history.size() > 2 && history.get(2).getAsInt() != 0) {
      throw new InputException(origin + ": layer '" + name + "' reads output " + history.get(2)
          + " of '" + history.get(0).getAsString() + "': sentigraph supports layers with one output");
    }
  }
}
