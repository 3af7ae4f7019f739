package dev.sentigraph.data;

/** Reviews as ragged lists of token ids, with one 0/1 label each (what {@code imdb.load_data} returns). */
public record TokenSequences(int[][] sequences, int[] labels) {
  public TokenSequences {
    if (sequences.length != labels.length) {
      throw new IllegalArgumentException(sequences.length + " sequences but " + labels.length + " labels");
    }
  }

  public int size() {
    return labels.length;
  }
}
