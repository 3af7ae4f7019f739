package dev.sentigraph.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.InteropFixtures;
import dev.sentigraph.LoadOptions;
import dev.sentigraph.Predictions;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.Dataset;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.data.LabeledText;
import dev.sentigraph.data.PaddedSequences;
import dev.sentigraph.data.ReviewLabels;
import dev.sentigraph.data.TextReviews;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.AtomicFile;
import dev.sentigraph.keras.KerasFileWriter;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.savedmodel.SavedModelExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Dense(4, softmax) model trained on an aclImdb made here whose file names carry star ratings, labelled by rating
 * band: it learns, checkpoints and resumes, its run folder predicts through {@link SentimentModel}, and its
 * {@code .keras} and SavedModel exports give its predictions back (Keras and TensorFlow load them in
 * scripts/check_keras_export.py and scripts/check_savedmodel_export.py, from SENTIGRAPH_EXPORT_DIR/*-kclass).
 */
class KClassTrainingTest {
  private static final int SEQ = 30;
  private static final int ROWS = 8;
  /** Words each rating band leans on; reviews also hold words every band uses. */
  private static final String[][] BAND_WORDS = {{"awful", "worst", "garbage"}, {"weak", "dull", "meh"},
      {"good", "nice", "solid"}, {"masterpiece", "perfect", "brilliant"}};
  private static final String[] COMMON = {"the", "film", "movie", "was", "and", "plot", "actors", "it", "a", "story"};
  private static final int[][] BAND_RATINGS = {{1, 2}, {3, 4}, {7, 8}, {9, 10}};

  static ModelConfig config(int units, String activation) {
    return ModelConfig.fromJson(JsonParser.parseString("""
        {"class_name": "Sequential", "config": {"name": "bands", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, %d]}},
          {"class_name": "Embedding", "config": {"input_dim": 100, "output_dim": 8}},
          {"class_name": "GlobalAveragePooling1D", "config": {}},
          {"class_name": "Dense", "config": {"units": %d, "activation": %s}}]}}
        """.formatted(SEQ, units, activation == null ? "null" : "\"" + activation + "\"")).getAsJsonObject(), "test");
  }

  static Preset preset(ModelConfig config) {
    return new Preset("bands", "rating bands", config, DataSettings.keras(100, SEQ).withLabels(ReviewLabels.RATING_BANDS),
        new TrainSettings("adam", 0.01, 32, 3, "test", 5));
  }

  @Test
  void trainsResumesExportsAndReloadsARatingBandModel(@TempDir Path tmp) throws Exception {
    Path acl = tmp.resolve("aclImdb");
    writeAclImdb(acl, 800, 200);
    TrainingRun.Result first = TrainingRun.of(preset(config(4, "softmax"))).data(d -> d.withSource(acl))
        .out(tmp.resolve("run")).build().run();
    assertEquals(3, first.history().size());
    Path run = first.run().dir();
    TrainingRun.Result resumed = TrainingRun.resume(run).train(t -> t.with(null, null, null, 4, null, null)).build().run();
    assertEquals(4, resumed.history().size(), "the resumed run adds the fourth epoch to the first three");
    Evaluation test = resumed.test();
    assertNotNull(test);
    assertTrue(test.accuracy() > 0.6, "4 bands learnt well above chance (0.25): " + test.accuracy());
    assertTrue(resumed.history().get(3).valAccuracy() > 0.6, "validation accuracy: " + resumed.history());
    assertEquals(4, test.confusion().length);
    assertEquals(200, Arrays.stream(test.confusion()).flatMapToLong(Arrays::stream).sum());

    Dataset data;
    float[] expected;
    // the last epoch's weights, which the run's test metrics measured
    try (SentimentModel model = SentimentModel.load(run, LoadOptions.defaults().withCheckpoint("epoch-004"))) {
      assertEquals(ReviewLabels.RATING_BANDS, model.dataSettings().labels(), "the run keeps how it labelled");
      data = DatasetLoader.load(model.dataSettings().withSource(acl));
      Predictions all = model.predictAll(data.test());
      assertEquals(4, all.output().width());
      assertEquals(ReviewLabels.RATING_BANDS.classNames().get(all.get(0).label()), all.get(0).className(),
          "a rating-bands run names its classes");
      assertEquals(test.accuracy(), Evaluation.of(data.test().labels(), all.classProbabilities(), 4).accuracy(), 1e-9,
          "evaluate's path reports what training reported");
      expected = all.slice(0, ROWS).classProbabilities();
    }
    PaddedSequences rows = data.test().head(ROWS);

    TrainedModel trained = SentimentModel.readTrained(run, "epoch-004");
    Path kerasRoot = InteropFixtures.exportRoot("keras-kclass", tmp);
    Path keras = kerasRoot.resolve("bands.keras");
    KerasFileWriter.write(trained, keras, true, "test");
    Path savedRoot = InteropFixtures.exportRoot("savedmodel-kclass", tmp);
    Path saved = savedRoot.resolve("bands");
    SavedModelExporter.export(trained, null, saved, true, "test");
    for (Path export : new Path[] {keras, saved}) {
      try (SentimentModel back = SentimentModel.load(export)) {
        assertArrayEquals(expected, back.predictAll(rows).classProbabilities(), 1e-6f, export.toString());
      }
    }
    writePredictions(kerasRoot, keras, rows, expected);
    writePredictions(savedRoot, saved, rows, expected);
  }

  @Test
  void aLogitHeadTrainsOnTheSameLabels(@TempDir Path tmp) throws Exception {
    Path acl = tmp.resolve("aclImdb");
    writeAclImdb(acl, 400, 100);
    TrainingRun.Result r = TrainingRun.of(preset(config(4, null))).data(d -> d.withSource(acl))
        .out(tmp.resolve("run")).build().run();
    assertTrue(r.test().accuracy() > 0.5, "Dense(4) trained from logits learns the bands: " + r.test().accuracy());
  }

  @Test
  void ratingBandsComeFromTheFileNames(@TempDir Path tmp) throws Exception {
    for (String split : new String[] {"train", "test"}) {
      for (String name : new String[] {"neg/0_1.txt", "neg/1_4.txt", "pos/2_7.txt", "pos/3_10.txt"}) {
        Path file = tmp.resolve(split).resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "review " + name);
      }
    }
    // pos before neg, names sorted: 2_7, 3_10, 0_1, 1_4
    TextReviews bands = TextReviews.read(tmp, ReviewLabels.RATING_BANDS);
    assertEquals(List.of(2, 3, 0, 1), bands.train().stream().map(LabeledText::label).toList());
    assertEquals(List.of(2, 3, 0, 1), bands.test().stream().map(LabeledText::label).toList());
    assertEquals(List.of(1, 1, 0, 0), TextReviews.read(tmp, ReviewLabels.POLARITY).train().stream()
        .map(LabeledText::label).toList());
  }

  @Test
  void refusesLabelsTheHeadCannotGive(@TempDir Path tmp) throws Exception {
    Path acl = tmp.resolve("aclImdb");
    writeAclImdb(acl, 40, 20);
    Preset binary = new Preset("binary", "binary", config(1, "sigmoid"),
        DataSettings.keras(100, SEQ).withLabels(ReviewLabels.RATING_BANDS), new TrainSettings("adam", 0.01, 32, 1, "test", 5));
    InputException e = assertThrows(InputException.class,
        () -> TrainingRun.of(binary).data(d -> d.withSource(acl)).out(tmp.resolve("binary")).build());
    assertTrue(e.getMessage().matches("training review \\d+ of .*aclImdb has label [23]: a binary head \\(Dense\\(1\\)\\)"
        + " takes labels 0 or 1"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("binary")), "refused before a run folder is made");

    // a .jsonl with class numbers: 0..2 train a Dense(3) head, a 3 is refused naming its row and K
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      jsonl.append("{\"text\": \"").append(BAND_WORDS[i % 3][0]).append(" film\", \"label\": ")
          .append(i == 17 ? 3 : i % 3).append("}\n");
    }
    Path file = tmp.resolve("classes.jsonl");
    Files.writeString(file, jsonl);
    Preset three = new Preset("three", "three", config(3, "softmax"), DataSettings.keras(100, SEQ),
        new TrainSettings("adam", 0.01, 8, 1, "test", 5));
    e = assertThrows(InputException.class,
        () -> TrainingRun.of(three).data(d -> d.withSource(file)).out(tmp.resolve("three")).build());
    assertEquals(file + " line 18 has label 3: a head over K=3 classes (Dense(3)) takes labels 0..2", e.getMessage());

    // rating bands come from aclImdb file names only
    e = assertThrows(InputException.class, () -> TrainingRun.of(three).data(d -> d.withSource(file)
        .withLabels(ReviewLabels.RATING_BANDS)).out(tmp.resolve("bands")).build());
    assertTrue(e.getMessage().startsWith("labels rating-bands are read from aclImdb's file names"), e.getMessage());
    Files.writeString(acl.resolve("train/pos/x_5.txt"), "a five under pos");
    e = assertThrows(InputException.class, () -> DatasetLoader.load(DataSettings.keras(100, SEQ).withSource(acl)
        .withLabels(ReviewLabels.RATING_BANDS)));
    assertTrue(e.getMessage().contains("'x_5.txt' carries no star rating of its folder"), e.getMessage());
  }

  /** The token rows and sentigraph's class probabilities for them, as the Python checks read them. */
  private static void writePredictions(Path root, Path export, PaddedSequences rows, float[] probabilities)
      throws Exception {
    JsonArray tokens = new JsonArray();
    for (int r = 0; r < rows.size(); r++) {
      JsonArray row = new JsonArray();
      for (int t = 0; t < rows.seqLen(); t++) {
        row.add(rows.tokens()[r * rows.seqLen() + t]);
      }
      tokens.add(row);
    }
    JsonArray p = new JsonArray();
    for (int r = 0; r < rows.size(); r++) {
      JsonArray row = new JsonArray();
      for (int k = 0; k < 4; k++) {
        row.add(probabilities[r * 4 + k]);
      }
      p.add(row);
    }
    JsonObject model = new JsonObject();
    model.addProperty("path", export.toString());
    model.add("probabilities", p);
    model.addProperty("output", "probabilities");
    JsonArray models = new JsonArray();
    models.add(model);
    JsonObject doc = new JsonObject();
    doc.add("tokens", tokens);
    doc.add("models", models);
    AtomicFile.writeString(root.resolve("predictions.json"), doc.toString());
  }

  /** aclImdb's layout with {@code <id>_<rating>.txt} names: each review leans on its rating band's words. */
  private static void writeAclImdb(Path root, int train, int test) throws Exception {
    Random random = new Random(22);
    for (String split : new String[] {"train", "test"}) {
      int n = split.equals("train") ? train : test;
      for (int i = 0; i < n; i++) {
        int band = i % 4;
        int rating = BAND_RATINGS[band][random.nextInt(2)];
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 10 + random.nextInt(20); w++) {
          String[] pool = random.nextInt(3) == 0 ? BAND_WORDS[band] : COMMON;
          text.append(pool[random.nextInt(pool.length)]).append(' ');
        }
        Path file = root.resolve(split).resolve(band >= 2 ? "pos" : "neg").resolve(i + "_" + rating + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
      }
    }
  }
}
