package dev.sentigraph.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sentigraph.InvalidInputException;
import dev.sentigraph.LoadOptions;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.analysis.EmbeddingNeighbors;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.data.WordIndex;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.savedmodel.GraphHandover;
import dev.sentigraph.savedmodel.SavedModelPredictor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sentigraph neighbors}: the words nearest to a word in a trained embedding. */
@Command(name = "neighbors", mixinStandardHelpOptions = true,
    description = "The nearest words to WORD in a run's trained embedding (as the notebooks list them for 'great').")
final class NeighborsCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "M", required = true,
      description = "A run folder, .keras file or SavedModel with an Embedding.")
  Path model;

  @Parameters(paramLabel = "WORD")
  String word;

  @Option(names = "--k", defaultValue = "20", description = "How many neighbours (default 20).")
  int k;

  @Option(names = "--metric", defaultValue = "euclidean", description = "euclidean or cosine.")
  String metric;

  @Option(names = "--word-index", paramLabel = "FILE",
      description = "Word-to-rank JSON (default: the run's, else imdb_word_index.json beside the default data).")
  Path wordIndex;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    EmbeddingNeighbors.Metric m = switch (metric) {
      case "euclidean" -> EmbeddingNeighbors.Metric.EUCLIDEAN;
      case "cosine" -> EmbeddingNeighbors.Metric.COSINE;
      default -> throw new InvalidInputException("--metric '" + metric + "' is not valid: expected euclidean or cosine");
    };
    if (k <= 0) {
      throw new InvalidInputException("--k " + k + " must be positive");
    }
    try (SentimentModel loaded = SentimentModel.load(model, LoadOptions.defaults().withWordIndex(wordIndex))) {
      NamedWeight emb = loaded.embedding();
      if (emb == null) {
        throw new InvalidInputException("--model " + model + " has no trained Embedding to search: expected a model"
            + " whose first layer is Embedding (a SavedModel variable named ...embeddings)");
      }
      WordIndex index = loaded.encoding().index();
      if (index == null) {
        throw new InvalidInputException("--model " + model + " comes without a word index: give --word-index FILE"
            + " (e.g. imdb_word_index.json)");
      }
      int rows = (int) emb.shape()[0];
      DataSettings s = loaded.dataSettings();
      Integer rank = index.rank(word.toLowerCase(Locale.ROOT));
      int id = rank == null ? -1 : rank + s.indexFrom();
      if (rank == null || id >= rows) {
        throw new InvalidInputException("'" + word + "' is not in the model's vocabulary (" + (rows - s.indexFrom())
            + " most frequent words" + (rank == null ? "; the word index has no such word" : "; its rank is " + rank) + ")");
      }
      EmbeddingNeighbors neighbors = new EmbeddingNeighbors(emb.values(), rows, (int) emb.shape()[1], s.indexFrom());
      List<EmbeddingNeighbors.Neighbor> near = neighbors.nearest(id, k, m);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonArray a = new JsonArray();
        for (EmbeddingNeighbors.Neighbor n : near) {
          JsonObject o = new JsonObject();
          o.addProperty("word", index.word(n.id(), s));
          o.addProperty("id", n.id());
          o.addProperty("distance", n.distance());
          a.add(o);
        }
        out.println(a);
      } else {
        for (EmbeddingNeighbors.Neighbor n : near) {
          out.printf(Locale.ROOT, "%-16s %.4f%n", index.word(n.id(), s), n.distance());
        }
      }
      out.flush();
    }
    return 0;
  }
}
