package dev.sentigraph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.cli.Cli;
import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.error.InputException;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.runtime.InferenceSession;
import dev.sentigraph.runtime.NativeMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The library's front door as an outside program uses it: every model source, text, threads, closing. */
class SentimentModelTest {
  private static final List<String> TEXTS = List.of("A moving, beautifully shot film.", "Dull.",
      "the film was great and the plot was bad", "", "bad bad bad movie, not great at all");

  private static JsonObject golden(String family) throws IOException {
    return JsonParser.parseString(Files.readString(Path.of("savedmodels", family, "golden.json"))).getAsJsonObject();
  }

  private static int[][] rows(JsonArray tokens) {
    int[][] out = new int[tokens.size()][];
    for (int i = 0; i < out.length; i++) {
      JsonArray r = tokens.get(i).getAsJsonArray();
      out[i] = new int[r.size()];
      for (int t = 0; t < r.size(); t++) {
        out[i][t] = r.get(t).getAsInt();
      }
    }
    return out;
  }

  /** A word index whose ranks run past the Keras SavedModels' 60-word vocabulary. */
  private static Path wordIndex(Path dir) throws IOException {
    Path file = dir.resolve("words.json");
    Files.writeString(file, "{\"the\": 1, \"film\": 2, \"was\": 3, \"great\": 4, \"and\": 5, \"plot\": 6, \"bad\": 7,"
        + " \"a\": 8, \"movie\": 9, \"not\": 10, \"at\": 11, \"all\": 12, \"dull\": 40, \"moving\": 70,"
        + " \"beautifully\": 200, \"shot\": 9000}");
    return file;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gru/export", "gru/tfsave", "gru/keras2", "gru/model.keras", "lstm/export", "cnn/tfsave",
      "mean/model.keras"})
  void everyModelSourceScoresTokensAsKerasDoes(String model) throws IOException {
    JsonObject golden = golden(model.substring(0, model.indexOf('/')));
    try (SentimentModel m = SentimentModel.load(Path.of("savedmodels", model))) {
      float[] p = m.predictTokens(rows(golden.getAsJsonArray("tokens")));
      JsonArray want = golden.getAsJsonArray("probabilities");
      assertEquals(want.size(), p.length);
      for (int i = 0; i < p.length; i++) {
        assertEquals(want.get(i).getAsDouble(), p[i], 1e-5, model + " row " + i);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"savedmodels/lstm/export", "savedmodels/lstm/model.keras", "savedmodels/mean/keras2"})
  void textScoresEqualTheCommandLines(String model, @TempDir Path dir) throws IOException {
    Path words = wordIndex(dir);
    List<Prediction> library;
    try (SentimentModel m = SentimentModel.load(Path.of(model), LoadOptions.defaults().withWordIndex(words))) {
      library = m.predict(TEXTS);
    }
    List<String> args = new ArrayList<>(List.of("predict", "--model", model, "--word-index", words.toString(), "--json"));
    TEXTS.forEach(t -> args.addAll(List.of("--text", t)));
    Cli.Run r = Cli.run(args.toArray(String[]::new));
    assertEquals(0, r.status(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(TEXTS.size(), lines.size());
    for (int i = 0; i < lines.size(); i++) {
      JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
      assertEquals((float) library.get(i).probability(), o.get("probability").getAsFloat(), 0f, "text " + i);
      assertEquals(library.get(i).label(), o.get("label").getAsInt());
      assertEquals(library.get(i).probability() > 0.5 ? 1 : 0, library.get(i).label());
    }
  }

  @Test
  void kerasSavedModelsTakeTheirVocabularyFromTheEmbedding(@TempDir Path dir) throws IOException {
    Path words = wordIndex(dir);
    try (SentimentModel implicit = SentimentModel.load(Path.of("savedmodels/lstm/export"),
            LoadOptions.defaults().withWordIndex(words));
        SentimentModel explicit = SentimentModel.load(Path.of("savedmodels/lstm/export"),
            LoadOptions.defaults().withWordIndex(words).withNumWords(60))) {
      assertEquals(60, implicit.dataSettings().numWords());
      List<Prediction> a = implicit.predict(TEXTS);
      List<Prediction> b = explicit.predict(TEXTS);
      assertEquals(b, a);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"savedmodels/lstm/export", "savedmodels/lstm/tfsave", "savedmodels/lstm/model.keras"})
  void tokenIdsOutsideTheEmbeddingAreBadInput(String model) {
    try (SentimentModel m = SentimentModel.load(Path.of(model))) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> m.predictTokens(new int[][] {{1, 2, 3}, {1, 60}}));
      assertEquals("row 1 of the token ids for model " + model + ": item 1 is 60, past the model's vocabulary:"
          + " expected token ids in [0, 60)", e.getMessage());
      assertEquals(2, m.predictTokens(new int[][] {{1, 2, 3}, {1, 59}}).length);
    }
  }

  @Test
  void eightThreadsAtOnceGetTheSingleThreadedAnswers() throws Exception {
    JsonObject golden = golden("lstm");
    int[][] rows = rows(golden.getAsJsonArray("tokens"));
    try (SentimentModel m = SentimentModel.load(Path.of("savedmodels/lstm/export"))) {
      float[] single = m.predictTokens(rows);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<float[]>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          calls.add(pool.submit(() -> m.predictTokens(rows)));
        }
        for (Future<float[]> call : calls) {
          assertArrayEquals(single, call.get(), 1e-6f);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aClosedModelRefusesCallsAndABadPathIsInvalidInput() {
    SentimentModel m = SentimentModel.load(Path.of("savedmodels/mean/model.keras"));
    m.close();
    m.close();
    assertThrows(IllegalStateException.class, () -> m.predictTokens(new int[][] {{1, 2, 3}}));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> SentimentModel.load(Path.of("no/such/model")));
    assertTrue(e.getMessage().contains("no/such/model") && !e.getMessage().contains("--"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> SentimentModel.load(Path.of("savedmodels/mean/model.keras"))
        .predict(List.of("no word index")));
    assertEquals("wordIndex", e.setting());
  }

  /** Keras answers NaN for every review of a model whose weights hold one; sentigraph refuses it at load. */
  @Test
  void weightsHoldingNanAreRefusedNamingLayerAndWeight() {
    for (String file : List.of("model.keras", "model.h5")) {
      Path path = Path.of("savedmodels/nan", file);
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> SentimentModel.load(path));
      assertEquals("model " + path + ": layer 'head' weight 'head/kernel' holds NaN at index 2 of 4: expected finite"
          + " numbers", e.getMessage());
    }
    Path export = Path.of("savedmodels/nan/export");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> SentimentModel.load(export));
    assertTrue(e.getMessage().startsWith("model " + export + ": variable '") && e.getMessage().contains("kernel")
        && e.getMessage().endsWith("' holds NaN at index 2 of 4: expected finite numbers"), e.getMessage());
  }

  @Test
  void aFailedWeightWriteFailsInsteadOfHanging() {
    TrainedModel model = SentimentModel.readTrained(Path.of("savedmodels/mean/model.keras"), null);
    NamedWeight first = model.weights().get(0);
    List<NamedWeight> wrong = new ArrayList<>(model.weights());
    wrong.set(0, new NamedWeight(first.path(), new long[] {1, first.values().length}, first.values()));
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(InputException.class,
        () -> new InferenceSession(model.config(), wrong, ExecutionOptions.DEFAULT)));
  }

  @Test
  void loadingAndClosingAHundredTimesKeepsResidentMemoryFlat() throws IOException {
    Path model = Path.of("savedmodels/lstm/export");
    int[][] rows = rows(golden("lstm").getAsJsonArray("tokens"));
    // one reading moves by up to ~100 MB with glibc's arenas (seen at the end of 80 cycles, gone 20 later, over
    // 260 cycles with no trend): the least of four readings at each end is what a leak would still raise
    long warm = Long.MAX_VALUE;
    long end = Long.MAX_VALUE;
    for (int i = 0; i < 100; i++) {
      try (SentimentModel m = SentimentModel.load(model)) {
        m.predictTokens(rows);
      }
      if (i >= 16 && i <= 19) {
        warm = Math.min(warm, residentAfterCollecting());
      } else if (i >= 96) {
        end = Math.min(end, residentAfterCollecting());
      }
    }
    long growthMb = (end - warm) / 1024;
    assertTrue(growthMb < 64, "resident memory grew by " + growthMb + " MB over 80 load/close cycles");
  }

  /** Resident memory once garbage is collected and freed native memory given back: what is still held. */
  private static long residentAfterCollecting() throws IOException {
    System.gc();
    NativeMemory.releaseFreed();
    return residentKb();
  }

  private static long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
