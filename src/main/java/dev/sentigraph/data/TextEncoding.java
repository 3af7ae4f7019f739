package dev.sentigraph.data;

import dev.sentigraph.error.InputException;

/**
 * How a model turns raw text into padded token ids: Keras' legacy Tokenizer words, ranked by the model's word
 * index, offset and clipped as {@code load_data} does, padded as {@code pad_sequences}. The CLI, the library,
 * the server and Spark all encode through this one class.
 *
 * @param index the word-to-rank map; null when the model comes without one (raw text is then refused)
 * @param vectorization for a Keras model that takes strings, its TextVectorization, which replaces the word
 *     index (the settings then pad and cut at the end, as that layer does); else null
 */
public record TextEncoding(DataSettings settings, WordIndex index, KerasTextVectorization vectorization) {

  /** Text through a word index. */
  public TextEncoding(DataSettings settings, WordIndex index) {
    this(settings, index, null);
  }

  /** Whether raw text can be encoded: the model's own TextVectorization, else a word index. */
  public boolean encodesText() {
    return vectorization != null || index != null;
  }

  /** A review's ids, not yet padded. */
  public int[] ids(String text) {
    if (vectorization != null) {
      return vectorization.ids(text);
    }
    if (index == null) {
      throw new InputException("raw text needs a word index: this model comes without one (give the"
          + " word-to-rank JSON, e.g. imdb_word_index.json)", "wordIndex");
    }
    return index.encode(text, settings, settings.numWords() != null ? settings.numWords() : Integer.MAX_VALUE);
  }

  /** Pads or truncates one row of ids to the model's length, as {@code pad_sequences} with the model's settings. */
  public void pad(int[] ids, int[] out, int offset) {
    SequencePadding.padRow(ids, out, offset, settings.seqLen(), settings.padding(), settings.truncating());
  }
}
