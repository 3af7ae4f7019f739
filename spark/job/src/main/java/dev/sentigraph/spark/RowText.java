package dev.sentigraph.spark;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cell of the text column as a review, or why it cannot be scored. Binary cells (a folder of .txt files) are
 * decoded as strict UTF-8; string cells whose source held bytes that were not UTF-8 carry U+FFFD, which Spark's
 * readers put in their place, and are refused the same way rather than scored on altered text.
 *
 * @param text the review, or null when {@code error} says why there is none
 * @param error null, or the reason the row is not scored
 */
record RowText(String text, String error) {
  static final String NULL = "text is null";
  static final String EMPTY = "text is empty";
  static final String UNDECODABLE = "text holds undecodable bytes: expected UTF-8";

  static RowText of(Object cell) {
    if (cell == null) {
      return new RowText(null, NULL);
    }
    String text;
    if (cell instanceof byte[] bytes) {
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        return new RowText(null, UNDECODABLE);
      }
    } else {
      text = cell.toString();
      if (text.indexOf('\uFFFD') >= 0) {
        return new RowText(null, UNDECODABLE);
      }
    }
    return text.isBlank() ? new RowText(null, EMPTY) : new RowText(text, null);
  }
}
