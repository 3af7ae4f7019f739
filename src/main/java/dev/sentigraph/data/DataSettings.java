package dev.sentigraph.data;

import dev.sentigraph.InvalidInputException;
import java.nio.file.Path;

/**
 * How a dataset is read and shaped, with {@code keras.datasets.imdb.load_data} and {@code pad_sequences}
 * semantics. Saved with a training run so evaluation and prediction shape data the same way.
 *
 * @param source file or folder given with {@code --data}, or null for the default lookup
 * @param numWords keep ids below this (null: Keras' {@code num_words=None})
 * @param dropLongerThan {@code load_data(maxlen=...)}'s filter (null: keep all)
 * @param seqLen pad/truncate every review to this length
 */
public record DataSettings(
    Path source,
    Integer numWords,
    int skipTop,
    int indexFrom,
    int startChar,
    int oovChar,
    Integer dropLongerThan,
    int seqLen,
    Padding padding,
    Padding truncating,
    long seed) {

  /** Which end {@code pad_sequences} pads or truncates. */
  public enum Padding {
    PRE,
    POST
  }

  /** Keras' {@code load_data} defaults with the given vocabulary size and padded length. */
  public static DataSettings keras(Integer numWords, int seqLen) {
    return new DataSettings(null, numWords, 0, 3, 1, 2, null, seqLen, Padding.PRE, Padding.PRE, 113);
  }

  public DataSettings {
    if (numWords != null && numWords < 4) {
      throw new InvalidInputException(
          "--num-words " + numWords + " is too small: expected at least 4 (ids 0-2 are padding, start, OOV)");
    }
    if (seqLen <= 0) {
      throw new InvalidInputException("--seq-len " + seqLen + " must be a positive number of tokens");
    }
    if (skipTop < 0) {
      throw new InvalidInputException("--skip-top " + skipTop + " must be >= 0");
    }
    if (indexFrom < 0) {
      throw new InvalidInputException("--index-from " + indexFrom + " must be >= 0");
    }
    if (dropLongerThan != null && dropLongerThan <= 0) {
      throw new InvalidInputException("--drop-longer-than " + dropLongerThan + " must be positive");
    }
  }

  public DataSettings withSource(Path newSource) {
    return new DataSettings(newSource, numWords, skipTop, indexFrom, startChar, oovChar, dropLongerThan,
        seqLen, padding, truncating, seed);
  }
}
