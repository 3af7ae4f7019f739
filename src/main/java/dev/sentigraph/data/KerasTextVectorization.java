package dev.sentigraph.data;

import com.google.gson.JsonObject;
import dev.sentigraph.error.InputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keras' {@code TextVectorization} layer as it turns a text into ids: standardise
 * ({@code lower_and_strip_punctuation}: lower-case ASCII letters, as {@code tf.strings.lower} does, then delete
 * each of {@code !"#$%&()*+,-./:;<=>?@[\]^_`{|}~'}), split on whitespace, look each word up in the vocabulary
 * ({@code ""} is 0, {@code [UNK]} and every unknown word 1), then cut or zero-pad at the end to
 * {@code output_sequence_length} when one is set. {@link #adapt} builds the vocabulary as Keras' {@code adapt()}.
 *
 * <p>In the per-word output modes ({@link OutputMode#perWord}) Keras' vocabulary has no {@code ""}: its column 0 is
 * {@code [UNK]}, column k the word this class numbers k + 1. The ids here stay the int mode's (0 padding, so a
 * padded row marks nothing extra), and the model's graph turns them into the layer's vector
 * ({@code dev.sentigraph.model.WordFeatures}); nothing is cut, as Keras counts every word.
 */
public final class KerasTextVectorization {
  /** Keras' {@code standardize} options. */
  public enum Standardize { LOWER_AND_STRIP_PUNCTUATION, LOWER, STRIP_PUNCTUATION, NONE }

  /** Keras' PUNCTUATION_REGEX (keras/src/layers/preprocessing/text_vectorization.py), as RE2 reads it in TF. */
  public static final String PUNCTUATION_REGEX = "[!\"#$%&()\\*\\+,-\\./:;<=>?@\\[\\\\\\]^_`{|}~\\']";
  private static final Pattern PUNCTUATION = Pattern.compile("[!\"#$%&()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~']");
  /** TF's whitespace split (StringSplitV2 with no separator): ASCII whitespace runs. */
  private static final Pattern WHITESPACE = Pattern.compile("[ \\t\\n\\r\\x0B\\f]+");

  private final Standardize standardize;
  private final List<String> vocabulary;
  private final Integer sequenceLength;
  private final OutputMode outputMode;
  private final int width;
  private final float[] idfWeights;
  private final Map<String, Integer> index = new HashMap<>();

  /**
   * @param vocabulary the layer's vocabulary, index = id, starting {@code "", "[UNK]"}
   * @param sequenceLength {@code output_sequence_length}, or null for no fixed length
   */
  public KerasTextVectorization(Standardize standardize, List<String> vocabulary, Integer sequenceLength) {
    this(standardize, vocabulary, sequenceLength, OutputMode.INT, 0, null);
  }

  /**
   * A layer in any output mode.
   *
   * @param width the per-word vector's length (Keras' vocabulary without {@code ""}, or {@code max_tokens} with
   *     {@code pad_to_max_tokens}); ignored for {@link OutputMode#INT}
   * @param idfWeights {@code tf_idf}'s weight per column, null until read from the model's variables
   */
  public KerasTextVectorization(Standardize standardize, List<String> vocabulary, Integer sequenceLength,
      OutputMode outputMode, int width, float[] idfWeights) {
    this.standardize = standardize;
    this.vocabulary = List.copyOf(vocabulary);
    this.sequenceLength = outputMode.perWord() ? null : sequenceLength;
    this.outputMode = outputMode;
    this.width = width;
    this.idfWeights = idfWeights == null ? null : idfWeights.clone();
    if (outputMode.perWord() && width < vocabulary.size() - 1) {
      throw new InputException("a TextVectorization " + outputMode.kerasName() + " vector of " + width
          + " values cannot hold its " + (vocabulary.size() - 1) + " vocabulary entries");
    }
    if (idfWeights != null && idfWeights.length != width) {
      throw new InputException("TextVectorization idf_weights has " + idfWeights.length + " values: expected "
          + width + ", one per column of its tf_idf vector");
    }
    if (vocabulary.size() < 2 || !vocabulary.get(0).isEmpty() || !vocabulary.get(1).equals("[UNK]")) {
      throw new InputException("a TextVectorization vocabulary must start with \"\" (0) and \"[UNK]\" (1),"
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

  /** {@code output_sequence_length}, or null (always null in the per-word modes). */
  public Integer sequenceLength() {
    return sequenceLength;
  }

  public OutputMode outputMode() {
    return outputMode;
  }

  /** The per-word vector's length; 0 for {@link OutputMode#INT}. */
  public int width() {
    return width;
  }

  /** {@code tf_idf}'s weight per column, or null. */
  public float[] idfWeights() {
    return idfWeights == null ? null : idfWeights.clone();
  }

  /** This layer with {@code tf_idf}'s weights, which Keras keeps among the layer's variables, not in its config. */
  public KerasTextVectorization withIdfWeights(float[] weights) {
    return new KerasTextVectorization(standardize, vocabulary, sequenceLength, outputMode, width, weights);
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

  /**
   * The layer a Keras config ({@code get_config()}) describes, with its vocabulary (reserved tokens added when
   * missing); {@code origin} names the model in errors.
   */
  public static KerasTextVectorization fromConfig(JsonObject layer, List<String> words, Integer sequenceLength,
      String origin) {
    String split = layer.has("split") && !layer.get("split").isJsonNull() ? layer.get("split").getAsString() : null;
    if (!"whitespace".equals(split)) {
      throw new InputException(origin + ": TextVectorization split '" + split + "' is not supported: expected"
          + " whitespace (a SavedModel export of the model runs it)");
    }
    if (layer.has("ngrams") && !layer.get("ngrams").isJsonNull()) {
      throw new InputException(origin + ": TextVectorization ngrams " + layer.get("ngrams") + " are not"
          + " supported (a SavedModel export of the model runs them)");
    }
    String standardize = layer.has("standardize") && !layer.get("standardize").isJsonNull()
        ? layer.get("standardize").getAsString() : null;
    OutputMode mode = outputMode(layer, origin);
    List<String> vocabulary = withReservedTokens(words);
    return new KerasTextVectorization(standardize(standardize), vocabulary, sequenceLength, mode,
        mode.perWord() ? width(layer, vocabulary.size() - 1) : 0, null);
  }

  /** The config's {@code output_mode} ({@code int} when absent); {@code one_hot} and others are refused. */
  public static OutputMode outputMode(JsonObject layer, String origin) {
    return layer.has("output_mode") && !layer.get("output_mode").isJsonNull()
        ? OutputMode.of(layer.get("output_mode").getAsString(), origin + ": TextVectorization output_mode")
        : OutputMode.INT;
  }

  /**
   * The per-word vector's length as Keras gives it: {@code max_tokens} with {@code pad_to_max_tokens}, else the
   * vocabulary's size without {@code ""} ({@code words}, or the config's {@code vocabulary_size} when negative).
   */
  public static int width(JsonObject layer, int words) {
    boolean pad = layer.has("pad_to_max_tokens") && !layer.get("pad_to_max_tokens").isJsonNull()
        && layer.get("pad_to_max_tokens").getAsBoolean();
    if (pad && layer.has("max_tokens") && !layer.get("max_tokens").isJsonNull()) {
      return layer.get("max_tokens").getAsInt();
    }
    if (words < 0 && layer.has("vocabulary_size") && !layer.get("vocabulary_size").isJsonNull()) {
      return layer.get("vocabulary_size").getAsInt();
    }
    return words;
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
      default -> throw new InputException("TextVectorization standardize '" + name + "' is not supported:"
          + " expected lower_and_strip_punctuation, lower, strip_punctuation or null");
    };
  }

  /**
   * Keras' {@code adapt()} over {@code texts}: every word of the standardised, split texts counted, sorted by count
   * (most frequent first) with ties broken by the words' UTF-8 bytes, high to low (IndexLookup.finalize_state's
   * {@code np.lexsort(...)[::-1]}), cut to {@code maxTokens} including {@code ""} and {@code [UNK]}.
   */
  public static KerasTextVectorization adapt(Standardize standardize, Iterable<String> texts, int maxTokens,
      Integer sequenceLength) {
    if (maxTokens < 3) {
      throw new InputException("TextVectorization max_tokens " + maxTokens + " is too small: expected at least"
          + " 3 (\"\", [UNK] and one word)", "numWords");
    }
    Map<String, int[]> counts = new HashMap<>();
    for (String text : texts) {
      for (String word : words(standardize, text)) {
        counts.computeIfAbsent(word, w -> new int[1])[0]++;
      }
    }
    counts.remove("");
    counts.remove("[UNK]");
    List<Map.Entry<String, int[]>> sorted = new ArrayList<>(counts.entrySet());
    // code point order is UTF-8 byte order (String.compareTo's UTF-16 order is not, past U+FFFF)
    Comparator<String> bytes = (a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    sorted.sort(Comparator.<Map.Entry<String, int[]>>comparingInt(e -> -e.getValue()[0])
        .thenComparing(Map.Entry::getKey, bytes.reversed()));
    List<String> vocabulary = new ArrayList<>(List.of("", "[UNK]"));
    for (int i = 0; i < Math.min(sorted.size(), maxTokens - 2); i++) {
      vocabulary.add(sorted.get(i).getKey());
    }
    return new KerasTextVectorization(standardize, vocabulary, sequenceLength);
  }

  /** The text's words: standardised and split as the layer does, before the lookup. */
  public static List<String> words(Standardize standardize, String text) {
    String s = text;
    if (standardize == Standardize.LOWER || standardize == Standardize.LOWER_AND_STRIP_PUNCTUATION) {
      s = asciiLowerCase(s);
    }
    if (standardize == Standardize.STRIP_PUNCTUATION || standardize == Standardize.LOWER_AND_STRIP_PUNCTUATION) {
      s = PUNCTUATION.matcher(s).replaceAll("");
    }
    List<String> words = new ArrayList<>();
    for (String word : WHITESPACE.split(s)) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }

  /** {@code tf.strings.lower} without an encoding lowers A-Z only: {@code "ÉCOLE"} becomes {@code "École"}. */
  private static String asciiLowerCase(String s) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  /** The text's ids, unpadded (cut to the sequence length when one is set). */
  public int[] ids(String text) {
    List<String> words = words(standardize, text);
    int n = sequenceLength == null ? words.size() : Math.min(words.size(), sequenceLength);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = index.getOrDefault(words.get(i), 1);
    }
    return out;
  }
}
