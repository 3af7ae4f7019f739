package dev.sentigraph.cli;

import dev.sentigraph.data.DataSettings.Padding;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.ReviewLabels;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The data options of the CLI spec, shared by every command that reads a dataset. Unset options keep the
 * defaults they are applied to (a preset's, or Keras' own).
 */
public final class DataOptions {
  @Option(names = "--data", paramLabel = "PATH",
      description = "imdb.npz, a folder with imdb.npz + imdb_word_index.json, an aclImdb folder, or a"
          + " .csv/.jsonl file with text and label. Default: $SENTIGRAPH_DATA, then ~/.keras/datasets/.")
  Path data;

  @Option(names = "--num-words", paramLabel = "N", description = "Keep the N most frequent words (ids >= N become OOV).")
  Integer numWords;

  @Option(names = "--skip-top", paramLabel = "N", description = "Turn the N most frequent words into OOV.")
  Integer skipTop;

  @Option(names = "--index-from", paramLabel = "N", description = "Offset added to word ranks (default 3).")
  Integer indexFrom;

  @Option(names = "--seq-len", paramLabel = "L", description = "Pad/truncate every review to L tokens.")
  Integer seqLen;

  @Option(names = "--padding", paramLabel = "pre|post", description = "Where padding goes (default pre).")
  String padding;

  @Option(names = "--truncating", paramLabel = "pre|post", description = "Which end is cut (default pre).")
  String truncating;

  @Option(names = "--drop-longer-than", paramLabel = "L",
      description = "Drop reviews of L tokens or more, start token included (load_data's maxlen).")
  Integer dropLongerThan;

  @Option(names = "--review-labels", paramLabel = "polarity|rating-bands",
      description = "An aclImdb source's labels: polarity (pos 1, neg 0; default) or rating-bands, the star rating"
          + " in each file name as 4 classes (1-2, 3-4, 7-8, 9-10 -> 0-3) for a Dense(4, softmax) model.")
  String labels;

  /** The --data path, or null. */
  public Path data() {
    return data;
  }

  /** These options laid over {@code defaults}. */
  public DataSettings applyTo(DataSettings defaults) {
    return new DataSettings(
        data != null ? data : defaults.source(),
        numWords != null ? numWords : defaults.numWords(),
        skipTop != null ? skipTop : defaults.skipTop(),
        indexFrom != null ? indexFrom : defaults.indexFrom(),
        defaults.startChar(),
        defaults.oovChar(),
        dropLongerThan != null ? dropLongerThan : defaults.dropLongerThan(),
        seqLen != null ? seqLen : defaults.seqLen(),
        padding != null ? parsePadding("--padding", padding) : defaults.padding(),
        truncating != null ? parsePadding("--truncating", truncating) : defaults.truncating(),
        defaults.seed(),
        labels != null ? ReviewLabels.of(labels) : defaults.labels());
  }

  private static Padding parsePadding(String option, String value) {
    return switch (value) {
      case "pre" -> Padding.PRE;
      case "post" -> Padding.POST;
      default -> throw new dev.sentigraph.error.InputException(
          option + " '" + value + "' is not valid: expected pre or post");
    };
  }
}
