package dev.sentigraph.data;

import java.util.Arrays;

/** Review lengths (before padding, start token included) and their summary figures. */
public record LengthStats(int[] sorted) {
  public static int[] lengths(TokenSequences seqs) {
    return Arrays.stream(seqs.sequences()).mapToInt(s -> s.length).toArray();
  }

  public static LengthStats of(TokenSequences seqs) {
    int[] lengths = lengths(seqs);
    Arrays.sort(lengths);
    return new LengthStats(lengths);
  }

  public double mean() {
    return Arrays.stream(sorted).average().orElse(0);
  }

  public int min() {
    return sorted.length == 0 ? 0 : sorted[0];
  }

  public int max() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }

  /** numpy's default (linear) percentile, rounded to a whole token. */
  public int percentile(double p) {
    if (sorted.length == 0) {
      return 0;
    }
    double rank = p / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return (int) Math.round(sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]));
  }

  /** How many reviews padding to {@code seqLen} truncates. */
  public int longerThan(int seqLen) {
    int n = 0;
    for (int len : sorted) {
      if (len > seqLen) {
        n++;
      }
    }
    return n;
  }
}
