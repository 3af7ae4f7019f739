package dev.sentigraph.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.analysis.EmbeddingNeighbors;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.data.WordIndex;
import dev.sentigraph.error.InputException;
import dev.sentigraph.model.NamedWeight;
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
      default -> throw new InputException("--metric '" + metric + "' is not valid: expected euclidean or cosine");
    };
    if (k <= 0) {
      throw new InputException("--k " + k + " must be positive");
    }
    try (SentimentModel loaded = SentimentModel.load(model, CliEnvironment.loadOptions().withWordIndex(wordIndex))) {
      if (loaded.takesText()) {
        throw new InputException("--model " + model + " takes raw text and keeps its vocabulary inside Keras'"
            + " graph, so its embedding rows have no words here: give the model's .keras file instead");
      }
      NamedWeight emb = loaded.embedding();
      if (emb == null) {
        throw new InputException("--model " + model + " has no trained Embedding to search: expected a model"
            + " whose token input goes into an Embedding layer (in a SavedModel, a variable the input is looked up"
            + " in)");
      }
      Vocabulary words = Vocabulary.of(loaded, model);
      int rows = (int) emb.shape()[0];
      int id = words.id(word);
      if (id < 0 || id >= rows) {
        throw new InputException("'" + word + "' is not in the model's vocabulary (" + (rows - words.firstId())
            + " words" + (id < 0 ? "; " + words.source() + " has no such word" : "; its id is " + id) + ")");
      }
      EmbeddingNeighbors neighbors = new EmbeddingNeighbors(emb.values(), rows, (int) emb.shape()[1], words.firstId());
      List<EmbeddingNeighbors.Neighbor> near = neighbors.nearest(id, k, m);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonArray a = new JsonArray();
        for (EmbeddingNeighbors.Neighbor n : near) {
          JsonObject o = new JsonObject();
          o.addProperty("word", words.word(n.id()));
          o.addProperty("id", n.id());
          o.addProperty("distance", n.distance());
          a.add(o);
        }
        out.println(a);
      } else {
        for (EmbeddingNeighbors.Neighbor n : near) {
          out.printf(Locale.ROOT, "%-16s %.4f%n", words.word(n.id()), n.distance());
        }
      }
      out.flush();
    }
    return 0;
  }

  /**
   * Words and embedding rows: a TextVectorization model's own vocabulary (row i is its i-th word), else the
   * word index with the model's {@code index_from} offset.
   */
  private record Vocabulary(WordIndex index, DataSettings settings, KerasTextVectorization vectorization) {
    static Vocabulary of(SentimentModel loaded, Path model) {
      KerasTextVectorization vectorization = loaded.encoding().vectorization();
      if (vectorization != null) {
        return new Vocabulary(null, null, vectorization);
      }
      if (loaded.encoding().index() == null) {
        throw new InputException("--model " + model + " comes without a word index: give --word-index FILE"
            + " (e.g. imdb_word_index.json)");
      }
      return new Vocabulary(loaded.encoding().index(), loaded.dataSettings(), null);
    }

    /** The row of {@code word}, or -1 when the vocabulary has no such word. */
    int id(String word) {
      if (vectorization != null) {
        int[] ids = vectorization.ids(word); // standardised as the model's layer does; 1 is [UNK]
        return ids.length > 0 && ids[0] >= firstId() ? ids[0] : -1;
      }
      Integer rank = index.rank(word.toLowerCase(Locale.ROOT));
      return rank == null ? -1 : rank + settings.indexFrom();
    }

    String word(int id) {
      if (vectorization != null) {
        List<String> words = vectorization.vocabulary();
        return id < words.size() ? words.get(id) : "[row " + id + "]"; // an Embedding wider than the vocabulary
      }
      return index.word(id, settings);
    }

    /** The first row that is a word: TextVectorization keeps 0 for padding and 1 for [UNK]. */
    int firstId() {
      return vectorization != null ? 2 : settings.indexFrom();
    }

    String source() {
      return vectorization != null ? "the model's TextVectorization vocabulary" : "the word index";
    }
  }
}
