package dev.sentigraph.cli;

import dev.sentigraph.SentimentModel;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.data.WordIndex;
import dev.sentigraph.error.InputException;
import dev.sentigraph.keras.KerasFileWriter;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.savedmodel.SavedModelExporter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentigraph export}: a run's (or a .keras file's) model as a SavedModel or a .keras file that Python loads. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Export a trained model for Python users: a SavedModel (serving_default: int32 tokens ->"
        + " probability) or a Keras 3 .keras file (keras.models.load_model).", ""})
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "MODEL", required = true, description = "A run folder or a .keras file.")
  Path model;

  @Option(names = "--format", paramLabel = "savedmodel|keras", defaultValue = "savedmodel", description = "Output format.")
  String format;

  @Option(names = "--out", paramLabel = "PATH", required = true, description = "Where to write it.")
  Path out;

  @Option(names = "--checkpoint", paramLabel = "NAME", description = "Which checkpoint (default: best, else latest).")
  String checkpoint;

  @Option(names = "--word-index", paramLabel = "FILE",
      description = "Word-to-rank JSON for the SavedModel's serve_text signature (default: the run's, else"
          + " imdb_word_index.json beside the default data).")
  Path wordIndex;

  @Option(names = "--force", description = "Replace an existing target.")
  boolean force;

  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("savedmodel") && !format.equals("keras")) {
      throw new InputException("--format '" + format + "' is not valid: expected savedmodel or keras");
    }
    TrainedModel trained = SentimentModel.readTrained(model, checkpoint);
    if (trained == null) {
      throw new InputException("--model " + model + " is not a run folder (model.json) or a .keras file:"
          + " expected a model with sentigraph-readable weights");
    }
    if (format.equals("keras")) {
      KerasFileWriter.write(trained, out, force, VersionProvider.version());
      spec.commandLine().getErr().println("wrote Keras file " + out);
    } else if (trained.textVectorization() != null) {
      SavedModelExporter.export(trained, null, out, force, VersionProvider.version());
      spec.commandLine().getErr().println("wrote SavedModel " + out + " (signatures serving_default on raw text, "
          + SavedModelExporter.TOKENS_SIGNATURE + " on token ids, " + SavedModelExporter.TOKENIZE_SIGNATURE + ")");
    } else {
      Path indexPath = wordIndex != null ? wordIndex : trained.wordIndex();
      WordIndex words = DatasetLoader.wordIndex(indexPath);
      SavedModelExporter.export(trained, words, out, force, VersionProvider.version());
      spec.commandLine().getErr().println("wrote SavedModel " + out + (words != null
          ? " (signatures serving_default and serve_text)"
          : " (signature serving_default; no word index found, so no serve_text: give --word-index FILE)"));
    }
    return 0;
  }
}
