package dev.sentigraph.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keras' legacy {@code text_to_word_sequence}: lower-case, each filter character becomes a space, split on
 * spaces, empty strings dropped. The apostrophe is not a filter, so {@code don't} stays one word.
 */
public final class KerasTextStandardizer {
  /** Keras' default {@code filters}, tab and newline included. */
  public static final String FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

  private KerasTextStandardizer() {}

  public static List<String> words(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (c == ' ' || FILTERS.indexOf(c) >= 0) {
        if (word.length() > 0) {
          words.add(word.toString());
          word.setLength(0);
        }
      } else {
        word.append(c);
      }
    }
    if (word.length() > 0) {
      words.add(word.toString());
    }
    return words;
  }
}
