package dev.sentigraph.keras;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.sentigraph.InvalidInputException;
import dev.sentigraph.io.AtomicFile;
import dev.sentigraph.model.ExportMetadata;
import dev.sentigraph.model.LayerConfig;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
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

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

  private KerasFileWriter() {}

  public static void write(TrainedModel model, Path target, boolean force, String version) throws IOException {
    if (Files.exists(target) && !force) {
      throw new InvalidInputException(target + " already exists: expected a new path (or replace it on purpose)", "force");
    }
    if (Files.isDirectory(target)) {
      throw new InvalidInputException(target + " is a folder: expected a .keras file name", "out");
    }
    SequentialModel sequential = SequentialModel.of(model.config());
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path h5 = Files.createTempFile(dir, "." + target.getFileName() + ".", ".h5.tmp");
    try {
      writeWeights(sequential, model.weights(), h5);
      byte[] weights = Files.readAllBytes(h5);
      String metadata = GSON.toJson(metadata(version));
      String config = GSON.toJson(modelJson(sequential));
      String sentigraph = ExportMetadata.of(model, version).toJsonString();
      AtomicFile.write(target, out -> {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
          putStored(zip, KerasFileReader.METADATA, metadata.getBytes(StandardCharsets.UTF_8));
          putStored(zip, KerasFileReader.CONFIG, config.getBytes(StandardCharsets.UTF_8));
          putStored(zip, KerasFileReader.WEIGHTS, weights);
          putStored(zip, ExportMetadata.FILE_NAME, sentigraph.getBytes(StandardCharsets.UTF_8));
        }
      });
    } finally {
      Files.deleteIfExists(h5);
    }
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
      WritableGroup layers = hdf.putGroup("layers");
      for (KerasWeightLayout.Entry entry : KerasWeightLayout.of(model)) {
        WritableGroup group = layers.putGroup(entry.group().substring("layers/".length()));
        WritableGroup vars = group.putGroup("vars");
        vars.putAttribute("name", entry.layer().name());
        if (!entry.layer().kerasWeightsGroup().equals("vars")) {
          // recurrent layers keep their weights in the cell, named after the cell class (lstm_cell)
          vars = group.putGroup("cell").putGroup("vars");
          vars.putAttribute("name", entry.layer().name() + "_cell");
        }
        for (int i = 0; i < entry.weights().size(); i++) {
          NamedWeight w = byPath.get(entry.weightPath(i));
          long[] shape = entry.weights().get(i).shape();
          if (w == null || !Arrays.equals(w.shape(), shape)) {
            throw new IllegalArgumentException("weight " + entry.weightPath(i) + " is missing or has the wrong shape");
          }
          vars.putDataset(Integer.toString(i), nested(w.values(), shape));
        }
      }
    }
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

  /** The model in Keras 3's {@code serialize_keras_object} form, as {@code model.save()} writes it. */
  private static JsonObject modelJson(SequentialModel model) {
    JsonArray layers = new JsonArray();
    layers.add(inputLayerJson(model.config().seqLen()));
    for (int i = 0; i < model.layers().size(); i++) {
      LayerConfig layer = model.config().layers().get(i);
      JsonObject config = withModules(layer.config());
      config.addProperty("name", model.layers().get(i).name());
      if (!config.has("trainable")) {
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
