package dev.sentigraph.savedmodel;

import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.KerasTextStandardizer;
import dev.sentigraph.data.KerasTextVectorization;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.HashTable;
import org.tensorflow.op.core.InitializeTableFromTextFile;
import org.tensorflow.op.strings.Lower;
import org.tensorflow.op.strings.StaticRegexReplace;
import org.tensorflow.op.strings.StringSplit;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Graph ops that turn raw review strings into padded token ids exactly as sentigraph's Java path does, in one of
 * two ways. For a word-index model ({@link KerasTextStandardizer} then {@code WordIndex.encode} then
 * {@code pad_sequences}): lower-case, Keras' filter characters to spaces, split on spaces, look each word up in a
 * vocabulary table (word, tab, rank per line of a text file that travels as a SavedModel asset), offset by
 * {@code index_from}, out-of-vocabulary to {@code oov_char}, start token first, then truncation and padding at the
 * configured ends. For a model that reads text through Keras' TextVectorization ({@link KerasTextVectorization}):
 * the ops Keras' layer runs (StringLower of ASCII, StaticRegexReplace deleting its punctuation, StringSplit on
 * whitespace), each word looked up to its vocabulary position (word, tab, id per line), unknown words 1, cut and
 * zero-padded at the end.
 */
final class TextEncodingGraph {
  /** The table's file name tensor: loaders feed it the asset's path. */
  static final String VOCABULARY_TENSOR = "vocabulary_path";
  static final String INIT_OP = "init_all_tables";

  private final Operand<TInt32> tokenIds;
  private final InitializeTableFromTextFile tableInit;

  /**
   * @param vectorization the model's TextVectorization, or null for a word-index model (then {@code s} says how
   *     ranks become ids)
   */
  TextEncodingGraph(Ops tf, Operand<TString> text, DataSettings s, KerasTextVectorization vectorization,
      String vocabularyFileName) {
    Operand<TString> filename = tf.withName(VOCABULARY_TENSOR).constant(vocabularyFileName);
    HashTable table = tf.hashTable(TString.class, TInt64.class);
    tableInit = tf.initializeTableFromTextFile(table, filename, 0L, 1L, InitializeTableFromTextFile.delimiter("\t"));

    StringSplit split;
    if (vectorization == null) {
      Operand<TString> lower = tf.strings.lower(text, Lower.encoding("utf-8"));
      Operand<TString> spaced = tf.strings.staticRegexReplace(lower, filterClass(), " ",
          StaticRegexReplace.replaceGlobal(true));
      split = tf.strings.stringSplit(spaced, tf.constant(" "), StringSplit.maxsplit(-1L));
    } else {
      Operand<TString> standardized = text;
      KerasTextVectorization.Standardize st = vectorization.standardize();
      if (st == KerasTextVectorization.Standardize.LOWER || st == KerasTextVectorization.Standardize.LOWER_AND_STRIP_PUNCTUATION) {
        standardized = tf.strings.lower(standardized); // no encoding: A-Z only, as Keras' tf.strings.lower
      }
      if (st == KerasTextVectorization.Standardize.STRIP_PUNCTUATION
          || st == KerasTextVectorization.Standardize.LOWER_AND_STRIP_PUNCTUATION) {
        standardized = tf.strings.staticRegexReplace(standardized, KerasTextVectorization.PUNCTUATION_REGEX, "",
            StaticRegexReplace.replaceGlobal(true));
      }
      // an empty separator splits on runs of ASCII whitespace, as TextVectorization's "whitespace"
      split = tf.strings.stringSplit(standardized, tf.constant(""), StringSplit.maxsplit(-1L));
    }
    // splitting on single spaces leaves empty strings between runs of separators; Keras drops them
    Operand<TBool> nonEmpty = tf.math.notEqual(split.values(), tf.constant(""));
    Operand<TString> words = tf.booleanMask(split.values(), nonEmpty);
    Operand<TInt64> rows = tf.booleanMask(tf.gather(split.indices(), tf.constant(0), tf.constant(1)), nonEmpty);
    Operand<TInt64> batch = tf.reshape(tf.slice(tf.shape(text, TInt64.class), tf.constant(new long[] {0}),
        tf.constant(new long[] {1})), tf.constant(new long[] {}));

    Operand<TInt64> counts = tf.math.unsortedSegmentSum(tf.onesLike(rows), rows, batch);
    Operand<TInt64> rowStarts = tf.math.cumsum(counts, tf.constant(0), org.tensorflow.op.math.Cumsum.exclusive(true));
    Operand<TInt64> wordCount = tf.shape(words, TInt64.class);
    Operand<TInt64> position = tf.math.sub(tf.range(tf.constant(0L), tf.reshape(wordCount, tf.constant(new long[] {})),
        tf.constant(1L)), tf.gather(rowStarts, rows, tf.constant(0)));

    Operand<TInt64> ranks = tf.lookupTableFind(table, words, tf.constant(-1L));
    if (vectorization != null) {
      Operand<TInt64> ids = tf.select(tf.math.greaterEqual(ranks, tf.constant(0L)), ranks,
          tf.fill(tf.shape(ranks, TInt64.class), tf.constant(1L)));
      // a static rank (the lookup's output has none) for booleanMask
      tokenIds = padded(tf, rows, position, tf.reshape(ids, tf.constant(new long[] {-1})), counts, batch, s);
      return;
    }
    Operand<TInt64> oov = tf.constant((long) s.oovChar());
    Operand<TInt64> ids = tf.select(tf.math.greaterEqual(ranks, tf.constant(0L)),
        tf.math.add(ranks, tf.constant((long) s.indexFrom())), tf.fill(tf.shape(ranks, TInt64.class), oov));
    Operand<TBool> dropped = tf.math.less(ids, tf.constant((long) s.skipTop()));
    if (s.numWords() != null) {
      dropped = tf.math.logicalOr(dropped, tf.math.greaterEqual(ids, tf.constant((long) s.numWords())));
    }
    ids = tf.select(dropped, tf.fill(tf.shape(ids, TInt64.class), oov), ids);

    // the sequence of row r is [start, word 0, word 1, ...]: place word p at q = p + 1, the start token at q = 0
    Operand<TInt64> startRows = tf.range(tf.constant(0L), batch, tf.constant(1L));
    Operand<TInt64> allRows = tf.concat(List.of(startRows, rows), tf.constant(0));
    Operand<TInt64> q = tf.concat(List.of(tf.zerosLike(startRows), tf.math.add(position, tf.constant(1L))), tf.constant(0));
    Operand<TInt64> allIds = tf.concat(List.of(tf.fill(tf.shape(startRows, TInt64.class), tf.constant((long) s.startChar())), ids),
        tf.constant(0));

    tokenIds = padded(tf, allRows, q, allIds, tf.math.add(counts, tf.constant(1L)), batch, s);
  }

