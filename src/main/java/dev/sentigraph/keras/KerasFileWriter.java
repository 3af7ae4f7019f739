package dev.sentigraph.keras;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.sentigraph.config.LayerConfig;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.AtomicFile;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.savedmodel.ExportMetadata;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a trained model as a Keras 3 {@code .keras} archive that {@code keras.models.load_model} opens as one of
 * its own: {@code config.json} in Keras' full serialization (modules, build configs), {@code metadata.json}, and
 * {@code model.weights.h5} laid out as Keras lays it out ({@link KerasWeightLayout}). The model is saved
 * uncompiled, as Keras saves a model before {@code compile()}: Keras users compile with their own optimizer.
 * sentigraph's data settings ride along in {@code sentigraph.json}, which Keras ignores.
 */
public final class KerasFileWriter {
  /** The Keras release whose file layout this writer reproduces (and checks against, in scripts/). */
  static final String KERAS_LAYOUT_VERSION = "3.15.1";

  /** Layers whose Keras 3 constructor refuses a {@code trainable} argument (their get_config leaves it out). */
  private static final java.util.Set<String> NO_TRAINABLE_ARGUMENT = java.util.Set.of("SpatialDropout1D");

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

  private KerasFileWriter() {}

  public static void write(TrainedModel model, Path target, boolean force, String version) throws IOException {
    if (Files.exists(target) && !force) {
      throw new InputException(target + " already exists: expected a new path (or replace it on purpose)", "force");
    }
    if (Files.isDirectory(target)) {
      throw new InputException(target + " is a folder: expected a .keras file name", "out");
    }
    SequentialModel sequential = SequentialModel.of(model.config());
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path h5 = Files.createTempFile(dir, "." + target.getFileName() + ".", ".h5.tmp");
    try {
      writeWeights(sequential, model.weights(), h5);
      byte[] weights = Files.readAllBytes(h5);
      String metadata = GSON.toJson(metadata(version));
      List<String> vocabulary = model.textVectorization() == null ? null : model.textVectorization().vocabulary();
      boolean vocabularyInConfig = vocabulary != null && !readableAsLines(vocabulary);
      String config = GSON.toJson(modelJson(sequential, vocabularyInConfig ? vocabulary : null));
      String sentigraph = ExportMetadata.of(model, version).toJsonString();
      Map<String, byte[]> assets = vocabularyInConfig ? Map.of() : assets(model, sequential);
      AtomicFile.write(target, out -> {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
          putStored(zip, KerasFileReader.METADATA, metadata.getBytes(StandardCharsets.UTF_8));
          putStored(zip, KerasFileReader.CONFIG, config.getBytes(StandardCharsets.UTF_8));
          putStored(zip, KerasFileReader.WEIGHTS, weights);
          for (Map.Entry<String, byte[]> asset : assets.entrySet()) {
            putStored(zip, asset.getKey(), asset.getValue());
          }
          putStored(zip, ExportMetadata.FILE_NAME, sentigraph.getBytes(StandardCharsets.UTF_8));
        }
      });
    } finally {
      Files.deleteIfExists(h5);
    }
  }

  /**
   * Whether Keras reads the words back from {@code vocabulary.txt} as written: it splits the file with Python's
   * {@code splitlines()}, which also breaks at U+001C-U+001E, U+0085, U+2028 and U+2029, characters that
   * TextVectorization's whitespace split keeps inside words (aclImdb has {@code "fact\u0085"}, a mis-decoded
   * ellipsis). Such a vocabulary goes in the layer's config instead, which Keras reads from JSON.
   */
  static boolean readableAsLines(List<String> words) {
    for (String w : words) {
      for (int i = 0; i < w.length(); i++) {
        char c = w.charAt(i);
        if (c >= '\u001c' && c <= '\u001e' || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\n'
            || c == '\r' || c == '\u000b' || c == '\u000c') {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * A TextVectorization's vocabulary, one word a line, where Keras 3 keeps it: for the layer and for its inner
   * lookup layer.
   */
  private static Map<String, byte[]> assets(TrainedModel model, SequentialModel sequential) {
    Map<String, byte[]> assets = new java.util.LinkedHashMap<>();
    if (model.textVectorization() != null && sequential.config().graph() != null) {
      byte[] vocabulary = String.join("\n", model.textVectorization().vocabulary()).getBytes(StandardCharsets.UTF_8);
      String group = "assets/" + sequential.config().graph().textVectorizationGroup();
      assets.put(group + "/_lookup_layer/vocabulary.txt", vocabulary);
      assets.put(group + "/vocabulary.txt", vocabulary);
    }
    return assets;
  }

  /** Keras stores its entries uncompressed, so h5py can seek inside the weights without inflating them. */
  private static void putStored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(bytes.length);
    e.setCompressedSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(bytes);
    zip.closeEntry();
  }

  private static JsonObject metadata(String version) {
    JsonObject o = new JsonObject();
    o.addProperty("keras_version", KERAS_LAYOUT_VERSION);
    o.addProperty("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
    o.addProperty("saved_by", "sentigraph " + version);
    return o;
  }

  private static void writeWeights(SequentialModel model, List<NamedWeight> weights, Path file) {
    Map<String, NamedWeight> byPath = new HashMap<>();
    for (NamedWeight w : weights) {
      byPath.put(w.path(), w);
    }
    // Only "layers" at the root: jhdf (0.9.4 to 0.11.0) writes a root group that sorts after one holding datasets
    // with a header h5py cannot open. Keras reads the model's own (empty) "vars" as empty when it is absent.
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      Map<String, WritableGroup> groups = new HashMap<>();
      for (KerasWeightLayout.Entry entry : KerasWeightLayout.of(model)) {
        if (entry.weights().isEmpty()) {
          if (model.config().graph() == null) {
            group(hdf, groups, entry.weightsGroup()).putAttribute("name", entry.layer().name());
          }
          // Keras loads a weightless layer without its group; jhdf 0.9.4 writes some empty groups beside nested
          // models with a header h5py cannot read (a Dropout before a nested model)
          continue;
        }
        if (model.config().graph() == null && !entry.layer().kerasWeightsGroup().equals("vars")) {
          group(hdf, groups, entry.group() + "/vars").putAttribute("name", entry.layer().name());
        }
        for (int i = 0; i < entry.weights().size(); i++) {
          String path = entry.datasetPath(i);
          String parent = path.substring(0, path.lastIndexOf('/'));
          boolean made = groups.containsKey(parent);
          WritableGroup vars = group(hdf, groups, parent);
          if (!made) {
            // recurrent layers keep their weights in the cell, named after the cell class (lstm_cell)
            vars.putAttribute("name", parent.endsWith("cell/vars") ? entry.layer().name() + "_cell" : entry.layer().name());
          }
          NamedWeight w = byPath.get(entry.weightPath(i));
          long[] shape = entry.weights().get(i).shape();
          if (w == null || !Arrays.equals(w.shape(), shape)) {
            throw new IllegalArgumentException("weight " + entry.weightPath(i) + " is missing or has the wrong shape");
          }
          vars.putDataset(path.substring(path.lastIndexOf('/') + 1), nested(w.values(), shape));
        }
      }
    }
  }

  /** The group at {@code path} (a nested model's layers sit under its own group), made on first use. */
  private static WritableGroup group(WritableHdfFile hdf, Map<String, WritableGroup> groups, String path) {
    WritableGroup g = groups.get(path);
    if (g == null) {
      int slash = path.lastIndexOf('/');
      g = slash < 0 ? hdf.putGroup(path) : group(hdf, groups, path.substring(0, slash)).putGroup(path.substring(slash + 1));
      groups.put(path, g);
    }
    return g;
  }

  /** jhdf takes an n-dimensional Java array; Keras' weights are row-major like {@code values}. */
  private static Object nested(float[] values, long[] shape) {
    if (shape.length <= 1) {
      return values.clone();
    }
    int[] dims = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = Math.toIntExact(shape[i]);
    }
    Object array = Array.newInstance(float.class, dims);
    fill(array, values, 0, dims, 0);
    return array;
  }

  private static int fill(Object array, float[] values, int offset, int[] dims, int depth) {
    if (depth == dims.length - 1) {
      System.arraycopy(values, offset, array, 0, dims[depth]);
      return offset + dims[depth];
    }
    for (int i = 0; i < dims[depth]; i++) {
      offset = fill(Array.get(array, i), values, offset, dims, depth + 1);
    }
    return offset;
  }

  /**
   * The model in Keras 3's {@code serialize_keras_object} form, as {@code model.save()} writes it; a Functional
   * model's config as it was read.
   */
  private static JsonObject modelJson(SequentialModel model, List<String> vocabularyInConfig) {
    if (model.config().graph() != null) {
      JsonObject json = model.config().toJson();
      dropCompileConfigs(json);
      if (vocabularyInConfig != null) {
        JsonArray words = new JsonArray();
        vocabularyInConfig.forEach(words::add);
        textVectorizationConfig(json).add("vocabulary", words);
      }
      return json;
    }
    JsonArray layers = new JsonArray();
    layers.add(inputLayerJson(model.config().seqLen()));
    for (int i = 0; i < model.layers().size(); i++) {
      LayerConfig layer = model.config().layers().get(i);
      JsonObject config = withModules(layer.config());
      config.addProperty("name", model.layers().get(i).name());
      if (!config.has("trainable") && !NO_TRAINABLE_ARGUMENT.contains(layer.className())) {
        config.addProperty("trainable", true);
      }
      layers.add(serialized("keras.layers", layer.className(), config, shapeWithBatch(model.inputShape(i))));
    }
    JsonObject config = new JsonObject();
    config.addProperty("name", model.config().name());
    config.addProperty("trainable", true);
    config.add("layers", layers);
    config.add("build_input_shape", shapeWithBatch(new long[] {model.config().seqLen()}));
    return serialized("keras", "Sequential", config, shapeWithBatch(new long[] {model.config().seqLen()}));
  }

  /** The config of the (one) TextVectorization layer in a model's Keras JSON, or null. */
  private static JsonObject textVectorizationConfig(JsonElement e) {
    if (e.isJsonArray()) {
      for (JsonElement x : e.getAsJsonArray()) {
        JsonObject found = textVectorizationConfig(x);
        if (found != null) {
          return found;
        }
      }
    } else if (e.isJsonObject()) {
      JsonObject o = e.getAsJsonObject();
      if (o.has("class_name") && o.get("class_name").isJsonPrimitive()
          && o.get("class_name").getAsString().equals("TextVectorization") && o.get("config").isJsonObject()) {
        return o.getAsJsonObject("config");
      }
      for (Map.Entry<String, JsonElement> entry : o.entrySet()) {
        JsonObject found = textVectorizationConfig(entry.getValue());
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /**
   * The file holds no optimizer state, so no model in it may say it was compiled (a nested model often was):
   * Keras would build that optimizer and warn that its variables are missing.
   */
  private static void dropCompileConfigs(JsonElement e) {
    if (e.isJsonArray()) {
      e.getAsJsonArray().forEach(KerasFileWriter::dropCompileConfigs);
    } else if (e.isJsonObject()) {
      e.getAsJsonObject().remove("compile_config");
      e.getAsJsonObject().entrySet().forEach(entry -> dropCompileConfigs(entry.getValue()));
    }
  }

  private static JsonObject inputLayerJson(int seqLen) {
    JsonObject config = new JsonObject();
    config.add("batch_shape", shapeWithBatch(new long[] {seqLen}));
    config.addProperty("dtype", "int32");
    config.addProperty("sparse", false);
    config.addProperty("name", "tokens");
    return serialized("keras.layers", "InputLayer", config, null);
  }

  private static JsonObject serialized(String module, String className, JsonObject config, JsonArray buildShape) {
    JsonObject o = new JsonObject();
    o.addProperty("module", module);
    o.addProperty("class_name", className);
    o.add("config", config);
    o.add("registered_name", JsonNull.INSTANCE);
    if (buildShape != null) {
      JsonObject build = new JsonObject();
      build.add("input_shape", buildShape);
      o.add("build_config", build);
    }
    return o;
  }

  /**
   * Keras 3 finds a nested object's class through its {@code module}; configs written by hand or by presets leave
   * it out ({@code {"class_name": "Identity", ...}}), so it is added from the argument's kind.
   */
  private static JsonObject withModules(JsonObject layerConfig) {
    JsonObject copy = layerConfig.deepCopy();
    for (Map.Entry<String, JsonElement> e : copy.entrySet()) {
      if (!e.getValue().isJsonObject()) {
        continue;
      }
      JsonObject nested = e.getValue().getAsJsonObject();
      String module = moduleFor(e.getKey());
      if (module != null && nested.has("class_name") && !nested.has("module")) {
        nested.addProperty("module", module);
        nested.add("registered_name", JsonNull.INSTANCE);
        if (!nested.has("config")) {
          nested.add("config", new JsonObject());
        }
      }
      if (module != null && module.equals("keras.layers") && nested.get("config").isJsonObject()) {
        nested.add("config", withModules(nested.getAsJsonObject("config"))); // a wrapped layer's own arguments
      }
    }
    return copy;
  }

  private static String moduleFor(String argument) {
    if (argument.endsWith("_initializer")) {
      return "keras.initializers";
    }
    if (argument.endsWith("_regularizer")) {
      return "keras.regularizers";
    }
    if (argument.endsWith("_constraint")) {
      return "keras.constraints";
    }
    if (argument.equals("layer") || argument.equals("backward_layer")) {
      return "keras.layers"; // Bidirectional's wrapped layers
    }
    return argument.equals("dtype") ? "keras" : null;
  }

  private static JsonArray shapeWithBatch(long[] shape) {
    JsonArray a = new JsonArray();
    a.add(JsonNull.INSTANCE);
    for (long d : shape) {
      a.add(d);
    }
    return a;
  }
}
