package dev.sentigraph.model;

import dev.sentigraph.config.ModelConfig;
import java.util.Optional;

/**
 * What a model takes in, decided once when its file is opened ({@code dev.sentigraph.format}); the library, the CLI,
 * {@code serve} and Spark fill the input from this and from nothing else.
 */
public sealed interface ModelInput {
  /** The tensor the model is fed, as messages and {@code inspect} name it, e.g. "int32 token ids [None, 200]". */
  String describe();

  /**
   * The ids the model looks up (Keras' {@code num_words}, the embedding's rows): a token input's vocabulary; null
   * for other inputs and when it cannot be told.
   */
  default Integer vocabulary() {
    return null;
  }

  /** Whether the model's own graph tokenises: it is fed review strings, never token ids. */
  default boolean takesText() {
    return this instanceof Text;
  }

  /**
   * Rows of token ids looked up in an embedding.
   *
   * @param length ids per row, or {@link ModelConfig#ANY_LENGTH} when each batch may pick its own
   * @param vocabulary rows of the embedding the ids are looked up in; null when that cannot be told, and then no
   *     id is refused on its account
   * @param features the per-word vector the model's graph builds from the ids for its Dense layers; null when
   *     the ids are looked up in an embedding
   */
  record TokenIds(int length, Integer vocabulary, WordFeatures features) implements ModelInput {
    /** Ids looked up in an embedding. */
    public TokenIds(int length, Integer vocabulary) {
      this(length, vocabulary, null);
    }

    public boolean anyLength() {
      return length == ModelConfig.ANY_LENGTH;
    }

    @Override
    public String describe() {
      return "int32 token ids [None, " + (anyLength() ? "None" : String.valueOf(length)) + "]"
          + (features == null ? "" : " (its graph makes them a " + features.describe() + ")");
    }

    /** What the ids a row may hold are, for messages: "token ids in [0, 10000)", or "token ids >= 0". */
    public String expected() {
      return vocabulary == null ? "token ids >= 0" : "token ids in [0, " + vocabulary + ")";
    }

    /**
     * Why {@code ids} cannot be fed, in one phrase ("item 133 is 591, past the model's vocabulary: expected token
     * ids in [0, 200)"); empty when every id is one the model looks up. The one check of token ids: every door
     * asks it, the library before each run.
     */
    public Optional<String> problem(int[] ids) {
      return problem(ids, 0, ids.length);
    }

    /** {@link #problem(int[])} for the row {@code ids[from..to)}, items counted from {@code from}. */
    public Optional<String> problem(int[] ids, int from, int to) {
      for (int i = from; i < to; i++) {
        if (ids[i] < 0 || vocabulary != null && ids[i] >= vocabulary) {
          return Optional.of("item " + (i - from) + " is " + ids[i] + (ids[i] < 0 ? ", a negative id"
              : ", past the model's vocabulary") + ": expected " + expected());
        }
      }
      return Optional.empty();
    }
  }

  /** Review strings, one per row, which the model's graph standardises, splits and looks up itself. */
  record Text() implements ModelInput {
    @Override
    public String describe() {
      return "raw text (its graph tokenises it)";
    }
  }

  /**
   * A vector of {@code width} features per row (a word-presence vector, say), fed to a Dense layer rather than
   * looked up in an embedding: token ids must never be fed there. A model opened for scoring takes {@link TokenIds}
   * with {@link WordFeatures} instead, where its TextVectorization or the caller says what the vector is.
   */
  record DenseFeatures(int width) implements ModelInput {
    @Override
    public String describe() {
      return "float features [None, " + width + "]";
    }
  }
}
