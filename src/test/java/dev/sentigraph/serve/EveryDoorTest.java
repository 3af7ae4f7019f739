package dev.sentigraph.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.LoadOptions;
import dev.sentigraph.Prediction;
import dev.sentigraph.Predictions;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.TestFolders;
import dev.sentigraph.cli.Cli;
import dev.sentigraph.data.OutputMode;
import dev.sentigraph.error.InputException;
import dev.sentigraph.model.ModelOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One model, every door: each fixture model in {@code savedmodels/} (every Keras style of each family, legacy
 * {@code .h5} files, text and any-length models, and a Keras 2 HDF5 file under a {@code .keras} name) scored
 * through the library, {@code sentigraph predict} and {@code serve} over real HTTP gives Keras' golden answers
 * (1e-5) and the same scores at every door (1e-6); a model one door refuses, every door refuses with the same
 * sentence. The Spark door is the spark module's TextModelScoringTest and
 * scripts/spark-cluster-check.
 */
class EveryDoorTest {
  private static final Path SAVEDMODELS = Path.of("savedmodels");
  private static final String[] STYLES = {"export", "tfsave", "keras2", "model.keras"};
  private static Path root;
  private static ModelServer server;
  private static ServeClient client;

  /**
   * A model file or folder, what to feed it (token rows or texts) and Keras' answers; {@code features}: every door
   * says its Dense input is word presence (features multi_hot), as its file cannot.
   */
  record Case(String name, Path model, JsonArray rows, boolean texts, float[] golden, boolean features) {
    Case(String name, Path model, JsonArray rows, boolean texts, float[] golden) {
      this(name, model, rows, texts, golden, false);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (String family : List.of("cnn", "gru", "lstm", "mean", "simple_rnn", "functional_gru", "functional_lstm",
        "transformer")) {
      JsonObject g = golden(family, "golden.json");
      for (String style : STYLES) {
        Path model = SAVEDMODELS.resolve(family).resolve(style);
        if (Files.exists(model)) {
          out.add(new Case(family + "-" + style.replace('.', '-'), model, g.getAsJsonArray("tokens"), false,
              floats(g.getAsJsonArray("probabilities"))));
        }
      }
    }
    for (String goldenFile : List.of("golden.json", "cudnn_golden.json")) {
      JsonObject g = golden("legacy", goldenFile);
      for (var m : g.getAsJsonObject("models").entrySet()) {
        out.add(new Case("legacy-" + m.getKey().replace('_', '-'), SAVEDMODELS.resolve("legacy").resolve(m.getKey() + ".h5"),
            g.getAsJsonArray("tokens"), false, floats(m.getValue().getAsJsonArray())));
      }
    }
    JsonObject legacy = golden("legacy", "golden.json");
    out.add(new Case("hdf5-named-keras", root.resolve("hdf5-named-keras/seq_lstm.keras"), legacy.getAsJsonArray("tokens"),
        false, floats(legacy.getAsJsonObject("models").getAsJsonArray("seq_lstm"))));
    for (String style : List.of("export", "model.keras")) {
      out.add(textCase("text-" + style.replace('.', '-'), SAVEDMODELS.resolve("text").resolve(style),
          golden("text", "golden.json")));
    }
    JsonObject varlen = golden("varlen", "golden.json");
    for (String style : List.of("export", "model.keras")) {
      out.add(new Case("varlen-" + style.replace('.', '-'), SAVEDMODELS.resolve("varlen").resolve(style),
          varlen.getAsJsonArray("rows"), false, floats(varlen.getAsJsonArray("probabilities"))));
    }
    // Dense layers on one value per word (make_word_presence_models.py): Deep Learning with Python's model on
    // vectorize_sequences vectors, which the doors are told of, and TextVectorization multi_hot / count / tf_idf
    JsonObject presence = golden("word_presence", "golden.json");
    for (String file : List.of("model.keras", "model.h5")) {
      out.add(new Case("word-presence-" + file.replace('.', '-'), SAVEDMODELS.resolve("word_presence").resolve(file),
          presence.getAsJsonArray("tokens"), false, floats(presence.getAsJsonArray("probabilities")), true));
    }
    for (String mode : List.of("multi_hot", "count", "tf_idf")) {
      for (String style : List.of("export", "model.keras")) {
        out.add(textCase("vectorized-" + mode.replace('_', '-') + "-" + style.replace('.', '-'),
            SAVEDMODELS.resolve("word_presence").resolve(mode).resolve(style), golden("word_presence/" + mode,
            "golden.json")));
      }
    }
    return out;
  }

