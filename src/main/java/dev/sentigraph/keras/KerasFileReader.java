package dev.sentigraph.keras;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.data.OutputMode;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.JsonInput;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.savedmodel.ExportMetadata;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a Keras 3 {@code .keras} archive: {@code config.json} rebuilt as a sentigraph model (the layer types
 * sentigraph supports), the weights from {@code model.weights.h5} (jhdf), checked dataset by dataset against the
 * shapes the config implies. Optimizer state in the file is not read.
 */
public final class KerasFileReader {
  static final String CONFIG = "config.json";
  static final String METADATA = "metadata.json";
  static final String WEIGHTS = "model.weights.h5";

  private KerasFileReader() {}

  public static KerasFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException(file + " does not exist: expected a .keras file");
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      String configJson = new String(entry(zip, file, CONFIG), StandardCharsets.UTF_8);
      ModelConfig config = parseConfig(configJson, file);
      SequentialModel model;
      try {
        model = SequentialModel.of(config);
      } catch (InputException e) {
        throw new InputException(file + ": " + e.getMessage());
      }
      List<NamedWeight> weights = readWeights(entry(zip, file, WEIGHTS), model, file);
      String kerasVersion = zip.getEntry(METADATA) == null ? null
          : kerasVersion(new String(entry(zip, file, METADATA), StandardCharsets.UTF_8));
      ExportMetadata sentigraph = zip.getEntry(ExportMetadata.FILE_NAME) == null ? null
          : ExportMetadata.parse(new String(entry(zip, file, ExportMetadata.FILE_NAME), StandardCharsets.UTF_8),
              file + " " + ExportMetadata.FILE_NAME);
      KerasTextVectorization vectorization = textVectorization(zip, file, config);
      if (vectorization != null && vectorization.outputMode() == OutputMode.TF_IDF) {
        vectorization = vectorization.withIdfWeights(idfWeights(entry(zip, file, WEIGHTS), config, file));
      }
      return new KerasFile(config, weights, sentigraph == null ? null : sentigraph.data(),
          sentigraph == null ? null : sentigraph.metrics(), kerasVersion, vectorization);
    } catch (ZipException e) {
      throw new InputException(file + " is not a .keras file (not a zip archive): expected a Keras 3"
          + " model.save('....keras') archive with config.json and model.weights.h5");
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /**
   * The model's TextVectorization, its vocabulary from its config or from the archive's assets
   * ({@code assets/layers/text_vectorization/vocabulary.txt}, one word a line); null for a token model.
   */
  private static KerasTextVectorization textVectorization(ZipFile zip, Path file, ModelConfig config)
      throws IOException {
    if (config.graph() == null || config.graph().textVectorization() == null) {
      return null;
    }
    JsonObject layer = config.graph().textVectorization();
    List<String> words = new ArrayList<>();
    if (layer.has("vocabulary") && layer.get("vocabulary").isJsonArray()) {
      layer.getAsJsonArray("vocabulary").forEach(w -> words.add(w.getAsString()));
    } else {
      String name = "assets/" + config.graph().textVectorizationGroup() + "/vocabulary.txt";
      if (zip.getEntry(name) == null) {
        throw new InputException(file + " has no " + name + ": expected the TextVectorization vocabulary"
            + " Keras saves in the archive's assets");
      }
      String text = new String(entry(zip, file, name), StandardCharsets.UTF_8);
      words.addAll(Arrays.asList(text.split("\n", -1)));
      if (words.size() > 2 && words.get(words.size() - 1).isEmpty()) {
        words.remove(words.size() - 1); // a final newline
      }
    }
    return KerasTextVectorization.fromConfig(layer, words, config.anyLength() ? null : config.seqLen(),
        file.toString());
  }

  /**
   * A {@code tf_idf} TextVectorization's weight per column: Keras saves them as the layer's variable
   * {@code idf_weights} ({@code layers/text_vectorization/vars/idf_weights}), not in its config.
   */
  private static float[] idfWeights(byte[] h5, ModelConfig config, Path file) {
    String path = config.graph().textVectorizationGroup() + "/vars/idf_weights";
    try (HdfFile hdf = HdfFile.fromBytes(h5)) {
      if (!(HdfWeights.node(hdf, path) instanceof Dataset d)) {
        throw new InputException(file + ": " + WEIGHTS + " has no dataset " + path + ": expected the idf"
            + " weights of its tf_idf TextVectorization");
      }
      return HdfWeights.floats(d, file + ": " + WEIGHTS + " " + path);
    } catch (HdfException e) {
      throw new InputException(file + ": " + WEIGHTS + " is damaged (" + firstLine(e) + ")");
    }
  }

  private static byte[] entry(ZipFile zip, Path file, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new InputException(file + " has no " + name + ": expected a Keras 3 .keras archive with "
          + CONFIG + " and " + WEIGHTS);
    }
    try (InputStream in = zip.getInputStream(e)) {
      return in.readAllBytes();
    } catch (ZipException ex) {
      throw new InputException(file + ": entry " + name + " is damaged (" + ex.getMessage() + ")");
    }
  }

  private static ModelConfig parseConfig(String json, Path file) {
    try {
      return ModelConfig.fromJson(JsonInput.parse(json).getAsJsonObject(), file + " " + CONFIG);
    } catch (JsonParseException | IllegalStateException e) {
      throw new InputException(file + ": " + CONFIG + " is not valid JSON: expected a Keras model config");
    }
  }

  private static String kerasVersion(String metadataJson) {
    try {
      JsonObject o = JsonInput.parse(metadataJson).getAsJsonObject();
      return o.get("keras_version") instanceof com.google.gson.JsonPrimitive p && p.isString() ? p.getAsString() : null;
    } catch (JsonParseException | IllegalStateException e) {
      return null; // metadata is informative only; Keras itself does not need it to load
    }
  }

  private static List<NamedWeight> readWeights(byte[] h5, SequentialModel model, Path file) {
    List<NamedWeight> weights = new ArrayList<>();
    try (HdfFile hdf = HdfFile.fromBytes(h5)) {
      // HDF5 records where the file ends: a cut that misses the datasets read below is still a damaged file
      long end = hdf.getHdfBackingStorage().getSuperblock().getEndOfFileAddress()
          + hdf.getHdfBackingStorage().getSuperblock().getBaseAddressByte();
      if (end != h5.length) {
        throw new InputException(file + ": " + WEIGHTS + " is " + h5.length + " bytes but its HDF5 superblock"
            + " says " + end + ": expected an untruncated HDF5 file");
      }
      for (KerasWeightLayout.Entry entry : KerasWeightLayout.of(model)) {
        checkWeightCount(hdf, entry, file);
        for (int i = 0; i < entry.weights().size(); i++) {
          long[] expected = entry.weights().get(i).shape();
          Dataset d = dataset(hdf, entry, i, file);
          long[] actual = Arrays.stream(d.getDimensions()).asLongStream().toArray();
          if (!Arrays.equals(actual, expected)) {
            throw new InputException(file + ": " + WEIGHTS + " " + entry.datasetPath(i) + " ("
                + entry.weightPath(i) + ") has shape " + Arrays.toString(actual) + " but " + CONFIG + " implies "
                + Arrays.toString(expected));
          }
          weights.add(new NamedWeight(entry.weightPath(i), expected, HdfWeights.floats(d, file + ": " + WEIGHTS + " " + entry.datasetPath(i))));
        }
      }
    } catch (HdfException e) {
      throw new InputException(file + ": " + WEIGHTS + " is damaged or truncated (" + firstLine(e)
          + "): expected the HDF5 weights Keras writes");
    } catch (InputException e) {
      throw e;
    } catch (RuntimeException | OutOfMemoryError e) {
      // jhdf trusts the offsets and sizes it reads: damage surfaces as buffer, index or allocation errors
      throw new InputException(file + ": " + WEIGHTS + " is damaged (" + e.getClass().getSimpleName()
          + "): expected the HDF5 weights Keras writes");
    }
    return weights;
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  private static void checkWeightCount(HdfFile hdf, KerasWeightLayout.Entry entry, Path file) {
    if (entry.weights().isEmpty()) {
      return; // Keras needs no group for a layer without weights
    }
    for (Map.Entry<String, Integer> group : entry.datasetGroups().entrySet()) {
      Node vars = HdfWeights.node(hdf, group.getKey());
      int count = vars instanceof Group g ? g.getChildren().size() : 0;
      if (vars == null || count != group.getValue()) {
        throw new InputException(file + ": layer " + entry.layerIndex() + " (" + entry.layer().className()
            + ") '" + entry.layer().name() + "' has " + (vars == null ? "no group " + group.getKey() : count
            + " weights in " + group.getKey()) + " in " + WEIGHTS + ": expected " + group.getValue());
      }
    }
  }

  private static Dataset dataset(HdfFile hdf, KerasWeightLayout.Entry entry, int i, Path file) {
    Node n = HdfWeights.node(hdf, entry.datasetPath(i));
    if (!(n instanceof Dataset d)) {
      throw new InputException(file + ": " + WEIGHTS + " has no dataset " + entry.datasetPath(i) + " for "
          + entry.weightPath(i) + ": the weights do not match " + CONFIG);
    }
    return d;
  }
}
