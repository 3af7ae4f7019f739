package dev.sentigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  static final String TINY = "src/test/resources/fixtures/tiny_imdb/reviews.npz";

  static Path config(Path dir) throws Exception {
    Path c = dir.resolve("model.json");
    Files.writeString(c, """
        {"class_name": "Sequential", "config": {"name": "tiny", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 8]}},
          {"class_name": "Embedding", "config": {"input_dim": 20, "output_dim": 4}},
          {"class_name": "LSTM", "config": {"units": 3, "dropout": 0.2}},
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}""");
    return c;
  }

  @Test
  void trainWritesARunFolderThatEvaluateAndResumeUse(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    Cli.Run r = Cli.run("train", "--config", config(dir).toString(), "--data", TINY, "--num-words", "20",
        "--seq-len", "8", "--epochs", "2", "--batch-size", "4", "--out", run.toString(), "--tensorboard",
        dir.resolve("tb").toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("test loss: "), r.out());
    assertTrue(r.err().contains("Epoch 2/2"), r.err());
    for (String f : new String[] {"model.json", "data.json", "train.json", "word_index.json", "history.json",
        "history.csv", "curves.png", "metrics.json", "checkpoints/epoch-001/state.json", "checkpoints/epoch-002/ckpt.index",
        "checkpoints/best/state.json", "checkpoints/latest"}) {
      assertTrue(Files.exists(run.resolve(f)), f);
    }
    assertEquals(3, Files.readAllLines(run.resolve("history.csv")).size());
    try (var events = Files.list(dir.resolve("tb"))) {
      assertTrue(events.anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents")));
    }

    Cli.Run e = Cli.run("evaluate", "--model", run.toString(), "--json");
    assertEquals(0, e.status(), e.err());
    JsonObject m = JsonParser.parseString(e.out()).getAsJsonObject();
    for (String k : new String[] {"loss", "accuracy", "precision", "recall", "f1", "auc", "confusion", "count"}) {
      assertTrue(m.has(k), k);
    }
    assertEquals(5, m.get("count").getAsInt());

    Cli.Run resumed = Cli.run("train", "--resume", run.toString(), "--epochs", "3");
    assertEquals(0, resumed.status(), resumed.err());
    assertTrue(resumed.err().contains("resuming from checkpoint epoch-002"), resumed.err());
    assertEquals(4, Files.readAllLines(run.resolve("history.csv")).size());
  }

  @Test
  void aKClassConfigTrainsEvaluatesAndExportsFromTheCommandLine(@TempDir Path dir) throws Exception {
    Path c = dir.resolve("three.json");
    Files.writeString(c, """
        {"class_name": "Sequential", "config": {"name": "three", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 6]}},
          {"class_name": "Embedding", "config": {"input_dim": 20, "output_dim": 4}},
          {"class_name": "GlobalAveragePooling1D", "config": {}},
          {"class_name": "Dense", "config": {"units": 3, "activation": "softmax"}}]}}""");
    String[] words = {"awful", "fine", "superb"};
    // the first row's text spans two lines: errors name the line each row starts on
    StringBuilder rows = new StringBuilder("text,label\n\"the awful\nfilm\",0\n");
    for (int i = 1; i < 60; i++) {
      rows.append("the ").append(words[i % 3]).append(" film,").append(i % 3).append('\n');
    }
    Path data = dir.resolve("classes.csv");
    Files.writeString(data, rows);
    Path run = dir.resolve("run");
    Cli.Run r = Cli.run("train", "--config", c.toString(), "--data", data.toString(), "--epochs", "2",
        "--batch-size", "8", "--out", run.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(Files.readAllLines(run.resolve("history.csv")).get(0).contains("loss,accuracy,val_loss,val_accuracy"),
        "history keys as Keras' fit names them for this loss with metrics=[\"accuracy\"]");
    Cli.Run e = Cli.run("evaluate", "--model", run.toString(), "--json");
    assertEquals(0, e.status(), e.err());
    JsonObject m = JsonParser.parseString(e.out()).getAsJsonObject();
    assertEquals(3, m.getAsJsonArray("confusion").size());
    JsonObject recorded = JsonParser.parseString(Files.readString(run.resolve("metrics.json"))).getAsJsonObject();
    assertEquals(recorded.get("accuracy").getAsDouble(), m.get("accuracy").getAsDouble(), 1e-9);
    assertEquals(recorded.get("loss").getAsDouble(), m.get("loss").getAsDouble(), 1e-6);
    assertEquals(0, Cli.run("export", "--model", run.toString(), "--format", "keras", "--out",
        dir.resolve("three.keras").toString()).status());

    Files.writeString(data, rows.toString().replace("superb film,2\n", "superb film,3\n"));
    Cli.Run bad = Cli.run("train", "--config", c.toString(), "--data", data.toString(), "--out",
        dir.resolve("bad").toString());
    assertEquals(2, bad.status());
    assertEquals("error: " + data + " line 5 has label 3: a head over K=3 classes (Dense(3)) takes labels 0..2",
        bad.err().strip());
    Cli.Run binary = Cli.run("train", "--config", config(dir).toString(), "--data", data.toString(), "--out",
        dir.resolve("binary").toString());
    assertEquals(2, binary.status());
    assertEquals("error: " + data + " line 5 has label 3: a binary head (Dense(1)) takes labels 0 or 1",
        binary.err().strip());
  }

  @Test
  void exportedKerasFileEvaluatesLikeTheRunAndSeedsANewRun(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    assertEquals(0, Cli.run("train", "--config", config(dir).toString(), "--data", TINY, "--num-words", "20",
        "--seq-len", "8", "--epochs", "1", "--batch-size", "4", "--out", run.toString()).status());
    Path keras = dir.resolve("tiny.keras");
    Cli.Run export = Cli.run("export", "--model", run.toString(), "--format", "keras", "--out", keras.toString());
    assertEquals(0, export.status(), export.err());
    JsonObject recorded = dev.sentigraph.keras.KerasFileReader.read(keras).metrics();
    assertEquals(JsonParser.parseString(Files.readString(run.resolve("metrics.json"))), recorded);
    Path savedModel = dir.resolve("tiny-savedmodel");
    Cli.Run exportSm = Cli.run("export", "--model", run.toString(), "--out", savedModel.toString());
    assertEquals(0, exportSm.status(), exportSm.err());
    assertTrue(exportSm.err().contains("serving_default and serve_text"), exportSm.err());
    assertTrue(Files.readString(savedModel.resolve("assets.extra/sentigraph.json")).contains("\"auc\""));
    JsonObject fromRun = JsonParser.parseString(Cli.run("evaluate", "--model", run.toString(), "--json").out()).getAsJsonObject();
    Cli.Run e = Cli.run("evaluate", "--model", keras.toString(), "--data", TINY, "--json");
    assertEquals(0, e.status(), e.err());
    JsonObject fromKeras = JsonParser.parseString(e.out()).getAsJsonObject();
    assertEquals(fromRun.get("loss").getAsDouble(), fromKeras.get("loss").getAsDouble(), 1e-6);
    assertEquals(fromRun.get("auc").getAsDouble(), fromKeras.get("auc").getAsDouble(), 1e-9);

    // with a learning rate of 1e-9 the new run keeps the file's weights (to 4 decimals of the loss)
    Cli.Run seeded = Cli.run("train", "--init-from", keras.toString(), "--data", TINY, "--optimizer", "sgd", "--lr", "1e-9",
        "--batch-size", "4", "--out", dir.resolve("seeded").toString());
    assertEquals(0, seeded.status(), seeded.err());
    assertTrue(seeded.err().contains("starting from the weights of " + keras), seeded.err());
    assertTrue(seeded.out().startsWith(String.format(java.util.Locale.ROOT, "test loss: %.4f",
        fromKeras.get("loss").getAsDouble())), seeded.out() + " vs " + fromKeras);

    Cli.Run wrongShape = Cli.run("train", "--init-from", keras.toString(), "--preset", "lstm", "--data", TINY,
        "--out", dir.resolve("other").toString());
    assertEquals(2, wrongShape.status(), wrongShape.err());
    assertTrue(wrongShape.err().contains("has shape [20, 4] but layer 0 (Embedding) needs embedding/embeddings"
        + " [10000, 100]"), wrongShape.err());
    Cli.Run both = Cli.run("train", "--init-from", keras.toString(), "--resume", run.toString());
    assertEquals(2, both.status());
    assertTrue(both.err().contains("--init-from cannot be combined with --resume"), both.err());
  }

  @Test
  void badInputIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
    String[][] cases = {
        {"train", "--resume", dir.toString()},
        {"train", "--preset", "lstm", "--optimizer", "lbfgs"},
        {"train", "--preset", "lstm", "--validation", "split:1.5"},
        {"train", "--preset", "nope"},
        {"train"},
        {"evaluate", "--model", dir.resolve("nothing").toString()},
        {"bench", "--preset", "cnn", "--steps", "0"},
    };
    for (String[] args : cases) {
      Cli.Run r = Cli.run(args);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().startsWith("error: "), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
    Path run = dir.resolve("run");
    assertEquals(0, Cli.run("train", "--config", config(dir).toString(), "--data", TINY, "--num-words", "20",
        "--seq-len", "8", "--epochs", "1", "--out", run.toString()).status());
    Cli.Run mismatch = Cli.run("train", "--resume", run.toString(), "--preset", "lstm");
    assertEquals(2, mismatch.status());
    assertTrue(mismatch.err().contains("model config differs"), mismatch.err());
    Cli.Run existing = Cli.run("train", "--config", config(dir).toString(), "--data", TINY, "--out", run.toString());
    assertEquals(2, existing.status());
    assertTrue(existing.err().contains("already holds files"), existing.err());
  }

  @Test
  void benchReportsTheSpecFields() {
    Cli.Run r = Cli.run("bench", "--preset", "mean-embedding", "--steps", "3", "--json");
    assertEquals(0, r.status(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    for (String k : new String[] {"preset", "batch", "seq_len", "train_ms_per_step", "predict_reviews_per_s",
        "peak_rss_mb", "gflops_per_s"}) {
      assertTrue(o.has(k), k);
    }
    assertTrue(o.get("train_ms_per_step").getAsDouble() > 0);
    assertEquals(100, o.get("seq_len").getAsInt());
  }

  @Test
  void benchModelTimesAKerasSavedModelOnTheGraphItKeeps() {
    Cli.Run r = Cli.run("bench", "--model", "savedmodels/lstm/export", "--reviews", "64", "--json");
    assertEquals(0, r.status(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals("sentigraph", o.get("graph").getAsString(), "timed after the handover to sentigraph's graph");
    assertEquals(64, o.get("reviews").getAsInt());
    assertTrue(o.get("predict_reviews_per_s").getAsDouble() > 0);
  }
}
