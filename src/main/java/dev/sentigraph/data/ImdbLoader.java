package dev.sentigraph.data;

import dev.sentigraph.error.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code keras.datasets.imdb.load_data} on word ranks: the seeded shuffle of train then test (one numpy
 * stream), start token and {@code index_from} offset, the {@code maxlen} drop filter, then OOV replacement
 * outside {@code skip_top <= id < num_words} over both splits, with Keras' quirks kept (see keras-parity.md).
 */
public final class ImdbLoader {
  /** Both splits after {@code load_data}; {@code numWords} is the vocabulary bound actually used. */
  public record Splits(TokenSequences train, TokenSequences test, int numWords) {}

  private ImdbLoader() {}

  /**
   * Reads Keras' {@code imdb.npz} and applies {@code load_data}'s steps. Each split's ranks are offset and
   * dropped before the next split is unpickled, so the heap holds one split's pickle at a time.
   */
  public static Splits loadNpz(Path npz, DataSettings settings) {
    NumpyRandomState rng = new NumpyRandomState(settings.seed());
    TokenSequences train;
    TokenSequences test;
    try (NpzFile file = NpzFile.open(npz)) {
      file.requireKeys(List.of("x_train", "y_train", "x_test", "y_test"));
      train = offsetAndFilter(checked(npz, "train", file.integerLists("x_train"), file.integers("y_train")), rng, settings);
      test = offsetAndFilter(checked(npz, "test", file.integerLists("x_test"), file.integers("y_test")), rng, settings);
    }
    return finish(train, test, settings, npz.toString());
  }

  /** The raw word ranks of {@code imdb.npz}: {@code x_train}/{@code y_train}, then {@code x_test}/{@code y_test}. */
  public static TokenSequences[] readRanks(Path npz) {
    try (NpzFile file = NpzFile.open(npz)) {
      file.requireKeys(List.of("x_train", "y_train", "x_test", "y_test"));
      return new TokenSequences[] {checked(npz, "train", file.integerLists("x_train"), file.integers("y_train")),
          checked(npz, "test", file.integerLists("x_test"), file.integers("y_test"))};
    }
  }

  private static TokenSequences checked(Path npz, String split, int[][] x, int[] y) {
    if (x.length != y.length) {
      throw new InputException(npz + ": x_" + split + " has " + x.length + " reviews but y_" + split + " "
          + y.length + " labels: expected one label per review");
    }
    for (int i = 0; i < y.length; i++) {
      if (y[i] != 0 && y[i] != 1) {
        throw new InputException(npz + ": y_" + split + " label " + i + " is " + y[i] + ": expected 0 or 1");
      }
    }
    return new TokenSequences(x, y);
  }

  /** Applies load_data's steps to raw word ranks (1 = most frequent word). */
  public static Splits fromRanks(TokenSequences trainRanks, TokenSequences testRanks, DataSettings s, String origin) {
    NumpyRandomState rng = new NumpyRandomState(s.seed());
    TokenSequences train = offsetAndFilter(trainRanks, rng, s);
    TokenSequences test = offsetAndFilter(testRanks, rng, s);
    return finish(train, test, s, origin);
  }

  private static Splits finish(TokenSequences train, TokenSequences test, DataSettings s, String origin) {
    if (train.size() == 0 || test.size() == 0) {
      String why = s.dropLongerThan() != null ? " after dropping reviews longer than " + s.dropLongerThan() : "";
      throw new InputException(origin + " has an empty " + (train.size() == 0 ? "train" : "test") + " split"
          + why + ": expected reviews in both");
    }
    int numWords = s.numWords() != null ? s.numWords() : Math.max(maxId(train), maxId(test));
    replaceOov(train, s.skipTop(), numWords, s.oovChar());
    replaceOov(test, s.skipTop(), numWords, s.oovChar());
    return new Splits(train, test, numWords);
  }

  /** Shuffles with the shared stream (train first, then test, as load_data), adds the offsets, drops long reviews. */
  private static TokenSequences offsetAndFilter(TokenSequences ranks, NumpyRandomState rng, DataSettings s) {
    int[] order = rng.permutation(ranks.size());
    List<int[]> kept = new ArrayList<>(order.length);
    int[] labels = new int[order.length];
    int n = 0;
    for (int index : order) {
      int[] r = ranks.sequences()[index];
      int[] ids = new int[r.length + 1];
      ids[0] = s.startChar();
      for (int t = 0; t < r.length; t++) {
        ids[t + 1] = r[t] + s.indexFrom();
      }
      if (s.dropLongerThan() == null || ids.length < s.dropLongerThan()) {
        kept.add(ids);
        labels[n++] = ranks.labels()[index];
      }
    }
    return new TokenSequences(kept.toArray(int[][]::new), java.util.Arrays.copyOf(labels, n));
  }

  private static int maxId(TokenSequences seqs) {
    int max = 0;
    for (int[] ids : seqs.sequences()) {
      for (int id : ids) {
        max = Math.max(max, id);
      }
    }
    return max;
  }

  private static void replaceOov(TokenSequences seqs, int skipTop, int numWords, int oovChar) {
    for (int[] ids : seqs.sequences()) {
      for (int t = 0; t < ids.length; t++) {
        if (ids[t] < skipTop || ids[t] >= numWords) {
          ids[t] = oovChar;
        }
      }
    }
  }
}
