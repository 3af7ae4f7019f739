package dev.sentigraph.data;

import com.google.gson.JsonObject;
import dev.sentigraph.error.InputException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How a dataset is read and shaped, with {@code keras.datasets.imdb.load_data} and {@code pad_sequences}
 * semantics. Saved with a training run so evaluation and prediction shape data the same way.
 *
 * @param source file or folder given with {@code --data}, or null for the default lookup
 * @param numWords keep ids below this (null: Keras' {@code num_words=None})
 * @param dropLongerThan {@code load_data(maxlen=...)}'s filter (null: keep all)
 * @param seqLen pad/truncate every review to this length
 * @param labels an aclImdb source's labels: polarity (binary, the default) or star-rating bands (4 classes)
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
    long seed,
    ReviewLabels labels) {

  /** Which end {@code pad_sequences} pads or truncates. */
  public enum Padding {
    PRE,
    POST
  }

  /** Keras' {@code load_data} defaults with the given vocabulary size and padded length. */
  public static DataSettings keras(Integer numWords, int seqLen) {
    return new DataSettings(null, numWords, 0, 3, 1, 2, null, seqLen, Padding.PRE, Padding.PRE, 113);
  }

  /**
   * A model that reads raw text through Keras' TextVectorization: ids are vocabulary positions ({@code numWords}
   * of them, 0 padding and 1 [UNK]), cut and zero-padded at the end to {@code seqLen}.
   */
  public static DataSettings vectorized(int numWords, int seqLen) {
    return new DataSettings(null, Math.max(4, numWords), 0, 0, 1, 1, null, seqLen, Padding.POST, Padding.POST, 113);
  }

  /** Settings with polarity labels, Keras' IMDB dataset's. */
  public DataSettings(Path source, Integer numWords, int skipTop, int indexFrom, int startChar, int oovChar,
      Integer dropLongerThan, int seqLen, Padding padding, Padding truncating, long seed) {
    this(source, numWords, skipTop, indexFrom, startChar, oovChar, dropLongerThan, seqLen, padding, truncating, seed,
        ReviewLabels.POLARITY);
  }

  public DataSettings {
    if (labels == null) {
      throw new IllegalArgumentException("labels must not be null");
    }
    if (numWords != null && numWords < 4) {
      throw new InputException(
          "num_words " + numWords + " is too small: expected at least 4 (ids 0-2 are padding, start, OOV)", "numWords");
    }
    if (seqLen <= 0) {
      throw new InputException("sequence length " + seqLen + " must be a positive number of tokens", "seqLen");
    }
    if (skipTop < 0) {
      throw new InputException("skip_top " + skipTop + " must be >= 0", "skipTop");
    }
    if (indexFrom < 0) {
      throw new InputException("index_from " + indexFrom + " must be >= 0", "indexFrom");
    }
    if (dropLongerThan != null && dropLongerThan <= 0) {
      throw new InputException("maxlen filter " + dropLongerThan + " must be positive", "dropLongerThan");
    }
  }

  public DataSettings withSeqLen(int newSeqLen) {
    return new DataSettings(source, numWords, skipTop, indexFrom, startChar, oovChar, dropLongerThan, newSeqLen,
        padding, truncating, seed, labels);
  }

  public DataSettings withSource(Path newSource) {
    return new DataSettings(newSource, numWords, skipTop, indexFrom, startChar, oovChar, dropLongerThan,
        seqLen, padding, truncating, seed, labels);
  }

  public DataSettings withLabels(ReviewLabels newLabels) {
    return new DataSettings(source, numWords, skipTop, indexFrom, startChar, oovChar, dropLongerThan, seqLen,
        padding, truncating, seed, newLabels);
  }

  /** The JSON form kept in run folders and exports (Keras' argument names). */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    if (source != null) {
      o.addProperty("source", source.toAbsolutePath().normalize().toString());
    }
    o.addProperty("num_words", numWords);
    o.addProperty("skip_top", skipTop);
    o.addProperty("index_from", indexFrom);
    o.addProperty("start_char", startChar);
    o.addProperty("oov_char", oovChar);
    o.addProperty("drop_longer_than", dropLongerThan);
    o.addProperty("seq_len", seqLen);
    o.addProperty("padding", padding.name().toLowerCase(Locale.ROOT));
    o.addProperty("truncating", truncating.name().toLowerCase(Locale.ROOT));
    o.addProperty("seed", seed);
    o.addProperty("labels", labels.id());
    return o;
  }

  /** Reads {@link #toJson()}'s form; {@code origin} names the file in errors. */
  public static DataSettings fromJson(JsonObject o, String origin) {
    try {
      return new DataSettings(present(o, "source") ? Path.of(o.get("source").getAsString()) : null,
          present(o, "num_words") ? o.get("num_words").getAsInt() : null, o.get("skip_top").getAsInt(),
          o.get("index_from").getAsInt(), o.get("start_char").getAsInt(), o.get("oov_char").getAsInt(),
          present(o, "drop_longer_than") ? o.get("drop_longer_than").getAsInt() : null, o.get("seq_len").getAsInt(),
          Padding.valueOf(o.get("padding").getAsString().toUpperCase(Locale.ROOT)),
          Padding.valueOf(o.get("truncating").getAsString().toUpperCase(Locale.ROOT)), o.get("seed").getAsLong(),
          // run folders from before K-class training have polarity labels
          present(o, "labels") ? ReviewLabels.of(o.get("labels").getAsString()) : ReviewLabels.POLARITY);
    } catch (RuntimeException e) {
      if (e instanceof InputException) {
        throw e;
      }
      throw new InputException(origin + ": data settings are incomplete or malformed (" + e + "): expected"
          + " num_words, skip_top, index_from, start_char, oov_char, seq_len, padding, truncating, seed");
    }
  }

  private static boolean present(JsonObject o, String key) {
    return o.has(key) && !o.get(key).isJsonNull();
  }
}
