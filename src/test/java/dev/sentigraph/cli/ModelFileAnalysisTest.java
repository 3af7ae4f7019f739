package dev.sentigraph.cli;

import dev.sentigraph.config.ExecutionOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.WordIndex;
import dev.sentigraph.keras.KerasFileReader;
import dev.sentigraph.keras.LegacyH5Reader;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.train.FitState;
import dev.sentigraph.train.RunFolder;
import dev.sentigraph.train.TrainSettings;
import dev.sentigraph.train.TrainingGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** neighbors and compare on Functional and nested .keras files, legacy .h5 files and TextVectorization models. */
class ModelFileAnalysisTest {
  static final String TINY = AnalysisCommandsTest.TINY;
  static final String INDEX = Path.of(TINY).resolveSibling("imdb_word_index.json").toString();
  static final Path GRAPHS = Path.of("src/test/resources/golden/graphs");

  /** The k rows nearest to row {@code id} by Euclidean distance, from row {@code first} on, worked out here. */
  static List<double[]> nearest(NamedWeight embedding, int id, int first, int k) {
    int dim = (int) embedding.shape()[1];
    float[] v = embedding.values();
    List<double[]> all = new ArrayList<>();
    for (int other = first; other < embedding.shape()[0]; other++) {
      double sum = 0;
      for (int j = 0; j < dim; j++) {
        double d = v[id * dim + j] - v[other * dim + j];
        sum += d * d;
      }
      if (other != id) {
        all.add(new double[] {other, Math.sqrt(sum)});
      }
    }
    all.sort(Comparator.comparingDouble((double[] a) -> a[1]).thenComparingDouble(a -> a[0]));
    return all.subList(0, k);
  }

