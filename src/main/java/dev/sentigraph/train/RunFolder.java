package dev.sentigraph.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.data.WordIndex;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.AtomicFile;
import dev.sentigraph.io.FileTrees;
import dev.sentigraph.io.JsonInput;
import dev.sentigraph.io.TextInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A training run on disk: {@code model.json} (Keras Sequential config), {@code data.json}, {@code train.json},
 * {@code word_index.json} (or, for a model that reads text, its TextVectorization's {@code vocabulary.txt}, one word a
 * line as Keras writes it), {@code checkpoints/<name>/} (TF checkpoint of weights, optimizer slots and step,
 * plus {@code state.json} to resume from), {@code checkpoints/latest} naming the newest, {@code history.json},
 * {@code history.csv}, {@code curves.png} and {@code metrics.json}. Every file is written under a temporary
 * name and renamed; a checkpoint folder is complete before it gets its name.
 */
public final class RunFolder {
  /** How a checkpoint folder's TF files are written (a seam for tests that simulate a full disk). */
  public interface Saver {
    void saveTo(Path prefix) throws IOException;
  }

  /** A checkpoint: its TF prefix and the loop state to resume from. */
  public record Checkpoint(Path dir, FitState state) {
    public Path prefix() {
      return dir.resolve("ckpt");
    }
  }

  private static final String VOCABULARY = "vocabulary.txt";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
  private final Path dir;

