package dev.sentigraph.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sentigraph.keras.KerasFile;
import dev.sentigraph.keras.KerasFileReader;
import dev.sentigraph.keras.KerasWeightLayout;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.savedmodel.ModelProbe;
import dev.sentigraph.savedmodel.SavedModelInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sentigraph inspect}: a SavedModel's tags and signatures, as {@code saved_model_cli show --all}; a
 * {@code .keras} file's layers with their weights' shapes and places in {@code model.weights.h5}.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show a SavedModel's tags, signatures, inputs and outputs, or a .keras file's layers and weights.")
final class InspectCommand implements Callable<Integer> {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

  @Parameters(paramLabel = "PATH", description = "A SavedModel folder or a .keras file.")
  Path path;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Option(names = "--probe", description = "Also load the SavedModel and run one review in a child process, so that"
      + " a model that would abort TensorFlow is refused here (2-4 s).")
  boolean probe;

  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (KerasFileReader.isKerasFile(path)) {
      printKeras(KerasFileReader.read(path));
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

  private void printKeras(KerasFile file) {
    SequentialModel model = SequentialModel.of(file.config());
    JsonObject doc = new JsonObject();
    doc.addProperty("keras_version", file.kerasVersion());
    doc.addProperty("name", file.config().name());
    doc.add("input_shape", GSON.toJsonTree(new Object[] {null, file.config().seqLen()}));
    JsonArray layers = new JsonArray();
    List<KerasWeightLayout.Entry> layout = KerasWeightLayout.of(model);
    for (KerasWeightLayout.Entry entry : layout) {
      JsonObject layer = new JsonObject();
      layer.addProperty("class_name", entry.layer().className());
      layer.addProperty("name", entry.layer().name());
      layer.add("output_shape", GSON.toJsonTree(model.outputShape(entry.layerIndex())));
      JsonArray weights = new JsonArray();
      for (int i = 0; i < entry.weights().size(); i++) {
        JsonObject w = new JsonObject();
        w.addProperty("name", entry.weights().get(i).name());
        w.add("shape", GSON.toJsonTree(entry.weights().get(i).shape()));
        w.addProperty("h5_path", entry.datasetPath(i));
        weights.add(w);
      }
      layer.add("weights", weights);
      layers.add(layer);
    }
    doc.add("layers", layers);
    doc.addProperty("total_params", model.paramCount());
    if (file.data() != null) {
      doc.add("sentigraph_data", file.data().toJson());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(GSON.toJson(doc));
    } else {
      out.printf("Keras file %s (Keras %s), model '%s'%n", path, file.kerasVersion() == null ? "version unknown"
          : file.kerasVersion(), file.config().name());
      out.printf("  input  int32 token ids, shape [None, %d]%n", file.config().seqLen());
      for (KerasWeightLayout.Entry entry : layout) {
        out.printf("  layer %d  %-22s %-20s output %s%n", entry.layerIndex(), entry.layer().className(),
            "'" + entry.layer().name() + "'", Arrays.toString(model.outputShape(entry.layerIndex())).replace("[", "[None, "));
        for (int i = 0; i < entry.weights().size(); i++) {
          out.printf("      %-17s %-16s %s%n", entry.weights().get(i).name(),
              Arrays.toString(entry.weights().get(i).shape()), entry.datasetPath(i));
        }
      }
      out.printf("  total params: %,d%n", model.paramCount());
      if (file.data() != null) {
        out.println("  sentigraph data settings: " + file.data().toJson());
      }
    }
    out.flush();
  }
}