  static NamedWeight weight(JsonObject golden, String name) {
    JsonObject w = golden.getAsJsonObject("weights").getAsJsonObject(name);
    long[] shape = w.getAsJsonArray("shape").asList().stream().mapToLong(e -> e.getAsLong()).toArray();
    JsonArray values = w.getAsJsonArray("values");
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = values.get(i).getAsFloat();
    }
    return new NamedWeight(name, shape, f);
  }

  static void assertNeighbors(String model, List<double[]> expected, String... extra) {
    List<String> args = new ArrayList<>(List.of("neighbors", "--model", model, "great", "--k",
        String.valueOf(expected.size()), "--json"));
    args.addAll(List.of(extra));
    Cli.Run r = Cli.run(args.toArray(String[]::new));
    assertEquals(0, r.status(), r.err());
    JsonArray got = JsonParser.parseString(r.out()).getAsJsonArray();
    assertEquals(expected.size(), got.size(), r.out());
    for (int i = 0; i < got.size(); i++) {
      JsonObject n = got.get(i).getAsJsonObject();
      assertEquals((int) expected.get(i)[0], n.get("id").getAsInt(), model + " neighbour " + i);
      assertEquals(expected.get(i)[1], n.get("distance").getAsDouble(), 1e-5, model + " neighbour " + i);
    }
  }

  /** "great" is rank 4 in the tiny index, so row 7 with Keras' index_from 3; the embedding from Keras' golden file. */
  @ParameterizedTest
  @CsvSource({"nested_functional, embedding_4/embeddings", "nested_sequential, embedding_3/embeddings",
      "branches, embedding/embeddings"})
  void neighborsInFunctionalAndNestedKerasFiles(String name, String embedding) throws Exception {
    JsonObject golden = JsonParser.parseString(Files.readString(GRAPHS.resolve(name + ".json"))).getAsJsonObject();
    assertNeighbors(GRAPHS.resolve(name + ".keras").toString(), nearest(weight(golden, embedding), 7, 3, 4),
        "--word-index", INDEX);
  }

  @Test
  void neighborsInLegacyH5Files() {
    for (String name : List.of("functional_gru", "cudnn_lstm")) {
      Path file = Path.of("savedmodels/legacy/" + name + ".h5");
      NamedWeight embedding = LegacyH5Reader.read(file).weights().stream()
          .filter(w -> w.path().endsWith("/embeddings")).findFirst().orElseThrow();
      assertNeighbors(file.toString(), nearest(embedding, 7, 3, 3), "--word-index", INDEX);
    }
  }

  /** A TextVectorization model's rows are its vocabulary's words: no word index needed. */
  @Test
  void neighborsInATextVectorizationModelUseItsVocabulary() {
    Path file = Path.of("savedmodels/text/model.keras");
    var keras = KerasFileReader.read(file);
    List<String> vocabulary = keras.textVectorization().vocabulary();
    int great = vocabulary.indexOf("great");
    assertTrue(great >= 2, vocabulary.toString());
    List<double[]> expected = nearest(keras.weights().get(0), great, 2, 3);
    assertNeighbors(file.toString(), expected);
    Cli.Run words = Cli.run("neighbors", "--model", file.toString(), "GREAT", "--k", "1");
    assertEquals(0, words.status(), words.err());
    assertTrue(words.out().startsWith(vocabulary.get((int) expected.get(0)[0]) + " "), words.out());
  }

  @Test
  void neighborsRefusesModelsWithoutWordsForTheirRows(@TempDir Path dir) throws Exception {
    // a string SavedModel keeps its vocabulary inside Keras' graph
    Cli.Run text = Cli.run("neighbors", "--model", "savedmodels/text/export", "great", "--word-index", INDEX);
    assertEquals(2, text.status(), text.out());
    assertTrue(text.err().startsWith("error: --model savedmodels/text/export takes raw text"), text.err());
    assertEquals(1, text.err().lines().count(), text.err());
    // a model whose input goes into no Embedding takes features, not ids: refused at load, by every command
    Path run = noEmbeddingRun(dir);
    for (String command : List.of("neighbors", "predict")) {
      Cli.Run none = "neighbors".equals(command) ? Cli.run(command, "--model", run.toString(), "great")
          : Cli.run(command, "--model", run.toString(), "--text", "great");
      assertEquals(2, none.status(), none.out());
      assertEquals("error: model " + run + " takes float features [None, 6] (its input feeds a layer other than an"
          + " Embedding): if they are word-presence vectors of token ids, as \"Deep Learning with Python\"'s"
          + " vectorize_sequences makes, say so with features multi_hot (--features multi_hot), or count",
          none.err().strip());
    }
  }

  /** A run of Dense(1) straight on its input: a model of 6 features, which token ids must not fill. */
  static Path noEmbeddingRun(Path dir) throws Exception {
    ModelConfig config = ModelConfig.fromJson(JsonParser.parseString("""
        {"class_name": "Sequential", "config": {"name": "no_embedding", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 6]}},
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}""").getAsJsonObject(), "test");
    TrainSettings s = new TrainSettings("adam", 1e-3, 4, 1, "test", 1);
    RunFolder run = RunFolder.create(dir.resolve("no-embedding"), config, DataSettings.keras(15, 6), s,
        WordIndex.read(Path.of(INDEX)));
    try (TrainingGraph g = new TrainingGraph(SequentialModel.of(config), s, ExecutionOptions.DEFAULT)) {
      run.writeCheckpoint("epoch-001", g::save, FitState.start());
    }
    return run.dir();
  }

  /** compare's accuracies are each model's own, as evaluate reports them, whatever the file. */
  @Test
  void compareFunctionalKerasWithLegacyH5() {
    String a = GRAPHS.resolve("nested_functional.keras").toString();
    String b = "savedmodels/legacy/cudnn_gru.h5";
    Cli.Run r = Cli.run("compare", "--a", a, "--b", b, "--data", TINY);
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().matches("(?s)reviews 5: both right \\d, only A right \\d, only B right \\d, both wrong \\d\n.*"), r.out());
    String accuracies = String.format(Locale.ROOT, "accuracy: A %.4f (%s), B %.4f (%s)", accuracy(a), a, accuracy(b), b);
    assertTrue(r.out().contains(accuracies), accuracies + " in\n" + r.out());
  }

  static double accuracy(String model) {
    Cli.Run r = Cli.run("evaluate", "--model", model, "--data", TINY, "--json");
    assertEquals(0, r.status(), r.err());
    return JsonParser.parseString(r.out()).getAsJsonObject().get("accuracy").getAsDouble();
  }

  /** A string SavedModel tokenises inside Keras' graph: the data's token ids are refused in one line. */
  @Test
  void compareRefusesAStringSavedModel() {
    Cli.Run r = Cli.run("compare", "--a", "savedmodels/legacy/cudnn_gru.h5", "--b", "savedmodels/text/export", "--data", TINY);
    assertEquals(2, r.status(), r.out());
    List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(1, errors.size(), r.err());
    assertTrue(errors.get(0).startsWith("error: model savedmodels/text/export takes raw text"), r.err());
  }
}
