package dev.sentigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandsTest {
  @Test
  void summaryOfPresetAndConfig(@TempDir Path dir) throws Exception {
    Cli.Run r = Cli.run("summary", "--preset", "lstm");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("Total params: 1,080,501"), r.out());
    Path config = dir.resolve("m.json");
    Files.writeString(config, """
        {"class_name": "Sequential", "config": {"name": "mine", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 20], "dtype": "int32"}},
          {"class_name": "Embedding", "config": {"input_dim": 100, "output_dim": 4}},
          {"class_name": "GRU", "config": {"units": 2}},
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}""");
    r = Cli.run("summary", "--config", config.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("│ gru (GRU)                       │ (None, 2)              │            48 │"), r.out());
  }

  @Test
  void libraryErrorsNameTheFlagThatSetsTheSetting(@TempDir Path dir) throws Exception {
    Cli.Run r = Cli.run("summary", "--preset", "nope");
    assertEquals(2, r.status());
    assertEquals("error: preset 'nope' is unknown: expected one of " + String.join(", ",
        dev.sentigraph.train.Presets.all().stream().map(dev.sentigraph.train.Preset::name).toList())
        + " (option --preset)", r.err().strip());
    Path existing = dir.resolve("m.keras");
    Files.writeString(existing, "mine");
    r = Cli.run("export", "--model", "savedmodels/mean/model.keras", "--format", "keras", "--out", existing.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().strip().endsWith("already exists: expected a new path (or replace it on purpose) (option --force)"),
        r.err());
  }

  @Test
  void presetsListsEveryNotebookModel() {
    Cli.Run r = Cli.run("presets", "--json");
    assertEquals(0, r.status(), r.err());
    assertEquals(15, com.google.gson.JsonParser.parseString(r.out()).getAsJsonArray().size(),
        "13 notebook models, bilstm and text-cnn");
  }

  @Test
  void badConfigsNameLayerClassAndArgument(@TempDir Path dir) throws Exception {
    String[][] cases = {
        {"{\"class_name\": \"Conv1D\", \"config\": {\"filters\": 2, \"kernel_size\": 3}}", "layer 2 (Conv1D)"},
        {"{\"class_name\": \"Dense\", \"config\": {\"units\": \"many\"}}", "layer 2 (Dense) argument 'units'"},
        {"{\"class_name\": \"Dense\", \"config\": {\"units\": 0}}", "layer 2 (Dense) argument 'units'"},
        {"{\"class_name\": \"Bidirectional\", \"config\": {}}", "layer 2 (Bidirectional)"},
    };
    for (String[] c : cases) {
      Path config = dir.resolve("bad.json");
      Files.writeString(config, """
          {"class_name": "Sequential", "config": {"name": "bad", "layers": [
            {"class_name": "InputLayer", "config": {"batch_shape": [null, 20]}},
            {"class_name": "Embedding", "config": {"input_dim": 100, "output_dim": 4}},
            {"class_name": "Flatten", "config": {}},
            %s,
            {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}""".formatted(c[0]));
      Cli.Run r = Cli.run("summary", "--config", config.toString());
      assertEquals(2, r.status(), r.err());
      assertTrue(r.err().contains(c[1]), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
    Cli.Run r = Cli.run("summary", "--preset", "nope");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("expected one of irnn"), r.err());
  }
}
