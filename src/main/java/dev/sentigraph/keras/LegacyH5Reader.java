package dev.sentigraph.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.error.InputException;
import dev.sentigraph.layers.WeightSpec;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Reads a legacy Keras 2 (or Keras 3 {@code model.save("x.h5")}) HDF5 model: the {@code model_config}
 * attribute (Sequential or Functional JSON) and the weights under {@code model_weights}, where each top-level
 * layer (a nested model counts as one) has a group listing its datasets in {@code weight_names}, in the
 * layers' weight order. Concatenated in {@code layer_names} order they are the flattened model's weights in
 * order. Keras 2 arguments Keras 3 no longer takes ({@code input_length}, {@code implementation}) are dropped, so
 * the model can be written back as a {@code .keras} file. {@code CuDNNLSTM} / {@code CuDNNGRU} layers become the
 * LSTM / {@code GRU(reset_after=True)} they equal, their weights converted by {@link CudnnWeights}. Optimizer
 * weights are not read.
 */
public final class LegacyH5Reader {
  /** Keras 2 layer arguments that change nothing here and that Keras 3 refuses. */
  private static final Set<String> KERAS2_ONLY = Set.of("input_length", "implementation");

  private LegacyH5Reader() {}

  /** Where one of the model's weights came from: its dataset, and whether it was CuDNN's layout, converted. */
  public record WeightSource(String datasetPath, boolean fromCudnn) {}

  /** A legacy file as read: the model, and for each of its weights, in order, the dataset it came from. */
  public record Contents(KerasFile file, List<WeightSource> sources) {
    public Contents {
      sources = List.copyOf(sources);
    }
  }

  public static KerasFile read(Path file) {
    return readContents(file).file();
  }

  /** The model and where each weight came from (for {@code inspect}); any damage is one line naming the file. */
  public static Contents readContents(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException(file + " does not exist: expected a Keras .h5 model file");
    }
    try (HdfFile hdf = new HdfFile(file)) {
      String json = stringAttribute(hdf, "model_config", file);
      if (json == null) {
        throw new InputException(file + " has no model_config attribute: expected a whole model saved with"
            + " model.save('x.h5'), not a weights-only file (save_weights)");
      }
      JsonObject modelJson;
      try {
        modelJson = JsonParser.parseString(json).getAsJsonObject();
      } catch (JsonParseException | IllegalStateException e) {
        throw new InputException(file + ": model_config is not valid JSON: expected a Keras model config");
      }
      upgrade(modelJson);
      ModelConfig config = ModelConfig.fromJson(modelJson, file.toString());
      SequentialModel model;
      try {
        model = SequentialModel.of(config);
      } catch (InputException e) {
        throw new InputException(file + ": " + e.getMessage());
      }
      String version = stringAttribute(hdf, "keras_version", file);
      List<WeightSource> sources = new ArrayList<>();
      List<NamedWeight> weights = weights(hdf, model, file, sources);
      return new Contents(new KerasFile(config, weights, null, null, version, null), sources);
    } catch (HdfException e) {
      throw new InputException(file + " is not a readable HDF5 file (" + firstLine(e)
          + "): expected a Keras model.save('x.h5') file");
    } catch (InputException e) {
      throw e;
    } catch (RuntimeException | OutOfMemoryError e) {
      // jhdf trusts the offsets and sizes it reads: damage surfaces as buffer, index or allocation errors
      throw new InputException(file + " is a damaged HDF5 file (" + e.getClass().getSimpleName()
          + "): expected a Keras model.save('x.h5') file");
    }
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  /**
   * Keras 2's config in the form Keras 3 and sentigraph read: a bare list of layers (Keras 2.0-2.2 Sequential)
   * gets its {@code layers} key; arguments Keras 3 refuses are dropped, in nested models and wrappers too.
   */
  static void upgrade(JsonObject modelJson) {
    JsonElement config = modelJson.get("config");
    if (config != null && config.isJsonArray()) {
      JsonObject wrapped = new JsonObject();
      wrapped.add("layers", config);
      modelJson.add("config", wrapped);
    }
    dropKeras2Arguments(modelJson);
  }