  private RunFolder(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** Starts a new run folder; an existing non-empty folder is refused so no run is overwritten. */
  public static RunFolder create(Path dir, ModelConfig model, DataSettings data, TrainSettings train, WordIndex words)
      throws IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new InputException("run folder " + dir + " already holds files: expected a new or empty folder"
              + " (resume the run in it to continue it)", "out");
        }
      }
    }
    Files.createDirectories(dir.resolve("checkpoints"));
    RunFolder run = new RunFolder(dir);
    AtomicFile.writeString(dir.resolve("model.json"), model.toJsonString());
    AtomicFile.writeString(dir.resolve("data.json"), GSON.toJson(data.toJson()));
    AtomicFile.writeString(dir.resolve("train.json"), GSON.toJson(train));
    if (words != null) {
      words.write(dir.resolve("word_index.json"));
    }
    return run;
  }

  public static RunFolder open(Path dir) {
    if (!Files.isRegularFile(dir.resolve("model.json")) || !Files.isRegularFile(dir.resolve("train.json"))) {
      throw new InputException(dir + " is not a sentigraph run folder: expected model.json and train.json"
          + " written by a training run");
    }
    return new RunFolder(dir);
  }

  public ModelConfig config() {
    return ModelConfig.read(dir.resolve("model.json"));
  }

  public TrainSettings trainSettings() {
    return GSON.fromJson(readJson("train.json"), TrainSettings.class);
  }

  public DataSettings dataSettings() {
    return DataSettings.fromJson(readJson("data.json"), dir.resolve("data.json").toString());
  }

  /** Keeps the vocabulary adapted for the model's TextVectorization, one word a line (Keras' asset form). */
  public void writeVocabulary(List<String> vocabulary) throws IOException {
    AtomicFile.writeString(dir.resolve(VOCABULARY), String.join("\n", vocabulary));
  }

  /**
   * The TextVectorization of a model that reads text, with the vocabulary the run adapted; null for a token model.
   */
  public KerasTextVectorization textVectorization(ModelConfig config) {
    if (config.graph() == null || config.graph().textVectorization() == null) {
      return null;
    }
    Path file = dir.resolve(VOCABULARY);
    if (!Files.isRegularFile(file)) {
      throw new InputException("run " + dir + " has no " + VOCABULARY + ": its model reads text and needs"
          + " the vocabulary adapted when the run started");
    }
    List<String> words = List.of(TextInput.read(file).split("\n", -1));
    return KerasTextVectorization.fromConfig(config.graph().textVectorization(), words, config.seqLen(),
        file.toString());
  }

  /** The word index the run was trained with, or null. */
  public Path wordIndexFile() {
    Path p = dir.resolve("word_index.json");
    return Files.isRegularFile(p) ? p : null;
  }

  private JsonObject readJson(String name) {
    try {
      return JsonInput.parse(Files.readString(dir.resolve(name))).getAsJsonObject();
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw new InputException(dir.resolve(name) + " is unreadable: expected the JSON sentigraph wrote");
    }
  }

  /**
   * Writes checkpoint {@code name} completely under a temporary name, then swaps it in; a failure (a full
   * disk) leaves the previous checkpoint of that name, and {@code latest}, as they were. Every checkpoint but
   * {@code best} becomes {@code latest}.
   */
  public void writeCheckpoint(String name, Saver saver, FitState state) throws IOException {
    Path checkpoints = dir.resolve("checkpoints");
    Files.createDirectories(checkpoints);
    Path tmp = Files.createTempDirectory(checkpoints, "." + name + ".tmp");
    try {
      saver.saveTo(tmp.resolve("ckpt"));
      AtomicFile.writeString(tmp.resolve("state.json"), GSON.toJson(state));
      Path target = checkpoints.resolve(name);
      Path old = null;
      if (Files.exists(target)) {
        old = setAside(checkpoints, name);
        FileTrees.delete(old);
        Files.move(target, old);
      }
      Files.move(tmp, target);
      if (old != null) {
        FileTrees.delete(old);
      }
      if (!name.equals("best")) { // best is a copy of an epoch's state, not a newer one
        AtomicFile.writeString(checkpoints.resolve("latest"), name + "\n");
      }
    } finally {
      FileTrees.delete(tmp);
    }
  }

  /** The newest checkpoint, or null when the run has none yet. */
  public Checkpoint latest() {
    Path pointer = dir.resolve("checkpoints").resolve("latest");
    if (!Files.isRegularFile(pointer)) {
      return null;
    }
    try {
      return checkpoint(Files.readString(pointer).strip());
    } catch (IOException e) {
      throw new InputException("cannot read " + pointer + ": " + e.getMessage());
    }
  }

  public Checkpoint checkpoint(String name) {
    Path c = checkpointDir(name);
    if (!Files.isRegularFile(c.resolve("state.json"))) {
      throw new InputException("run " + dir + " has no checkpoint '" + name + "'");
    }
    try {
      return new Checkpoint(c, GSON.fromJson(Files.readString(c.resolve("state.json")), FitState.class));
    } catch (IOException | JsonParseException e) {
      throw new InputException(c.resolve("state.json") + " is unreadable: " + e.getMessage());
    }
  }

  /** Checkpoint {@code which}, or with null the preferred one: {@code best} when there is one, else the latest. */
  public Checkpoint checkpointOrPreferred(String which) {
    return which == null ? preferred() : checkpoint(which);
  }

  /** The test metrics written after training, or null before. */
  public JsonObject metrics() {
    return Files.isRegularFile(dir.resolve("metrics.json")) ? readJson("metrics.json") : null;
  }

  /**
   * Where checkpoint {@code name} is: its folder, or, when a process died between the two renames of
   * {@link #writeCheckpoint} that replace it, the previous one it had set aside (still complete, and still the
   * one {@code latest} means).
   */
  private Path checkpointDir(String name) {
    Path checkpoints = dir.resolve("checkpoints");
    Path c = checkpoints.resolve(name);
    Path old = setAside(checkpoints, name);
    return !Files.isRegularFile(c.resolve("state.json")) && Files.isRegularFile(old.resolve("state.json")) ? old : c;
  }

  /** Where {@link #writeCheckpoint} moves the checkpoint it replaces until the new one is in place. */
  private static Path setAside(Path checkpoints, String name) {
    return checkpoints.resolve("." + name + ".old");
  }

  private Checkpoint preferred() {
    if (Files.isRegularFile(checkpointDir("best").resolve("state.json"))) {
      return checkpoint("best");
    }
    Checkpoint latest = latest();
    if (latest == null) {
      throw new InputException("run " + dir + " has no checkpoint yet: train at least one epoch");
    }
    return latest;
  }

  public void writeHistory(List<EpochLogs> history) throws IOException {
    AtomicFile.writeString(dir.resolve("history.json"), GSON.toJson(history));
    StringBuilder csv = new StringBuilder("epoch,loss,accuracy,val_loss,val_accuracy,seconds\n");
    for (EpochLogs e : history) {
      csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%s,%s,%.3f%n", e.epoch(), e.loss(), e.accuracy(),
          e.valLoss() == null ? "" : String.format(Locale.ROOT, "%.6f", e.valLoss()),
          e.valAccuracy() == null ? "" : String.format(Locale.ROOT, "%.6f", e.valAccuracy()), e.seconds()));
    }
    AtomicFile.writeString(dir.resolve("history.csv"), csv.toString());
  }

  public void writeMetrics(Object metrics) throws IOException {
    AtomicFile.writeString(dir.resolve("metrics.json"), GSON.toJson(metrics));
  }

}
