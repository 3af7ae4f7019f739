package dev.sentigraph.data;

import dev.sentigraph.error.InputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a text becomes, as Keras' {@code TextVectorization(output_mode=...)} names it: token ids ({@code int}), or
 * one value per vocabulary word ({@code multi_hot}: 1 if the word occurs, as "Deep Learning with Python"'s
 * {@code vectorize_sequences} marks it; {@code count}: how often; {@code tf_idf}: count times the word's idf
 * weight).
 */
public enum OutputMode {
  INT, MULTI_HOT, COUNT, TF_IDF;

  /** Keras' name: {@code int}, {@code multi_hot}, {@code count}, {@code tf_idf}. */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether sentigraph makes this vector from token ids alone, for a model whose file says nothing of it
   * ({@code tf_idf} needs the idf weights only a TextVectorization carries).
   */
  public boolean madeFromIds() {
    return this == MULTI_HOT || this == COUNT;
  }

  /** {@link #of(String, String)} where only the modes {@link #madeFromIds} may be named. */
  public static OutputMode featuresOf(String name, String what) {
    return of(name, what, Arrays.stream(values()).filter(OutputMode::madeFromIds).toArray(OutputMode[]::new));
  }

  /** Whether texts become one value per word (a vector as wide as the vocabulary) rather than ids. */
  public boolean perWord() {
    return this != INT;
  }

  /** The mode Keras calls {@code name} ({@code tf-idf} too, as Keras accepts it); {@code what} names it in errors. */
  public static OutputMode of(String name, String what) {
    return of(name, what, values());
  }

  /** {@link #of(String, String)} where only {@code allowed} may be named. */
  public static OutputMode of(String name, String what, OutputMode... allowed) {
    for (OutputMode m : allowed) {
      if (m.kerasName().equals(name) || m == TF_IDF && "tf-idf".equals(name)) {
        return m;
      }
    }
    throw new InputException(what + " '" + name + "' is not supported: expected one of "
        + Arrays.stream(allowed).map(OutputMode::kerasName).collect(Collectors.joining(", ")));
  }
}
