package dev.sentigraph.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.InteropFixtures;
import dev.sentigraph.LoadOptions;
import dev.sentigraph.Prediction;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.io.AtomicFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras.io's end-to-end text model as a {@code .keras} file (scripts/make_text_models.py): its TextVectorization
 * runs in Java with the vocabulary from the archive's assets and makes Keras' ids; the model predicts what Keras
 * predicted; written back, Keras 3 opens it and predicts the same from raw strings (check_keras_export.py reads
 * SENTIGRAPH_EXPORT_DIR/keras-text).
 */
class KerasTextModelTest {
  static final Path MODEL = Path.of("savedmodels/text/model.keras");

  static JsonObject golden() throws Exception {
    return JsonParser.parseString(Files.readString(Path.of("savedmodels/text/golden.json"))).getAsJsonObject();
  }

  static List<String> texts(JsonObject golden) {
    List<String> texts = new ArrayList<>();
    golden.getAsJsonArray("texts").forEach(t -> texts.add(t.getAsString()));
    return texts;
  }

  @Test
  void vectorizesAsKerasDoes() throws Exception {
    JsonObject golden = golden();
    KerasTextVectorization v = KerasFileReader.read(MODEL).textVectorization();
    assertNotNull(v);
    List<String> vocabulary = new ArrayList<>();
    golden.getAsJsonArray("vocabulary").forEach(w -> vocabulary.add(w.getAsString()));
    assertEquals(vocabulary, v.vocabulary());
    JsonArray ids = golden.getAsJsonArray("ids");
    List<String> texts = texts(golden);
    for (int i = 0; i < texts.size(); i++) {
      int[] expected = ids.get(i).getAsJsonArray().asList().stream().mapToInt(x -> x.getAsInt()).toArray();
      int[] actual = java.util.Arrays.copyOf(v.ids(texts.get(i)), expected.length); // Keras pads at the end
      assertArrayEquals(expected, actual, texts.get(i));
    }
  }

  @Test
  void predictsWhatKerasPredictedAndWritesWhatKerasReads(@TempDir Path tmp) throws Exception {
    JsonObject golden = golden();
    List<String> texts = texts(golden);
    float[] probabilities;
    try (SentimentModel model = SentimentModel.load(MODEL, LoadOptions.defaults().withBatchSize(4))) {
      List<Prediction> p = model.predict(texts);
      probabilities = new float[p.size()];
      for (int i = 0; i < p.size(); i++) {
        probabilities[i] = (float) p.get(i).probability();
        assertEquals(golden.getAsJsonArray("probabilities").get(i).getAsDouble(), probabilities[i], 1e-5, texts.get(i));
      }
      Path root = InteropFixtures.exportRoot("keras-text", tmp);
      Path out = root.resolve("text.keras");
      KerasFileWriter.write(model.trainedModel().orElseThrow(), out, true, "test");
      try (ZipFile written = new ZipFile(out.toFile()); ZipFile keras = new ZipFile(MODEL.toFile())) {
        String vocabulary = "assets/layers/text_vectorization/vocabulary.txt";
        assertArrayEquals(keras.getInputStream(keras.getEntry(vocabulary)).readAllBytes(),
            written.getInputStream(written.getEntry(vocabulary)).readAllBytes(), "vocabulary file as Keras writes it");
      }
      try (SentimentModel back = SentimentModel.load(out)) {
        List<Prediction> again = back.predict(texts);
        for (int i = 0; i < texts.size(); i++) {
          assertEquals(probabilities[i], again.get(i).probability(), 1e-7);
        }
      }
      JsonObject doc = new JsonObject();
      JsonArray models = new JsonArray();
      JsonObject c = new JsonObject();
      c.addProperty("path", out.toString());
      JsonArray p2 = new JsonArray();
      for (float v : probabilities) {
        p2.add(v);
      }
      c.add("probabilities", p2);
      models.add(c);
      doc.add("models", models);
      doc.add("texts", golden.getAsJsonArray("texts"));
      AtomicFile.writeString(root.resolve("predictions.json"), doc.toString());
    }
  }
}
