package dev.sentigraph.model;

import dev.sentigraph.data.OutputMode;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The vector a model's Dense layers read, one value per word, built from token ids inside sentigraph's graph
 * (every door feeds ids or texts, so each fills it the same): as Keras' {@code TextVectorization} builds it in
 * {@code multi_hot}, {@code count} or {@code tf_idf} mode, or as "Deep Learning with Python"'s
 * {@code vectorize_sequences} builds it from {@code imdb.load_data} ids.
 *
 * <p>Id 0 is padding and marks nothing: Keras' IMDB ids never hold 0 (1 is the start mark, 2 OOV, both marked as
 * {@code vectorize_sequences} marks them), and a TextVectorization's ids here are its int mode's, one above its
 * per-word column ({@code offset} 1: id 1, {@code [UNK]}, marks column 0 as Keras does for unknown words).
 *
 * @param mode how occurrences become values: 1 if any, their count, or the count times {@code idf}
 * @param width values per row, the Dense layer's input width
 * @param offset id {@code offset + k} marks column k
 * @param idf the weight per column for {@code tf_idf}, else null
 */
public record WordFeatures(OutputMode mode, int width, int offset, float[] idf) {
  public WordFeatures {
    if (!mode.perWord()) {
      throw new IllegalArgumentException("int ids are no per-word vector");
    }
    if ((mode == OutputMode.TF_IDF) != (idf != null) || idf != null && idf.length != width) {
      throw new IllegalArgumentException("tf_idf needs one idf weight per column, and only tf_idf has them");
    }
    idf = idf == null ? null : idf.clone();
  }

  @Override
  public float[] idf() {
    return idf == null ? null : idf.clone();
  }

  /** The ids a row may hold: 0 (padding) up to the one that marks the last column. */
  public int vocabulary() {
    return width + offset;
  }

  /** What the graph makes of the ids, for messages: "multi_hot vector [None, 1000]". */
  public String describe() {
    return mode.kerasName() + " vector [None, " + width + "]";
  }

  /**
   * The vectors of {@code ids} ([batch, any length], checked to lie in [0, {@link #vocabulary()})): each row's
   * occurrences per column summed (one segment per row and column), then capped at 1 or weighted by idf.
   */
  public Operand<TFloat32> encode(Ops tf, Operand<TInt32> ids) {
    Ops scope = tf.withSubScope("word_features");
    Operand<TInt32> rows = scope.gather(scope.shape(ids), scope.constant(0), scope.constant(0));
    Operand<TInt32> rowStart = scope.expandDims(scope.math.mul(scope.range(scope.constant(0), rows, scope.constant(1)),
        scope.constant(width)), scope.constant(1));
    // padding adds 0 to column 0, so every segment id stays in range
    Operand<TInt32> column = scope.math.maximum(scope.math.sub(ids, scope.constant(offset)), scope.constant(0));
    Operand<TFloat32> marks = scope.dtypes.cast(scope.math.greater(ids, scope.constant(0)), TFloat32.class);
    Operand<TFloat32> counts = scope.reshape(scope.math.unsortedSegmentSum(marks, scope.math.add(rowStart, column),
        scope.math.mul(rows, scope.constant(width))), scope.constant(new int[] {-1, width}));
    return switch (mode) {
      case MULTI_HOT -> scope.math.minimum(counts, scope.constant(1f));
      case COUNT -> counts;
      case TF_IDF -> scope.math.mul(counts, scope.constant(Shape.of(width),
          DataBuffers.of(idf, true, false)));
      case INT -> throw new IllegalStateException("int ids are no per-word vector");
    };
  }
}
