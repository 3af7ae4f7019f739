package dev.sentigraph.data;

import dev.sentigraph.data.DataSettings.Padding;

/**
 * Keras' {@code pad_sequences(maxlen, padding, truncating, value=0)}: pre-truncation keeps the last
 * {@code seqLen} tokens, post-truncation the first.
 */
public final class SequencePadding {
  private SequencePadding() {}

  public static PaddedSequences pad(TokenSequences seqs, int seqLen, Padding padding, Padding truncating) {
    int[] tokens = new int[seqs.size() * seqLen];
    for (int i = 0; i < seqs.size(); i++) {
      padRow(seqs.sequences()[i], tokens, i * seqLen, seqLen, padding, truncating);
    }
    return new PaddedSequences(tokens, seqLen, seqs.labels().clone());
  }

  /** Writes one padded row of {@code seqLen} ids into {@code out} at {@code offset} (zeros already there). */
  public static void padRow(int[] ids, int[] out, int offset, int seqLen, Padding padding, Padding truncating) {
    int n = Math.min(ids.length, seqLen);
    int from = truncating == Padding.PRE ? ids.length - n : 0;
    int to = padding == Padding.PRE ? offset + seqLen - n : offset;
    System.arraycopy(ids, from, out, to, n);
  }

  public static int[] padOne(int[] ids, int seqLen, Padding padding, Padding truncating) {
    int[] row = new int[seqLen];
    padRow(ids, row, 0, seqLen, padding, truncating);
    return row;
  }
}
