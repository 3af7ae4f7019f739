package dev.sentigraph;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.WordIndex;
import dev.sentigraph.io.AtomicFile;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small models of every layer type sentigraph trains, with random weights (biases included), for the export
 * tests; and the {@code predictions.json} they leave in SENTIGRAPH_EXPORT_DIR for the Python checks in scripts/.
 */
public final class InteropFixtures {
  public static final int SEQ_LEN = 12;
  public static final int VOCAB = 30;
  public static final int ROWS = 4;

  /** The layers between Embedding and the Dense(1, sigmoid) head, by family name. */
  public static final Map<String, String> FAMILIES = new LinkedHashMap<>();

  static {
    FAMILIES.put("mean", "{\"class_name\": \"GlobalAveragePooling1D\", \"config\": {}}");
    FAMILIES.put("lstm", "{\"class_name\": \"LSTM\", \"config\": {\"units\": 5, \"dropout\": 0.3}}");
    FAMILIES.put("gru", "{\"class_name\": \"GRU\", \"config\": {\"units\": 5}}");
    FAMILIES.put("irnn", "{\"class_name\": \"SimpleRNN\", \"config\": {\"units\": 5, \"activation\": \"relu\","
        + " \"kernel_initializer\": {\"class_name\": \"RandomNormal\", \"config\": {\"mean\": 0.0, \"stddev\": 0.001}},"
        + " \"recurrent_initializer\": {\"class_name\": \"Identity\", \"config\": {\"gain\": 1.0}}}}");
    FAMILIES.put("rnn_stacked", "{\"class_name\": \"SimpleRNN\", \"config\": {\"units\": 4, \"return_sequences\": true}},"
        + "{\"class_name\": \"SimpleRNN\", \"config\": {\"units\": 3}}");
    FAMILIES.put("cnn", "{\"class_name\": \"Conv1D\", \"config\": {\"filters\": 4, \"kernel_size\": 3, \"padding\": \"same\","
        + " \"activation\": \"relu\"}}, {\"class_name\": \"MaxPooling1D\", \"config\": {\"pool_size\": 2}},"
        + " {\"class_name\": \"Flatten\", \"config\": {}}, {\"class_name\": \"Dropout\", \"config\": {\"rate\": 0.5}},"
        + " {\"class_name\": \"Dense\", \"config\": {\"units\": 6, \"activation\": \"relu\"}}");
    FAMILIES.put("cnn_gru_lstm", "{\"class_name\": \"Conv1D\", \"config\": {\"filters\": 4, \"kernel_size\": 3,"
        + " \"activation\": \"relu\"}}, {\"class_name\": \"MaxPooling1D\", \"config\": {\"pool_size\": 2}},"
        + " {\"class_name\": \"GRU\", \"config\": {\"units\": 4, \"return_sequences\": true, \"dropout\": 0.3}},"
        + " {\"class_name\": \"LSTM\", \"config\": {\"units\": 3}}");
  }

  /** A word index whose ranks run past the models' 30-word vocabulary, so some known words are still OOV. */
  public static final WordIndex WORDS;

  /** Reviews that exercise the standardisation, OOV words, truncation and padding of {@code serve_text}. */
  public static final List<String> TEXTS = List.of(
      "Great movie!",
      "I DIDN'T like it... at all; the plot was  dull,\tthe acting worse.<br /><br />Bad.",
      "",
      "   !!!   ",
      "great great great great great great great great great great great great great terrible",
      "An amazing, wonderful film: the best I have seen (really) - zyzzyva xylophone.",
      "Café crème brûlée: the film was fine\nand \"fun\"");

  static {
    String[] words = {"the", "a", "great", "movie", "film", "i", "was", "it", "bad", "like", "didn't", "best", "br",
        "at", "all", "plot", "acting", "worse", "dull", "terrible", "amazing", "wonderful", "an", "have", "seen",
        "really", "fine", "and", "fun", "café", "seen", "of", "to", "is", "in", "that", "this"};
    Map<String, Integer> ranks = new LinkedHashMap<>();
    for (String w : words) {
      ranks.putIfAbsent(w, ranks.size() + 1);
    }
    WORDS = new WordIndex(ranks);
  }

