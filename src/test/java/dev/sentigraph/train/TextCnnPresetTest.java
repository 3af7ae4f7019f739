package dev.sentigraph.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.InteropFixtures;
import dev.sentigraph.LoadOptions;
import dev.sentigraph.Prediction;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.data.LabeledText;
import dev.sentigraph.data.ReviewLabels;
import dev.sentigraph.data.TextReviews;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.AtomicFile;
import dev.sentigraph.keras.KerasFileWriter;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.savedmodel.SavedModelExporter;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code text-cnn} preset end to end on a small aclImdb made here: the vocabulary adapted as Keras adapts
 * (golden from scripts/make_text_vectorization_golden.py), training from the tarball as downloaded, the run folder
 * scoring raw text as training encoded it, and the {@code .keras} export read back (Keras 3 reads it in
 * scripts/check_keras_export.py, from SENTIGRAPH_EXPORT_DIR/keras-text-cnn).
 */
class TextCnnPresetTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/text/adapt.json");

  @Test
  void adaptsTheVocabularyAsKerasDoes() throws Exception {
    JsonObject golden = JsonParser.parseString(Files.readString(GOLDEN)).getAsJsonObject();
    List<String> texts = strings(golden.getAsJsonArray("texts"));
    for (JsonElement e : golden.getAsJsonArray("settings")) {
      JsonObject setting = e.getAsJsonObject();
      int maxTokens = setting.get("max_tokens").isJsonNull() ? Integer.MAX_VALUE : setting.get("max_tokens").getAsInt();
      KerasTextVectorization v = KerasTextVectorization.adapt(KerasTextVectorization.Standardize.LOWER_AND_STRIP_PUNCTUATION,
          texts, maxTokens, 8);
      assertEquals(strings(setting.getAsJsonArray("vocabulary")), v.vocabulary(), "max_tokens " + maxTokens);
      JsonArray ids = setting.getAsJsonArray("ids");
      for (int i = 0; i < texts.size(); i++) {
        int[] expected = ids.get(i).getAsJsonArray().asList().stream().mapToInt(JsonElement::getAsInt).toArray();
        assertArrayEquals(expected, Arrays.copyOf(v.ids(texts.get(i)), 8), "max_tokens " + maxTokens + ": " + texts.get(i));
      }
    }
  }

  @Test
  void trainsFromTheTarballAndScoresAndExportsTextAsTrained(@TempDir Path tmp) throws Exception {
    List<LabeledText> train = reviews(new Random(1), 64);
    List<LabeledText> test = reviews(new Random(2), 32);
    Path tarball = tmp.resolve("aclImdb_v1.tar.gz");
    writeAclImdb(tarball, tmp.resolve("folder"), train, test);
    TextReviews fromTar = TextReviews.read(tarball, ReviewLabels.POLARITY);
    TextReviews fromFolder = TextReviews.read(tmp.resolve("folder/aclImdb"), ReviewLabels.POLARITY);
    assertEquals(fromFolder.train(), fromTar.train());
    assertEquals(fromFolder.test(), fromTar.test());
    assertEquals(train.size(), fromTar.train().size());

    TrainingRun.Result result = TrainingRun.of(Presets.get("text-cnn")).data(d -> d.withSource(tarball))
        .train(t -> t.with(null, null, null, 1, null, null)).out(tmp.resolve("run")).build().run();
    assertNotNull(result.test());
    Path run = result.run().dir();
    KerasTextVectorization adapted = KerasTextVectorization.adapt(KerasTextVectorization.Standardize.LOWER_AND_STRIP_PUNCTUATION,
        fromTar.train().stream().map(LabeledText::text).toList(), 20000, 500);
    assertEquals(adapted.vocabulary(), List.of(Files.readString(run.resolve("vocabulary.txt")).split("\n", -1)));
    assertFalse(Files.exists(run.resolve("word_index.json")), "a text model has no word index");
    // a resumed run encodes with the vocabulary it kept (a changed file would show in its test metrics)
    TrainingRun.Result resumed = TrainingRun.resume(run).train(t -> t.with(null, null, null, 2, null, null)).build().run();
    assertEquals(2, resumed.history().size());
    assertNotNull(resumed.test());

    List<String> texts = new ArrayList<>(List.of("A wonderful, WONDERFUL film!", "Dull and far too long\u0085",
        "words the training never saw", "", "\u00c9 \u00e9 fact\u0085 [UNK]\tthe<br /><br />PLOT",
        "great ".repeat(300) + "awful ".repeat(300)));
    test.subList(0, 4).forEach(r -> texts.add(r.text()));
    float[] expected;
    // the last epoch's weights, which the run's test metrics measured (the default would be the best epoch's)
    try (SentimentModel model = SentimentModel.load(run, LoadOptions.defaults().withCheckpoint("epoch-002"))) {
      expected = probabilities(model.predict(texts));
      // evaluate's path: the test reviews encoded by the model's own TextVectorization give training's metrics
      DataSettings settings = model.dataSettings().withSource(tarball);
      var data = DatasetLoader.load(settings, model.encoding().vectorization());
      assertEquals(resumed.test().accuracy(), Evaluation.of(data.test().labels(), model.predictAll(data.test()).probabilities()).accuracy(), 1e-9);
      // one text scored alone equals its padded ids scored as tokens
      int[] row = new int[500];
      model.encoding().pad(model.encoding().ids(texts.get(0)), row, 0);
      assertEquals(expected[0], model.predictTokens(new int[][] {row})[0], 1e-6);
    }

    Path root = InteropFixtures.exportRoot("keras-text-cnn", tmp);
    TrainedModel trained = SentimentModel.readTrained(run, "epoch-002");
    Path inConfig = root.resolve("text_cnn.keras");
    KerasFileWriter.write(trained, inConfig, true, "test");
    try (ZipFile zip = new ZipFile(inConfig.toFile())) {
      // "fact\u0085"-like words from aclImdb: Python's splitlines would break them, so the config carries them
      assertNull(zip.getEntry("assets/layers/text_vectorization/vocabulary.txt"));
      JsonObject config = JsonParser.parseString(new String(zip.getInputStream(zip.getEntry("config.json")).readAllBytes(),
          StandardCharsets.UTF_8)).getAsJsonObject();
      JsonObject layer = config.getAsJsonObject("config").getAsJsonArray("layers").get(1).getAsJsonObject();
      assertEquals(adapted.vocabulary(), strings(layer.getAsJsonObject("config").getAsJsonArray("vocabulary")));
    }
    // the same model with a vocabulary Keras reads from the archive's assets
    List<String> plain = adapted.vocabulary().stream().filter(w -> w.indexOf('\u0085') < 0).toList();
    TrainedModel plainModel = new TrainedModel(trained.config(), trained.weights(), trained.data(), null,
        trained.metrics(), new KerasTextVectorization(adapted.standardize(), plain, 500));
    Path inAssets = root.resolve("text_cnn_assets.keras");
    KerasFileWriter.write(plainModel, inAssets, true, "test");
    try (ZipFile zip = new ZipFile(inAssets.toFile())) {
      assertEquals(String.join("\n", plain), new String(zip.getInputStream(
          zip.getEntry("assets/layers/text_vectorization/vocabulary.txt")).readAllBytes(), StandardCharsets.UTF_8));
    }
    float[] plainExpected;
    try (SentimentModel back = SentimentModel.load(inConfig); SentimentModel plainBack = SentimentModel.load(inAssets)) {
      assertTrue(back.trainedModel().isPresent());
      assertArrayEquals(expected, probabilities(back.predict(texts)), 1e-6f);
      plainExpected = probabilities(plainBack.predict(texts));
    }
    // the SavedModel: serving_default takes the raw text and tokenises it in the graph
    Path savedRoot = InteropFixtures.exportRoot("savedmodel-text-cnn", tmp);
    Path saved = savedRoot.resolve("text_cnn");
    SavedModelExporter.export(trained, null, saved, true, "test");
    try (SentimentModel back = SentimentModel.load(saved)) {
      assertTrue(back.takesText());
      assertArrayEquals(expected, probabilities(back.predict(texts)), 1e-6f);
    }
    JsonObject savedDoc = new JsonObject();
    JsonArray savedModels = new JsonArray();
    JsonObject savedCase = exported(saved, expected);
    savedCase.addProperty("keras", inConfig.toString());
    savedModels.add(savedCase);
    savedDoc.add("models", savedModels);
    JsonArray savedTexts = new JsonArray();
    texts.forEach(savedTexts::add);
    savedDoc.add("texts", savedTexts);
    AtomicFile.writeString(savedRoot.resolve("predictions.json"), savedDoc.toString());

    JsonObject doc = new JsonObject();
    JsonArray models = new JsonArray();
    models.add(exported(inConfig, expected));
    models.add(exported(inAssets, plainExpected));
    doc.add("models", models);
    JsonArray textsJson = new JsonArray();
    texts.forEach(textsJson::add);
    doc.add("texts", textsJson);
    AtomicFile.writeString(root.resolve("predictions.json"), doc.toString());
  }

  @Test
  void anotherLengthChangesTheTextVectorizationNotTheStringInput() {
    ModelConfig shorter = Presets.get("text-cnn").model().withSeqLen(100);
    assertEquals(100, shorter.seqLen());
    assertEquals(100, shorter.graph().textVectorization().get("output_sequence_length").getAsInt());
    JsonArray layers = shorter.toJson().getAsJsonObject("config").getAsJsonArray("layers");
    assertEquals("[null,1]", layers.get(0).getAsJsonObject().getAsJsonObject("config").get("batch_shape").toString());
    assertEquals(100, layers.get(1).getAsJsonObject().getAsJsonObject("config").get("output_sequence_length").getAsInt());
    assertEquals(ModelConfig.fromJson(shorter.toJson(), "test").toJsonString(), shorter.toJsonString());
  }

  @Test
  void refusesTokenDataForATextModel(@TempDir Path tmp) throws Exception {
    Path npz = tmp.resolve("imdb.npz");
    Files.writeString(npz, "not used");
    InputException e = org.junit.jupiter.api.Assertions.assertThrows(InputException.class,
        () -> TrainingRun.of(Presets.get("text-cnn")).data(d -> d.withSource(npz)).out(tmp.resolve("run")).build());
    assertTrue(e.getMessage().contains("holds token ids, not text"), e.getMessage());
  }

  private static JsonObject exported(Path path, float[] probabilities) {
    JsonObject c = new JsonObject();
    c.addProperty("path", path.toString());
    JsonArray p = new JsonArray();
    for (float v : probabilities) {
      p.add(v);
    }
    c.add("probabilities", p);
    return c;
  }

  private static float[] probabilities(List<Prediction> predictions) {
    float[] out = new float[predictions.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) predictions.get(i).probability();
    }
    return out;
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.getAsString()));
    return out;
  }

  /** Made-up reviews: positive ones lean on a few words, negative ones on others; some carry aclImdb's quirks. */
  private static List<LabeledText> reviews(Random random, int n) {
    String[] good = {"great", "wonderful", "moving", "Superb!", "loved"};
    String[] bad = {"awful", "boring", "dull.", "Waste", "hated"};
    String[] common = {"the", "film", "movie", "was", "and", "plot", "<br /><br />", "actors", "fact\u0085", "É"};
    List<LabeledText> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < 20 + random.nextInt(40); w++) {
        String[] pool = random.nextInt(3) == 0 ? (label == 1 ? good : bad) : common;
        text.append(pool[random.nextInt(pool.length)]).append(random.nextInt(5) == 0 ? "\n" : " ");
      }
      out.add(new LabeledText(text.toString(), label));
    }
    return out;
  }

  /** The aclImdb layout as a .tar.gz (as downloaded, with a README and an unsup folder to skip) and as a folder. */
  private static void writeAclImdb(Path tarball, Path folder, List<LabeledText> train, List<LabeledText> test)
      throws Exception {
    try (OutputStream file = Files.newOutputStream(tarball);
        GzipCompressorOutputStream gz = new GzipCompressorOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      put(tar, folder, "aclImdb/README", "not a review");
      put(tar, folder, "aclImdb/train/unsup/0_0.txt", "unlabelled, skipped");
      for (String split : List.of("train", "test")) {
        List<LabeledText> reviews = split.equals("train") ? train : test;
        for (int i = reviews.size() - 1; i >= 0; i--) { // archive order is not the readers' order
          LabeledText r = reviews.get(i);
          put(tar, folder, "aclImdb/" + split + "/" + (r.label() == 1 ? "pos" : "neg") + "/" + i + "_" + (r.label() == 1 ? 9 : 2)
              + ".txt", r.text());
        }
      }
    }
  }

  private static void put(TarArchiveOutputStream tar, Path folder, String name, String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
    Path file = folder.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }
}
