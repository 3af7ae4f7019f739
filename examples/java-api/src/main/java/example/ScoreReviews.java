package example;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.LoadOptions;
import dev.sentigraph.Prediction;
import dev.sentigraph.SentimentModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scores reviews with each model given, from 8 threads at once, and prints one JSON line per model and review:
 * what a Java team's own code does with sentigraph.
 *
 * <p>Usage: {@code ScoreReviews WORD_INDEX_JSON MODEL... -- TEXT...}
 */
public final class ScoreReviews {
  public static void main(String[] args) throws Exception {
    int split = List.of(args).indexOf("--");
    Path words = Path.of(args[0]);
    List<String> models = List.of(args).subList(1, split);
    List<String> texts = List.of(args).subList(split + 1, args.length);
    for (String path : models) {
      try (SentimentModel model = SentimentModel.load(Path.of(path), LoadOptions.defaults().withWordIndex(words))) {
        List<Prediction> single = model.predict(texts);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<Prediction>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          calls.add(pool.submit(() -> model.predict(texts)));
        }
        for (Future<List<Prediction>> call : calls) {
          if (!call.get().equals(single)) {
            throw new AssertionError(path + ": a concurrent call disagreed with the single-threaded one");
          }
        }
        pool.shutdown();
        for (int i = 0; i < single.size(); i++) {
          System.out.printf(Locale.ROOT, "{\"model\": \"%s\", \"index\": %d, \"probability\": %s, \"label\": %d}%n",
              path, i, Float.toString((float) single.get(i).probability()), single.get(i).label());
        }
      }
    }
    try {
      SentimentModel.load(Path.of("no/such/model"));
      throw new AssertionError("a bad path loaded");
    } catch (InvalidInputException expected) {
      System.out.println("{\"bad_path_error\": \"" + expected.getMessage().replace("\"", "'") + "\"}");
    }
  }
}