  private InteropFixtures() {}

  public static ModelConfig config(String middle) {
    return config(middle, VOCAB, SEQ_LEN);
  }

  public static ModelConfig config(String middle, int vocab, int seqLen) {
    return ModelConfig.fromJson(JsonParser.parseString("""
        {"class_name": "Sequential", "config": {"name": "m", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, %d]}},
          {"class_name": "Embedding", "config": {"input_dim": %d, "output_dim": 6}},
          %s,
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}
        """.formatted(seqLen, vocab, middle)).getAsJsonObject(), "test");
  }

  /** The model with every weight drawn uniformly from [-0.5, 0.5], so biases are not the initializers' zeros. */
  public static TrainedModel randomModel(String middle, long seed) {
    return randomWeights(config(middle), seed, DataSettings.keras(VOCAB, SEQ_LEN));
  }

  /** {@code config} with every weight drawn uniformly from [-0.5, 0.5]. */
  public static TrainedModel randomWeights(ModelConfig config, long seed, DataSettings data) {
    SequentialModel model = SequentialModel.of(config);
    Random rng = new Random(seed);
    List<NamedWeight> weights = new ArrayList<>();
    for (int i = 0; i < model.layers().size(); i++) {
      for (var spec : model.weights(i)) {
        float[] values = new float[Math.toIntExact(spec.size())];
        for (int k = 0; k < values.length; k++) {
          values[k] = rng.nextFloat() - 0.5f;
        }
        weights.add(new NamedWeight(model.layers().get(i).name() + "/" + spec.name(), spec.shape(), values));
      }
    }
    return new TrainedModel(config, weights, data, null, null);
  }

  public static int[] tokens() {
    Random rng = new Random(1);
    int[] tokens = new int[ROWS * SEQ_LEN];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = rng.nextInt(VOCAB);
    }
    return tokens;
  }

  /** SENTIGRAPH_EXPORT_DIR/kind when the Python checks will read it, else the test's own temporary folder. */
  public static Path exportRoot(String kind, Path tmp) throws IOException {
    String env = System.getenv("SENTIGRAPH_EXPORT_DIR");
    Path root = env != null ? Path.of(env).resolve(kind) : tmp;
    Files.createDirectories(root);
    return root;
  }

  /** One exported model and sentigraph's probabilities for {@link #tokens()}. */
  public record Case(Path path, float[] probabilities) {}

  /** Also records the word index and texts, for checking {@code serve_text} against Keras' preprocessing. */
  public static void writePredictions(Path root, List<Case> cases) throws IOException {
    int[] tokens = tokens();
    JsonArray t = new JsonArray();
    for (int i = 0; i < ROWS; i++) {
      JsonArray row = new JsonArray();
      for (int j = 0; j < SEQ_LEN; j++) {
        row.add(tokens[i * SEQ_LEN + j]);
      }
      t.add(row);
    }
    JsonArray models = new JsonArray();
    for (Case c : cases) {
      JsonObject o = new JsonObject();
      o.addProperty("path", c.path().toString());
      JsonArray p = new JsonArray();
      for (float v : c.probabilities()) {
        p.add(v);
      }
      o.add("probabilities", p);
      models.add(o);
    }
    JsonObject doc = new JsonObject();
    doc.add("tokens", t);
    doc.add("models", models);
    JsonArray texts = new JsonArray();
    TEXTS.forEach(texts::add);
    doc.add("texts", texts);
    JsonObject index = new JsonObject();
    WORDS.ranks().forEach(index::addProperty);
    doc.add("word_index", index);
    doc.add("data", DataSettings.keras(VOCAB, SEQ_LEN).toJson());
    AtomicFile.writeString(root.resolve("predictions.json"), doc.toString());
  }
}