  /**
   * A [batch, seq_len] int32 tensor holding {@code ids[i]} at row {@code rows[i]}, position {@code q[i]} of that
   * row's sequence (of {@code lengths[row]} ids), truncated and padded at the settings' ends.
   */
  private static Operand<TInt32> padded(Ops tf, Operand<TInt64> allRows, Operand<TInt64> q, Operand<TInt64> allIds,
      Operand<TInt64> lengths, Operand<TInt64> batch, DataSettings s) {
    long seqLen = s.seqLen();
    Operand<TInt64> length = tf.gather(lengths, allRows, tf.constant(0));
    Operand<TInt64> kept = tf.math.minimum(length, tf.constant(seqLen));
    Operand<TInt64> firstKept = s.truncating() == DataSettings.Padding.PRE ? tf.math.sub(length, kept) : tf.zerosLike(length);
    Operand<TInt64> offset = s.padding() == DataSettings.Padding.PRE ? tf.math.sub(tf.constant(seqLen), kept) : tf.zerosLike(kept);
    Operand<TInt64> column = tf.math.add(offset, tf.math.sub(q, firstKept));
    Operand<TBool> inWindow = tf.math.logicalAnd(tf.math.greaterEqual(q, firstKept),
        tf.math.less(q, tf.math.add(firstKept, kept)));

    Operand<TInt64> where = tf.stack(List.of(tf.booleanMask(allRows, inWindow), tf.booleanMask(column, inWindow)),
        org.tensorflow.op.core.Stack.axis(1L));
    Operand<TInt64> dense = tf.scatterNd(where, tf.booleanMask(allIds, inWindow),
        tf.stack(List.of(batch, tf.constant(seqLen))));
    // a static [-1, seq_len] shape: layers that size their weights or outputs by the length (Conv1D) need it
    return tf.reshape(tf.dtypes.cast(dense, TInt32.class), tf.constant(new long[] {-1, seqLen}));
  }

  Operand<TInt32> tokenIds() {
    return tokenIds;
  }

  InitializeTableFromTextFile tableInit() {
    return tableInit;
  }

  /** Keras' filter characters as one RE2 character class. */
  private static String filterClass() {
    StringBuilder c = new StringBuilder("[");
    for (char ch : KerasTextStandardizer.FILTERS.toCharArray()) {
      c.append(Character.isLetterOrDigit(ch) ? String.valueOf(ch) : (ch == '\t' ? "\\t" : ch == '\n' ? "\\n" : "\\" + ch));
    }
    return c.append("]").toString();
  }
}