  /**
   * Walks every Keras object: drops {@link #KERAS2_ONLY} arguments, renames an InputLayer's
   * {@code batch_input_shape} to Keras 3's {@code batch_shape}, and gives a Sequential model whose first layer
   * declares {@code batch_input_shape} an InputLayer instead (Keras 3 layers refuse the argument).
   */
  private static void dropKeras2Arguments(JsonElement e) {
    if (e.isJsonArray()) {
      e.getAsJsonArray().forEach(LegacyH5Reader::dropKeras2Arguments);
    } else if (e.isJsonObject()) {
      JsonObject o = e.getAsJsonObject();
      if (o.has("class_name") && o.get("config") != null && o.get("config").isJsonObject()) {
        JsonObject config = o.getAsJsonObject("config");
        KERAS2_ONLY.forEach(config::remove);
        String cls = String.valueOf(stringOrNull(o.get("class_name")));
        if (cls.equals("CuDNNLSTM") || cls.equals("CuDNNGRU")) {
          // the layer CuDNN's kernels compute: tanh, sigmoid gates, biases on input and state (GRU reset_after)
          o.addProperty("class_name", cls.substring("CuDNN".length()));
          config.addProperty("activation", "tanh");
          config.addProperty("recurrent_activation", "sigmoid");
          config.addProperty("use_bias", true);
          if (cls.equals("CuDNNGRU")) {
            config.addProperty("reset_after", true);
          }
        }
        if (isKeras2GlorotUniform(o)) {
          // Keras 2.0-2.2 wrote glorot_uniform out as VarianceScaling; Keras 3 names it GlorotUniform
          JsonObject glorot = new JsonObject();
          glorot.add("seed", config.get("seed"));
          o.addProperty("class_name", "GlorotUniform");
          o.add("config", glorot);
        }
        if (cls.equals("Model")) {
          // Keras 3 knows Keras 2's functional Model by the class it became
          o.addProperty("class_name", "Functional");
          o.addProperty("module", "keras.src.models.functional");
        }
        if (cls.equals("InputLayer") && config.has("batch_input_shape")) {
          config.add("batch_shape", config.remove("batch_input_shape"));
        }
        if (cls.equals("Sequential") && config.has("layers") && config.get("layers").isJsonArray()) {
          addInputLayer(config.getAsJsonArray("layers"));
        }
      }
      o.entrySet().forEach(entry -> dropKeras2Arguments(entry.getValue()));
    }
  }

  private static boolean isKeras2GlorotUniform(JsonObject o) {
    JsonObject c = o.getAsJsonObject("config");
    return "VarianceScaling".equals(stringOrNull(o.get("class_name")))
        && c.has("scale") && c.get("scale").isJsonPrimitive() && c.get("scale").getAsDouble() == 1.0
        && "fan_avg".equals(stringOrNull(c.get("mode"))) && "uniform".equals(stringOrNull(c.get("distribution")));
  }

  private static String stringOrNull(JsonElement e) {
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
  }

  private static void addInputLayer(JsonArray layers) {
    if (layers.isEmpty() || !layers.get(0).isJsonObject()) {
      return;
    }
    JsonObject first = layers.get(0).getAsJsonObject();
    JsonObject config = first.has("config") && first.get("config").isJsonObject() ? first.getAsJsonObject("config") : null;
    if ("InputLayer".equals(stringOrNull(first.get("class_name"))) || config == null
        || !config.has("batch_input_shape")) {
      return;
    }
    JsonObject inputConfig = new JsonObject();
    inputConfig.add("batch_shape", config.remove("batch_input_shape"));
    inputConfig.addProperty("dtype", "int32");
    JsonObject input = new JsonObject();
    input.addProperty("class_name", "InputLayer");
    input.add("config", inputConfig);
    JsonArray copy = new JsonArray();
    copy.add(input);
    layers.forEach(copy::add);
    while (!layers.isEmpty()) {
      layers.remove(0);
    }
    copy.forEach(layers::add);
  }

