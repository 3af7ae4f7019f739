package dev.sentigraph.data;

import dev.sentigraph.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keras' {@code TextVectorization} layer (output_mode "int") as it turns a text into ids: standardise
 * ({@code lower_and_strip_punctuation}: lower-case, then delete each of {@code !"#$%&()*+,-./:;<=>?@[\]^_`{|}~'}),
 * split on whitespace, look each word up in the vocabulary ({@code ""} is 0, {@code [UNK]} and every unknown word
 * 1), then cut or zero-pad at the end to {@code output_sequence_length} when one is set.
 *
 */
public final class KerasTextVectorization {
  /** Keras' {@code standardize} options. */
  public enum Standardize { LOWER_AND_STRIP_PUNCTUATION, LOWER, STRIP_PUNCTUATION, NONE }

  /** Keras' PUNCTUATION_REGEX (keras/src/layers/preprocessing/text_vectorization.py). */
  private static final Pattern PUNCTUATION = Pattern.compile("[!\"#$%&()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~']");
  /** TF's whitespace split (StringSplitV2 with no separator): ASCII whitespace runs. */
  private static final Pattern WHITESPACE = Pattern.compile("[ \\t\\n\\r\\x0B\\f]+");

  private final Standardize standardize;
  private final List<String> vocabulary;
  private final Integer sequenceLength;
  private final Map<String, Integer> index = new HashMap<>();

  /**
   * @param vocabulary the layer's vocabulary, index = id, starting {@code "", "[UNK]"}
   * @param sequenceLength {@code output_sequence_length}, or null for no fixed length
   */
  public KerasTextVectorization(Standardize standardize, List<String> vocabulary, Integer sequenceLength) {
    this.standardize = standardize;
    this.vocabulary = List.copyOf(vocabulary);
    this.sequenceLength = sequenceLength;
    if (vocabulary.size() < 2 || !vocabulary.get(0).isEmpty() || !vocabulary.get(1).equals("[UNK]")) {
      throw new InvalidInputException("a TextVectorization vocabulary must start with \"\" (0) and \"[UNK]\" (1),"
          + " got " + vocabulary.subList(0, Math.min(2, vocabulary.size())));
    }
    for (int i = vocabulary.size() - 1; i >= 2; i--) {
      index.put(vocabulary.get(i), i); // the first occurrence wins, as in Keras' lookup table
    }
  }

  public Standardize standardize() {
    return standardize;
  }

  public List<String> vocabulary() {
    return vocabulary;
  }

  /** {@code output_sequence_length}, or null. */
  public Integer sequenceLength() {
    return sequenceLength;
  }

  /** The vocabulary as Keras writes it to {@code vocabulary.txt} (one word a line), or as its config lists it. */
  public static List<String> withReservedTokens(List<String> words) {
    List<String> out = new ArrayList<>();
    int from = 0;
    if (!words.isEmpty() && words.get(0).isEmpty()) {
      from = 1;
    }
    out.add("");
    if (words.size() > from && words.get(from).equals("[UNK]")) {
      from++;
    }
    out.add("[UNK]");
    out.addAll(words.subList(from, words.size()));
    return out;
  }

  /** Parses Keras' {@code standardize} argument. */
  public static Standardize standardize(String name) {
    if (name == null) {
      return Standardize.NONE;
    }
    return switch (name) {
      case "lower_and_strip_punctuation" -> Standardize.LOWER_AND_STRIP_PUNCTUATION;
      case "lower" -> Standardize.LOWER;
      case "strip_punctuation" -> Standardize.STRIP_PUNCTUATION;
      default -> throw new InvalidInputException("TextVectorization standardize '" + name + "' is not supported:"
          + " expected lower_and_strip_punctuation, lower, strip_punctuation or null");
    };
  }

  /** The text's ids, unpadded (cut to the sequence length when one is set). */
  public int[] ids(String text) {
    String s = text;
    if (standardize == Standardize.LOWER || standardize == Standardize.LOWER_AND_STRIP_PUNCTUATION) {
      s = s.toLowerCase(Locale.ROOT);
    }
    if (standardize == Standardize.STRIP_PUNCTUATION || standardize == Standardize.LOWER_AND_STRIP_PUNCTUATION) {
      s = PUNCTUATION.matcher(s).replaceAll("");
    }
    List<Integer> ids = new ArrayList<>();
    for (String word : WHITESPACE.split(s)) {
      if (!word.isEmpty()) {
        ids.add(index.getOrDefault(word, 1));
      }
    }
    int n = sequenceLength == null ? ids.size() : Math.min(ids.size(), sequenceLength);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = ids.get(i);
    }
    return out;
  }
}
