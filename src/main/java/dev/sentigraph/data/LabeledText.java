package dev.sentigraph.data;

/**
 * One raw review with its label (1 positive and 0 negative, or a class 0..K-1) and the line of the file it came
 * from, 0 where it came from no numbered line (an aclImdb file).
 */
public record LabeledText(String text, int label, long line) {
  /** A review from no numbered line. */
  public LabeledText(String text, int label) {
    this(text, label, 0);
  }
}
