package dev.sentigraph.cli;

import com.google.gson.GsonBuilder;
import dev.sentigraph.InvalidInputException;
import dev.sentigraph.savedmodel.SavedModelInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sentigraph inspect}: a SavedModel's tags and signatures, as {@code saved_model_cli show --all}. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show a SavedModel's tags, signatures, inputs and outputs.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "PATH", description = "A SavedModel folder.")
  Path path;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (path.toString().endsWith(".keras")) {
      throw new InvalidInputException(path + ": .keras files are not supported by inspect yet: expected a SavedModel folder");
    }
    SavedModelInfo info = SavedModelInfo.read(path);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new GsonBuilder().setPrettyPrinting().create().toJson(info.metaGraphs()));
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
}
