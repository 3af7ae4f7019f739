package dev.sentigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect} on model files: legacy .h5 (CuDNN and Functional), any-length and text .keras, damaged files. */
class InspectCommandTest {
  @Test
  void legacyH5WithCudnnLayers() {
    Cli.Run r = Cli.run("inspect", "savedmodels/legacy/cudnn_gru.h5");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("Keras .h5 file savedmodels/legacy/cudnn_gru.h5 (Keras 2.2.4), model 'cudnn_gru'"), r.out());
    assertTrue(r.out().contains("input  int32 token ids, shape [None, 10]"), r.out());
    assertTrue(r.out().matches("(?s).*layer 1  GRU\\s+'cu_dnngru_1'\\s+output \\[None, 10, 5\\]  \\(CuDNN weights, converted\\).*"), r.out());
    assertTrue(r.out().matches("(?s).*bias\\s+\\[2, 15\\]\\s+model_weights/cu_dnngru_1/cu_dnngru_1/bias:0\n.*"), r.out());
    assertTrue(r.out().contains("output float32 probability, shape [None, 1]"), r.out());
    // Keras' count for the same model: 180 + 3*5*(6+5) + 2*15 + 18 + 4
    assertTrue(r.out().contains("total params: 397"), r.out());
    assertEquals(r.out(), Cli.run("inspect", "--model", "savedmodels/legacy/cudnn_gru.h5").out());
    Cli.Run both = Cli.run("inspect", "--model", "savedmodels/legacy/cudnn_gru.h5", "savedmodels/legacy/cudnn_lstm.h5");
    assertEquals(2, both.status());
    assertEquals("error: give the model to inspect once: as PATH or as --model M", both.err().strip());
  }

  @Test
  void functionalH5AsJson() {
    Cli.Run r = Cli.run("inspect", "--json", "savedmodels/legacy/functional_gru.h5");
    assertEquals(0, r.status(), r.err());
    JsonObject doc = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals("h5", doc.get("format").getAsString());
    assertEquals("2.15.0", doc.get("keras_version").getAsString());
    JsonArray layers = doc.getAsJsonArray("layers");
    assertEquals(5, layers.size());
    JsonObject concat = layers.get(3).getAsJsonObject();
    assertEquals("Concatenate", concat.get("class_name").getAsString());
    assertEquals("[\"gru\",\"global_max_pooling1d\"]", concat.get("inbound").toString());
    assertEquals("[8]", concat.get("output_shape").toString());
    JsonObject gruKernel = layers.get(1).getAsJsonObject().getAsJsonArray("weights").get(0).getAsJsonObject();
    assertEquals("model_weights/gru/gru/gru_cell/kernel", gruKernel.get("h5_path").getAsString());
    assertEquals(240, doc.get("total_params").getAsInt());
  }

  @Test
  void anyLengthAndTextKerasFilesSayWhatTheyTake() {
    Cli.Run varlen = Cli.run("inspect", "savedmodels/varlen/model.keras");
    assertEquals(0, varlen.status(), varlen.err());
    assertTrue(varlen.out().contains("input  int32 token ids, shape [None, None]"), varlen.out());
    assertTrue(varlen.out().matches("(?s).*'embedding_1'\\s+output \\[None, None, 6\\].*"), varlen.out());
    Cli.Run json = Cli.run("inspect", "--json", "savedmodels/varlen/model.keras");
    JsonObject doc = JsonParser.parseString(json.out()).getAsJsonObject();
    assertEquals("[null,null]", doc.get("input_shape").toString());
    assertEquals("[null,6]", doc.getAsJsonArray("layers").get(0).getAsJsonObject().get("output_shape").toString());
    Cli.Run text = Cli.run("inspect", "savedmodels/text/model.keras");
    assertEquals(0, text.status(), text.err());
    assertTrue(text.out().contains("input  string texts, shape [None, 1], TextVectorization to 10 ids"), text.out());
  }

  /** "Deep Learning with Python"'s word-presence model takes a 0/1 vector, which inspect must not call token ids. */
  @Test
  void aDenseInputIsFeaturesNotTokenIds() {
    for (String file : List.of("savedmodels/word_presence/model.h5", "savedmodels/word_presence/model.keras")) {
      Cli.Run r = Cli.run("inspect", file);
      assertEquals(0, r.status(), r.err());
      assertTrue(r.out().contains("input  float32 features, shape [None, 1000] (its input feeds no Embedding: not"
          + " token ids; predict fills it with --features multi_hot or count)"), r.out());
      Cli.Run json = Cli.run("inspect", "--json", file);
      assertEquals("float32", JsonParser.parseString(json.out()).getAsJsonObject().get("input_dtype").getAsString());
    }
    Cli.Run tfIdf = Cli.run("inspect", "savedmodels/word_presence/tf_idf/model.keras");
    assertEquals(0, tfIdf.status(), tfIdf.err());
    assertTrue(tfIdf.out().contains("input  string texts, shape [None, 1], TextVectorization to a tf_idf vector of 23"
        + " values ([UNK] and 22 words)"), tfIdf.out());
  }

  @Test
  void runFolders(@TempDir Path dir) throws Exception {
    Path run = AnalysisCommandsTest.run(dir, "hand", new float[30], 0);
    Cli.Run r = Cli.run("inspect", run.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("Run folder " + run + " (sentigraph), model 'hand'"), r.out());
    assertTrue(r.out().matches("(?s).*layer 0  Embedding .*embeddings\\s+\\[15, 2\\]\n.*"), r.out());
    assertTrue(r.out().contains("total params: 33"), r.out()); // 15 x 2 + 2 + 1
  }

  @Test
  void damagedH5FilesAreOneLine(@TempDir Path dir) throws Exception {
    byte[] whole = Files.readAllBytes(Path.of("savedmodels/legacy/cudnn_lstm.h5"));
    // cut in the superblock, in the object headers, and inside the embedding's and the LSTM's data (the file's last
    // bytes hold nothing the model needs, so a cut there is no damage)
    for (int cut : new int[] {100, 2_000, 9_500, 10_500}) {
      Path f = dir.resolve("cut" + cut + ".h5");
      Files.write(f, Arrays.copyOf(whole, cut));
      Cli.Run r = Cli.run("inspect", f.toString());
      assertEquals(2, r.status(), cut + ": " + r.out() + r.err());
      assertTrue(r.err().startsWith("error: " + f), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
    }
    Path text = dir.resolve("notes.h5");
    Files.writeString(text, "not an HDF5 file");
    Cli.Run r = Cli.run("inspect", text.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().contains("is not a readable HDF5 file"), r.err());
  }
}