  /** The datasets of every top-level layer in {@code layer_names} order, matched to the flattened layers' weights. */
  private static List<NamedWeight> weights(HdfFile hdf, SequentialModel model, Path file,
      List<WeightSource> sources) {
    Node root = HdfWeights.node(hdf, "model_weights");
    Group weights = root instanceof Group g ? g : hdf; // Keras 1/2 weight-only layouts keep the layers at the root
    List<Dataset> datasets = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String layer : strings(weights.getAttribute("layer_names"), file, "layer_names")) {
      Node group = weights.getChild(layer);
      if (!(group instanceof Group g)) {
        throw new InputException(file + ": model_weights has no group '" + layer + "' named in layer_names");
      }
      for (String w : strings(g.getAttribute("weight_names"), file, layer + " weight_names")) {
        Node d = HdfWeights.node(hdf, g.getPath() + w);
        if (!(d instanceof Dataset dataset)) {
          throw new InputException(file + ": model_weights/" + layer + " has no dataset '" + w + "'");
        }
        datasets.add(dataset);
        names.add(layer + "/" + w);
      }
    }
    List<NamedWeight> out = new ArrayList<>();
    int next = 0;
    for (int i = 0; i < model.layers().size(); i++) {
      String layerName = model.layers().get(i).name();
      List<WeightSpec> specs = model.weights(i);
      for (int s = 0; s < specs.size(); s++) {
        WeightSpec spec = specs.get(s);
        if (next >= datasets.size()) {
          throw new InputException(file + ": model_weights holds " + datasets.size() + " weights but the"
              + " model_config implies more (layer '" + layerName + "' " + spec.name() + " has none)");
        }
        if (isCudnnTriple(specs, s, datasets, next)) {
          out.addAll(cudnnWeights(specs.subList(s, s + 3), datasets.subList(next, next + 3),
              names.subList(next, next + 3), layerName, file));
          for (int k = 0; k < 3; k++) {
            sources.add(new WeightSource(datasets.get(next + k).getPath(), true));
          }
          s += 2;
          next += 3;
          continue;
        }
        Dataset d = datasets.get(next);
        checkShape(d, spec, names.get(next), layerName, file);
        out.add(new NamedWeight(layerName + "/" + spec.name(), spec.shape(), HdfWeights.floats(d, file + ": weight " + names.get(next))));
        sources.add(new WeightSource(d.getPath(), false));
        next++;
      }
    }
    if (next != datasets.size()) {
      throw new InputException(file + ": model_weights holds " + datasets.size() + " weights but the"
          + " model_config implies " + next);
    }
    return out;
  }

  /** Whether specs s..s+2 are a recurrent layer's kernel, recurrent kernel and bias, stored in CuDNN's layout. */
  private static boolean isCudnnTriple(List<WeightSpec> specs, int s, List<Dataset> datasets, int next) {
    if (s + 2 >= specs.size() || next + 2 >= datasets.size() || !specs.get(s + 1).name().endsWith("recurrent_kernel")
        || !specs.get(s + 2).name().endsWith("bias")) {
      return false;
    }
    long[] stored = Arrays.stream(datasets.get(next + 2).getDimensions()).asLongStream().toArray();
    return CudnnWeights.storedAsCudnn(specs.get(s + 1).shape(), specs.get(s + 2).shape(), stored);
  }

  /** A CuDNNLSTM / CuDNNGRU layer's kernel, recurrent kernel and bias in the LSTM / GRU layout. */
  private static List<NamedWeight> cudnnWeights(List<WeightSpec> specs, List<Dataset> d, List<String> names,
      String layerName, Path file) {
    checkShape(d.get(0), specs.get(0), names.get(0), layerName, file);
    checkShape(d.get(1), specs.get(1), names.get(1), layerName, file);
    int inputDim = (int) specs.get(0).shape()[0];
    int units = (int) specs.get(1).shape()[0];
    int gates = (int) (specs.get(1).shape()[1] / units);
    float[][] values = new float[3][];
    for (int k = 0; k < 3; k++) {
      values[k] = HdfWeights.floats(d.get(k), file + ": weight " + names.get(k));
    }
    float[][] keras = {CudnnWeights.kernel(values[0], inputDim, units, gates),
        CudnnWeights.recurrentKernel(values[1], units, gates), CudnnWeights.bias(values[2], units, gates)};
    List<NamedWeight> out = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      out.add(new NamedWeight(layerName + "/" + specs.get(k).name(), specs.get(k).shape(), keras[k]));
    }
    return out;
  }

  private static void checkShape(Dataset d, WeightSpec spec, String name, String layerName, Path file) {
    long[] actual = Arrays.stream(d.getDimensions()).asLongStream().toArray();
    if (!Arrays.equals(actual, spec.shape())) {
      throw new InputException(file + ": weight " + name + " has shape " + Arrays.toString(actual)
          + " but model_config implies " + Arrays.toString(spec.shape()) + " for '" + layerName + "' " + spec.name());
    }
  }

  private static String stringAttribute(HdfFile hdf, String name, Path file) {
    Attribute a = hdf.getAttribute(name);
    if (a == null) {
      return null;
    }
    Object data = a.getData();
    if (data instanceof String s) {
      return s;
    }
    List<String> list = strings(a, file, name);
    return list.size() == 1 ? list.get(0) : null;
  }

  private static List<String> strings(Attribute a, Path file, String what) {
    if (a == null) {
      throw new InputException(file + ": no " + what + " attribute: expected Keras' h5 model layout");
    }
    Object data = a.getData();
    List<String> out = new ArrayList<>();
    if (data instanceof String s) {
      out.add(s);
    } else if (data != null && data.getClass().isArray()) {
      for (int i = 0; i < Array.getLength(data); i++) {
        Object v = Array.get(data, i);
        out.add(v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(v));
      }
    }
    return out;
  }
}
