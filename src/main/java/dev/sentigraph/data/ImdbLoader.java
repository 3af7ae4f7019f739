package dev.sentigraph.data;

import dev.sentigraph.InvalidInputException;
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

  /** Reads Keras' {@code imdb.npz} and applies {@code load_data}'s steps. */
  public static Splits loadNpz(Path npz, DataSettings settings) {
    TokenSequences[] ranks = readRanks(npz);
    return fromRanks(ranks[0], ranks[1], settings, npz.toString());
  }

  /** The raw word ranks of {@code imdb.npz}: {@code x_train}/{@code y_train}, then {@code x_test}/{@code y_test}. */
  public static TokenSequences[] readRanks(Path npz) {
    int[][] xTrain;
    int[] yTrain;
    int[][] xTest;
    int[] yTest;
    try (NpzFile file = NpzFile.open(npz)) {
      file.requireKeys(List.of("x_train", "y_train", "x_test", "y_test"));
      xTrain = file.integerLists("x_train");
      yTrain = file.integers("y_train");
      xTest = file.integerLists("x_test");
      yTest = file.integers("y_test");
    }
    if (xTrain.length != yTrain.length || xTest.length != yTest.length) {
      throw new InvalidInputException(npz + ": x and y arrays differ in length (" + xTrain.length + "/"
          + yTrain.length + ", " + xTest.length + "/" + yTest.length + "): expected one label per review");
    }
    return new TokenSequences[] {new TokenSequences(xTrain, yTrain), new TokenSequences(xTest, yTest)};
  }

  /** Applies load_data's steps to raw word ranks (1 = most frequent word). */
  public static Splits fromRanks(TokenSequences trainRanks, TokenSequences testRanks, DataSettings s, String origin) {
    if (trainRanks.size() == 0 || testRanks.size() == 0) {
      throw new InvalidInputException(origin + " has an empty " + (trainRanks.size() == 0 ? "train" : "test")
          + " split: expected reviews in both");
    }
    NumpyRandomState rng = new NumpyRandomState(s.seed());
    int[] trainOrder = rng.permutation(trainRanks.size());
    int[] testOrder = rng.permutation(testRanks.size());
    TokenSequences train = offsetAndFilter(trainRanks, trainOrder, s);
    TokenSequences test = offsetAndFilter(testRanks, testOrder, s);
    if (s.dropLongerThan() != null && (train.size() == 0 || test.size() == 0)) {
      throw new InvalidInputException("--drop-longer-than " + s.dropLongerThan() + " keeps no review of " + origin
          + ": expected a larger length");
    }
    int numWords = s.numWords() != null ? s.numWords() : Math.max(maxId(train), maxId(test));
    replaceOov(train, s.skipTop(), numWords, s.oovChar());
    replaceOov(test, s.skipTop(), numWords, s.oovChar());
    return new Splits(train, test, numWords);
  }

  private static TokenSequences offsetAndFilter(TokenSequences ranks, int[] order, DataSettings s) {
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
