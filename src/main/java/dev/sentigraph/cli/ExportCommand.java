package dev.sentigraph.cli;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.savedmodel.SavedModelExporter;
import dev.sentigraph.train.RunFolder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentigraph export}: a run's model as a SavedModel that Python loads. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a run's model as a SavedModel (serving_default: int32 tokens -> probability).")
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "RUN_DIR", required = true, description = "A run folder.")
  Path model;

  @Option(names = "--format", paramLabel = "savedmodel|keras", defaultValue = "savedmodel", description = "Output format.")
  String format;

  @Option(names = "--out", paramLabel = "PATH", required = true, description = "Where to write it.")
  Path out;

  @Option(names = "--checkpoint", paramLabel = "NAME", description = "Which checkpoint (default: best, else latest).")
  String checkpoint;

  @Option(names = "--force", description = "Replace an existing target.")
  boolean force;

  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (format.equals("keras")) {
      throw new InvalidInputException("--format keras is not available yet: expected --format savedmodel");
    }
    if (!format.equals("savedmodel")) {
      throw new InvalidInputException("--format '" + format + "' is not valid: expected savedmodel or keras");
    }
    SavedModelExporter.export(RunFolder.open(model).trainedModel(checkpoint), out, force, VersionProvider.version());
    spec.commandLine().getErr().println("wrote SavedModel " + out);
    return 0;
  }
}
