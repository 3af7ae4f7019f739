package dev.sentigraph.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.error.InputException;
import dev.sentigraph.format.LayerListing;
import dev.sentigraph.format.ModelFormats;
import dev.sentigraph.keras.KerasFile;
import dev.sentigraph.keras.KerasWeightLayout;
import dev.sentigraph.model.ModelInput;
import dev.sentigraph.model.ModelOutput;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.savedmodel.ModelProbe;
import dev.sentigraph.savedmodel.SavedModelInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sentigraph inspect}: a SavedModel's tags and signatures, as {@code saved_model_cli show --all}; a
 * {@code .keras} or legacy {@code .h5} file's input, layers with their weights' shapes and h5 datasets, and output.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show a SavedModel's tags, signatures, inputs and outputs, or a .keras or .h5 file's layers and weights.")
final class InspectCommand implements Callable<Integer> {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

  @Parameters(paramLabel = "PATH", arity = "0..1",
      description = "A SavedModel folder, a .keras or Keras .h5 file, or a run folder.")
  Path path;

  /** The other commands name their model with --model, so inspect takes it too. */
  @Option(names = "--model", paramLabel = "M", description = "The model, as PATH.")
  Path model;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Option(names = "--probe", description = "Also load the SavedModel and run one review in a child process, so that"
      + " a model that would abort TensorFlow is refused here (2-4 s).")
  boolean probe;

  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if ((path == null) == (model == null)) {
      throw new InputException("give the model to inspect once: as PATH or as --model M");
    }
    if (path == null) {
      path = model;
    }
    Optional<LayerListing> layers = ModelFormats.find(path).flatMap(f -> f.layers(path));
    if (layers.isPresent()) {
      LayerListing l = layers.get();
      printLayers(l.kind(), l.file(), SequentialModel.of(l.file().config()), l.weightSources(), l.fromCudnn());
      return 0;
    }
    SavedModelInfo info = SavedModelInfo.read(path);
    if (probe) {
      ModelProbe.check(path, null, Duration.ofMinutes(2));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(GSON.toJson(info.metaGraphs()));
    } else {
      for (SavedModelInfo.MetaGraph mg : info.metaGraphs()) {
        out.println("MetaGraphDef with tag-set: " + String.join(", ", mg.tags()));
        for (SavedModelInfo.Signature s : mg.signatures()) {
          out.println("  signature_def['" + s.key() + "']:");
          for (SavedModelInfo.TensorSpec t : s.inputs()) {
            out.printf("    input  %-28s dtype %-7s shape %s  (%s)%n", t.key(), t.dtype(), Arrays.toString(t.shape()), t.tensorName());
          }
          for (SavedModelInfo.TensorSpec t : s.outputs()) {
            out.printf("    output %-28s dtype %-7s shape %s  (%s)%n", t.key(), t.dtype(), Arrays.toString(t.shape()), t.tensorName());
          }
          out.println("    method: " + s.method());
        }
      }
    }
    out.flush();
    return 0;
  }

  /** What the model is fed, as the model runs here: texts through its TextVectorization, features, or token ids. */
  private static String inputLine(KerasTextVectorization text, boolean features, String length) {
    if (text != null && text.outputMode().perWord()) {
      return "string texts, shape [None, 1], TextVectorization to a " + text.outputMode().kerasName() + " vector of "
          + length + " values ([UNK] and " + (text.vocabulary().size() - 2) + " words)";
    }
    if (text != null) {
      return "string texts, shape [None, 1], TextVectorization to " + length + " ids (" + text.vocabulary().size()
          + " words)";
    }
    return features ? "float32 features, shape [None, " + length + "] (its input feeds no Embedding: not token ids;"
        + " predict fills it with --features multi_hot or count)" : "int32 token ids, shape [None, " + length + "]";
  }

  /**
   * A model file's input, layers (output shapes, weights and the h5 datasets they come from) and output, as the
   * model runs here: an any-length input's time axis is None, a TextVectorization model takes strings.
   * {@code sources} are the weights' h5 datasets in order (null for a run folder); {@code cudnn} marks weights
   * converted from CuDNN's layout (empty: none).
   */
  private void printLayers(String kind, KerasFile file, SequentialModel model, List<String> sources, List<Boolean> cudnn) {
    ModelConfig config = file.config();
    List<KerasWeightLayout.Entry> layout = KerasWeightLayout.of(model);
    List<List<Long>> shapes = new ArrayList<>();
    SequentialModel longer = config.anyLength() ? SequentialModel.of(config.withSeqLen(ModelConfig.NOMINAL_LENGTH + 1)) : null;
    for (KerasWeightLayout.Entry entry : layout) {
      shapes.add(shape(model.outputShape(entry.layerIndex()), longer == null ? null : longer.outputShape(entry.layerIndex())));
    }
    KerasTextVectorization text = file.textVectorization();
    String length = config.anyLength() ? "None" : String.valueOf(config.seqLen());
    boolean features = model.input() instanceof ModelInput.DenseFeatures;
    String input = inputLine(text, features, length);
    List<ModelOutput> outputs = model.outputs();
    List<String> outputLines = outputs.stream().map(o -> (outputs.size() > 1 ? "'" + o.name() + "' " : "")
        + "float32 " + o.kind().defaultName() + ", shape [None, " + o.width() + "]").toList();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonObject doc = new JsonObject();
      doc.addProperty("format", switch (kind) {
        case "Keras file" -> "keras";
        case "Run folder" -> "run";
        default -> "h5";
      });
      doc.addProperty("keras_version", file.kerasVersion());
      doc.addProperty("name", config.name());
      doc.add("input_shape", GSON.toJsonTree(new Object[] {null, config.anyLength() ? null : config.seqLen()}));
      doc.addProperty("input_dtype", text != null ? "string" : features ? "float32" : "int32");
      JsonArray layers = new JsonArray();
      int w = 0;
      for (int l = 0; l < layout.size(); l++) {
        KerasWeightLayout.Entry entry = layout.get(l);
        JsonObject layer = new JsonObject();
        layer.addProperty("class_name", entry.layer().className());
        layer.addProperty("name", entry.layer().name());
        layer.add("output_shape", GSON.toJsonTree(shapes.get(l)));
        if (config.graph() != null) {
          layer.add("inbound", GSON.toJsonTree(inbound(model, entry.layerIndex())));
        }
        JsonArray weights = new JsonArray();
        for (int i = 0; i < entry.weights().size(); i++, w++) {
          JsonObject weight = new JsonObject();
          weight.addProperty("name", entry.weights().get(i).name());
          weight.add("shape", GSON.toJsonTree(entry.weights().get(i).shape()));
          if (sources != null) {
            weight.addProperty("h5_path", sources.get(w));
          }
          if (!cudnn.isEmpty() && cudnn.get(w)) {
            weight.addProperty("converted_from", "CuDNN");
          }
          weights.add(weight);
        }
        layer.add("weights", weights);
        layers.add(layer);
      }
      doc.add("layers", layers);
      doc.addProperty("output_dtype", "float32");
      JsonArray outs = new JsonArray();
      for (ModelOutput o : outputs) {
        JsonObject output = new JsonObject();
        output.addProperty("name", o.name());
        output.addProperty("kind", o.kind().defaultName());
        output.add("shape", GSON.toJsonTree(new Object[] {null, o.width()}));
        outs.add(output);
      }
      doc.add("outputs", outs);
      doc.addProperty("total_params", model.paramCount());
      if (file.data() != null) {
        doc.add("sentigraph_data", file.data().toJson());
      }
      out.println(GSON.toJson(doc));
    } else {
      String version = kind.equals("Run folder") ? "sentigraph" : file.kerasVersion() == null ? "Keras version unknown"
          : "Keras " + file.kerasVersion();
      out.printf("%s %s (%s), model '%s'%n", kind, path, version, config.name());
      out.println("  input  " + input);
      int w = 0;
      for (int l = 0; l < layout.size(); l++) {
        KerasWeightLayout.Entry entry = layout.get(l);
        boolean converted = !cudnn.isEmpty() && !entry.weights().isEmpty() && cudnn.get(w);
        String from = config.graph() == null ? "" : "  <- " + String.join(", ", inbound(model, entry.layerIndex()));
        out.printf("  layer %d  %-22s %-20s output %s%s%s%n", entry.layerIndex(), entry.layer().className(),
            "'" + entry.layer().name() + "'", shown(shapes.get(l)), from, converted ? "  (CuDNN weights, converted)" : "");
        for (int i = 0; i < entry.weights().size(); i++, w++) {
          out.println(String.format("      %-24s %-16s %s", entry.weights().get(i).name(),
              Arrays.toString(entry.weights().get(i).shape()), sources == null ? "" : sources.get(w)).stripTrailing());
        }
      }
      outputLines.forEach(line -> out.println("  output " + line));
      out.printf("  total params: %,d%n", model.paramCount());
      if (file.data() != null) {
        out.println("  sentigraph data settings: " + file.data().toJson());
      }
    }
    out.flush();
  }

  /** The names of the layers a Functional model's layer reads ({@code input} for the model input). */
  private static List<String> inbound(SequentialModel model, int layer) {
    return Arrays.stream(model.inputsOf(layer)).mapToObj(i -> i < 0 ? "input" : model.layers().get(i).name()).toList();
  }

  /** A layer's output shape less the batch axis; the axes that change with the input length (when {@code longer} is given) are null. */
  private static List<Long> shape(long[] shape, long[] longer) {
    List<Long> dims = new ArrayList<>();
    for (int i = 0; i < shape.length; i++) {
      dims.add(longer != null && longer[i] != shape[i] ? null : shape[i]);
    }
    return dims;
  }

  /** As Keras prints a shape: {@code [None, 10, 6]}. */
  private static String shown(List<Long> shape) {
    List<String> dims = new ArrayList<>(List.of("None"));
    shape.forEach(d -> dims.add(d == null ? "None" : String.valueOf(d)));
    return "[" + String.join(", ", dims) + "]";
  }
}