  /** A model fed the golden's texts; a blank review is refused, not scored, so it is left out. */
  private static Case textCase(String name, Path model, JsonObject golden) {
    JsonArray texts = new JsonArray();
    List<Float> probabilities = new ArrayList<>();
    for (int i = 0; i < golden.getAsJsonArray("texts").size(); i++) {
      if (!golden.getAsJsonArray("texts").get(i).getAsString().isBlank()) {
        texts.add(golden.getAsJsonArray("texts").get(i));
        probabilities.add(golden.getAsJsonArray("probabilities").get(i).getAsFloat());
      }
    }
    return new Case(name, model, texts, true, floats(probabilities));
  }

  /**
   * The heads tutorials teach besides Dense(1, sigmoid), in each Keras format: a logit, a 3-class softmax and 3
   * class logits (make_head_models.py); the golden is Keras' raw output, K values per row.
   */
  record Head(String name, Path model, JsonArray rows, float[][] golden) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Head> heads() {
    JsonObject g = golden("heads", "golden.json");
    List<Head> out = new ArrayList<>();
    for (var head : g.getAsJsonObject("outputs").entrySet()) {
      float[][] golden = head.getValue().getAsJsonArray().asList().stream().map(r -> floats(r.getAsJsonArray()
          .asList().stream().map(JsonElement::getAsFloat).toList())).toArray(float[][]::new);
      for (String style : List.of("model.keras", "model.h5", "export")) {
        out.add(new Head("head-" + head.getKey() + "-" + style.replace('.', '-'),
            SAVEDMODELS.resolve("heads").resolve(head.getKey()).resolve(style), g.getAsJsonArray("tokens"), golden));
      }
    }
    return out;
  }

  @BeforeAll
  static void startServer() throws IOException {
    root = Files.createTempDirectory("every-door");
    Files.createDirectories(root.resolve("hdf5-named-keras"));
    Files.copy(SAVEDMODELS.resolve("legacy/seq_lstm.h5"), root.resolve("hdf5-named-keras/seq_lstm.keras"));
    List<ModelSource> sources = new ArrayList<>();
    for (Case c : cases()) {
      sources.add(served(c.name(), c.model()));
    }
    for (Head h : heads()) {
      sources.add(served(h.name(), h.model()));
    }
    for (String style : MULTI_OUTPUT_STYLES) {
      sources.add(served(multiOutputName(style), SAVEDMODELS.resolve("multi_output").resolve(style)));
    }
    // told of word-presence input, as `serve --features multi_hot` is: models that look ids up ignore it
    server = ModelServer.start(sources, ServerSettings.defaults().withPort(0)
        .withLoadOptions(LoadOptions.defaults().withFeatures(OutputMode.MULTI_HOT)), line -> { });
    client = new ServeClient(server.port());
    client.awaitReady(Duration.ofSeconds(180));
  }

  /** {@code model} copied in as version 1 of the served model {@code name}. */
  private static ModelSource served(String name, Path model) throws IOException {
    Path version = Files.createDirectories(root.resolve("serve").resolve(name).resolve("1"));
    if (Files.isDirectory(model)) {
      TestFolders.copyTree(model, version);
    } else {
      Files.copy(model, version.resolve(model.getFileName()));
    }
    return ModelSource.of(name, root.resolve("serve").resolve(name));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyDoorGivesKerasAnswer(Case c) throws IOException {
    float[] library = library(c);
    ServeClient.assertClose(c.golden(), library, 1e-5);
    ServeClient.assertClose(library, cli(c), 1e-6);
    ServeClient.assertClose(library, served(c), 1e-6);
  }

  /**
   * A logit head reports its score and the sigmoid of it, a K-class head its class probabilities (the softmax of
   * logits) and top class, at every door; serve answers the output tensor as TF Serving does, as Keras gave it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("heads")
  void everyDoorReadsEachHead(Head h) throws IOException {
    int[][] rows = intRows(h.rows());
    Predictions library;
    try (SentimentModel m = SentimentModel.load(h.model())) {
      library = m.predict(rows);
    }
    boolean logits = h.name().contains("logit");
    for (int i = 0; i < rows.length; i++) {
      float[] golden = h.golden()[i];
      ServeClient.assertClose(golden, library.values(i), 1e-5);
      Prediction p = library.get(i);
      if (golden.length == 1) {
        assertEquals(golden[0], p.logit(), 1e-5, h + " row " + i);
        assertEquals(1 / (1 + Math.exp(-golden[0])), p.probability(), 1e-5, h + " row " + i);
        assertEquals(golden[0] > 0 ? 1 : 0, p.label(), h + " row " + i);
      } else {
        double[] expected = logits ? softmax(golden) : java.util.stream.IntStream.range(0, golden.length)
            .mapToDouble(k -> golden[k]).toArray();
        assertArrayEquals(expected, p.classProbabilities(), 1e-5, h + " row " + i);
        int top = 0;
        for (int k = 1; k < expected.length; k++) {
          top = expected[k] > expected[top] ? k : top;
        }
        assertEquals(top, p.label(), h + " row " + i);
        assertEquals(expected[top], p.probability(), 1e-5, h + " row " + i);
      }
    }
    Path tokens = root.resolve(h.name() + ".tokens.jsonl");
    StringBuilder lines = new StringBuilder();
    h.rows().forEach(r -> lines.append(r).append('\n'));
    Files.writeString(tokens, lines);
    Cli.Run run = Cli.run("predict", "--model", h.model().toString(), "--json", "--tokens", tokens.toString());
    assertEquals(0, run.status(), run.err());
    List<JsonObject> cli = run.out().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    for (int i = 0; i < rows.length; i++) {
      Prediction p = library.get(i);
      JsonObject o = cli.get(i);
      assertEquals(p.label(), o.get("label").getAsInt(), h + " row " + i);
      assertEquals(p.probability(), o.get("probability").getAsDouble(), 1e-6, h + " row " + i);
      if (p.multiClass()) {
        assertArrayEquals(p.classProbabilities(), o.getAsJsonArray("probabilities").asList().stream()
            .mapToDouble(JsonElement::getAsDouble).toArray(), 1e-6, h + " row " + i);
      } else {
        assertEquals(p.logit(), o.get("logit").getAsDouble(), 1e-6, h + " row " + i);
      }
    }
    JsonObject request = new JsonObject();
    request.add("instances", h.rows());
    JsonArray served = client.post("/v1/models/" + h.name() + ":predict", request.toString()).json()
        .getAsJsonArray("predictions");
    for (int i = 0; i < rows.length; i++) {
      ServeClient.assertClose(library.values(i), floats(served.get(i).getAsJsonArray().asList().stream()
          .map(JsonElement::getAsFloat).toList()), 1e-6);
    }
  }

  private static final String[] MULTI_OUTPUT_STYLES = {"model.keras", "model.h5", "export"};

  private static String multiOutputName(String style) {
    return "two-heads-" + style.replace('.', '-');
  }

  /**
   * A Functional model with two named heads (a sigmoid `positive` and a 3-class softmax `stars`,
   * make_multi_output_models.py): each output by name at every door, Keras' values (1e-5); the chosen output
   * gives the predictions, with the class names given; serve answers TF Serving's shapes for several outputs (an
   * object per instance, or per output in the columnar form).
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"model.keras", "model.h5", "export"})
  void everyDoorReadsEachOutput(String style) throws IOException {
    Path model = SAVEDMODELS.resolve("multi_output").resolve(style);
    JsonObject g = golden("multi_output", "golden.json");
    JsonArray tokens = g.getAsJsonArray("tokens");
    int[][] rows = intRows(tokens);
    List<float[][]> golden = List.of("positive", "stars").stream().map(k -> g.getAsJsonObject("outputs")
        .getAsJsonArray(k).asList().stream().map(r -> floats(r.getAsJsonArray().asList().stream()
            .map(JsonElement::getAsFloat).toList())).toArray(float[][]::new)).toList();
    List<String> names = List.of("negative", "neutral", "positive");
    Predictions library;
    String stars;
    try (SentimentModel m = SentimentModel.load(model)) {
      assertEquals(2, m.outputs().size(), m.outputs().toString());
      stars = m.outputs().get(1).name();
    }
    try (SentimentModel m = SentimentModel.load(model, LoadOptions.defaults().withOutputName(stars)
        .withClassNames(names))) {
      library = m.predict(rows);
    }
    assertEquals(stars, library.output().name());
    for (int k = 0; k < 2; k++) {
      Predictions each = library.output(library.outputs().get(k).name());
      for (int i = 0; i < rows.length; i++) {
        ServeClient.assertClose(golden.get(k)[i], each.values(i), 1e-5);
      }
    }
    for (int i = 0; i < rows.length; i++) {
      Prediction p = library.get(i);
      assertEquals(3, p.classProbabilities().length);
      assertEquals(names.get(p.label()), p.className(), "row " + i);
    }
    Path file = root.resolve("two-heads-" + style + ".tokens.jsonl");
    StringBuilder lines = new StringBuilder();
    tokens.forEach(r -> lines.append(r).append('\n'));
    Files.writeString(file, lines);
    Cli.Run run = Cli.run("predict", "--model", model.toString(), "--json", "--tokens", file.toString(),
        "--output-name", stars, "--labels", String.join(",", names));
    assertEquals(0, run.status(), run.err());
    List<JsonObject> cli = run.out().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    String name = multiOutputName(style);
    JsonObject rowForm = new JsonObject();
    rowForm.add("instances", tokens);
    JsonArray served = client.post("/v1/models/" + name + ":predict", rowForm.toString()).json()
        .getAsJsonArray("predictions");
    JsonObject columnarForm = new JsonObject();
    columnarForm.add("inputs", tokens);
    JsonObject columns = client.post("/v1/models/" + name + ":predict", columnarForm.toString()).json()
        .getAsJsonObject("outputs");
    for (int i = 0; i < rows.length; i++) {
      assertEquals(library.get(i).className(), cli.get(i).get("class").getAsString(), "row " + i);
      assertEquals(library.get(i).probability(), cli.get(i).get("probability").getAsDouble(), 1e-6, "row " + i);
      for (ModelOutput o : library.outputs()) {
        float[] values = library.output(o.name()).values(i);
        ServeClient.assertClose(values, floats(cli.get(i).getAsJsonObject("outputs").getAsJsonArray(o.name())), 1e-6);
        ServeClient.assertClose(values, floats(served.get(i).getAsJsonObject().getAsJsonArray(o.name())), 1e-6);
        ServeClient.assertClose(values, floats(columns.getAsJsonArray(o.name()).get(i).getAsJsonArray()), 1e-6);
      }
    }
  }

  private static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] out = new double[logits.length];
    double sum = 0;
    for (int k = 0; k < out.length; k++) {
      out[k] = Math.exp(logits[k] - max);
      sum += out[k];
    }
    for (int k = 0; k < out.length; k++) {
      out[k] /= sum;
    }
    return out;
  }

  /**
   * Models every door refuses: a layer sentigraph does not run, an HDF5 file cut short, and "Deep Learning with
   * Python"'s word-presence model (Dense on a 0/1 vector per word) when no door is told what its input is (token ids
   * would fill it with every answer wrong) and its SavedModel export in any case, and a model whose weights hold a
   * NaN (Keras answers NaN for every review) in each of Keras' formats.
   */
  static List<Path> refused() throws IOException {
    Path dir = Files.createDirectories(root.resolve("refused"));
    Path unsupported = dir.resolve("attention.keras");
    try (ZipFile in = new ZipFile(SAVEDMODELS.resolve("lstm/model.keras").toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(unsupported))) {
      for (ZipEntry e : java.util.Collections.list(in.entries())) {
        byte[] bytes = in.getInputStream(e).readAllBytes();
        if (e.getName().equals("config.json")) {
          bytes = new String(bytes, StandardCharsets.UTF_8).replace("\"LSTM\"", "\"MultiHeadAttention\"")
              .getBytes(StandardCharsets.UTF_8);
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(bytes);
      }
    }
    Path truncated = dir.resolve("truncated.h5");
    byte[] h5 = Files.readAllBytes(SAVEDMODELS.resolve("legacy/seq_lstm.h5"));
    Files.write(truncated, java.util.Arrays.copyOf(h5, 4096));
    return List.of(unsupported, truncated, SAVEDMODELS.resolve("word_presence/model.h5"),
        SAVEDMODELS.resolve("word_presence/model.keras"), SAVEDMODELS.resolve("word_presence/export"), SAVEDMODELS.resolve("nan/model.keras"),
        SAVEDMODELS.resolve("nan/model.h5"), SAVEDMODELS.resolve("nan/export"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void aModelOneDoorRefusesEveryDoorRefusesWithTheSameSentence(Path model) throws IOException {
    String message = assertThrows(InputException.class, () -> SentimentModel.load(model)).getMessage();
    Cli.Run cli = Cli.run("predict", "--model", model.toString(), "--tokens", model.toString());
    assertEquals(2, cli.status());
    assertEquals("error: " + message, cli.err().strip());
    String name = model.getParent().getFileName() + "-" + model.getFileName().toString().replace('.', '-');
    Path version = Files.createDirectories(root.resolve("refused-serve").resolve(name).resolve("1"));
    Path served = Files.isDirectory(model) ? version : version.resolve(model.getFileName());
    if (Files.isDirectory(model)) {
      TestFolders.copyTree(model, version); // a SavedModel is the version folder itself
    } else {
      Files.copy(model, served);
    }
    try (ModelServer refusing = ModelServer.start(List.of(ModelSource.of(name, version.getParent())),
        ServerSettings.defaults().withPort(0), line -> { })) {
      ServeClient c = new ServeClient(refusing.port());
      JsonObject status = null;
      for (int i = 0; i < 600 && (status == null || !status.get("state").getAsString().equals("END")); i++) {
        ServeClient.Reply r = c.get("/v1/models/" + name);
        status = r.status() == 404 ? null
            : r.json().getAsJsonArray("model_version_status").get(0).getAsJsonObject();
        ServeClient.sleep(50);
      }
      // the same sentence, naming the server's copy of the file
      assertEquals(message.replace(model.toString(), "MODEL"), status.getAsJsonObject("status").get("error_message")
          .getAsString().replace(served.toString(), "MODEL"));
    }
  }

  private static float[] library(Case c) {
    LoadOptions options = c.features() ? LoadOptions.defaults().withFeatures(OutputMode.MULTI_HOT)
        : LoadOptions.defaults();
    try (SentimentModel m = SentimentModel.load(c.model(), options)) {
      if (c.texts()) {
        return floats(m.predict(strings(c.rows())).stream().map(p -> (float) p.probability()).toList());
      }
      return m.predictTokens(intRows(c.rows()));
    }
  }

  private static float[] cli(Case c) throws IOException {
    List<String> args = new ArrayList<>(List.of("predict", "--model", c.model().toString(), "--json"));
    if (c.features()) {
      args.addAll(List.of("--features", "multi_hot"));
    }
    if (c.texts()) {
      strings(c.rows()).forEach(t -> args.addAll(List.of("--text", t)));
    } else {
      Path tokens = root.resolve(c.name() + ".tokens.jsonl");
      StringBuilder lines = new StringBuilder();
      c.rows().forEach(r -> lines.append(r).append('\n'));
      Files.writeString(tokens, lines);
      args.addAll(List.of("--tokens", tokens.toString()));
    }
    Cli.Run run = Cli.run(args.toArray(String[]::new));
    assertEquals(0, run.status(), run.err());
    return floats(run.out().lines().map(l -> JsonParser.parseString(l).getAsJsonObject().get("probability").getAsFloat())
        .toList());
  }

  private static float[] served(Case c) {
    JsonObject request = new JsonObject();
    if (c.texts()) {
      request.addProperty("signature_name", Signatures.TEXT);
    }
    request.add("instances", c.rows());
    return ServeClient.probabilities(client.post("/v1/models/" + c.name() + ":predict", request.toString()));
  }

  private static JsonObject golden(String family, String file) {
    try {
      return JsonParser.parseString(Files.readString(SAVEDMODELS.resolve(family).resolve(file))).getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> strings(JsonArray a) {
    return a.asList().stream().map(JsonElement::getAsString).toList();
  }

  private static int[][] intRows(JsonArray a) {
    return a.asList().stream().map(r -> r.getAsJsonArray().asList().stream().mapToInt(JsonElement::getAsInt).toArray())
        .toArray(int[][]::new);
  }

  private static float[] floats(JsonArray a) {
    return floats(a.asList().stream().map(e -> e.isJsonArray() ? e.getAsJsonArray().get(0).getAsFloat() : e.getAsFloat())
        .toList());
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
