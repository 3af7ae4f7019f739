package dev.sentigraph;

import dev.sentigraph.model.ModelOutput;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The answer of every scoring method: one {@link Prediction} per review, in order, held as the model's output
 * values (a list of records would cost an object per review over a whole corpus). Immutable.
 */
public final class Predictions extends AbstractList<Prediction> implements RandomAccess {
  private final ModelOutput output;
  private final float[] values;

  private Predictions(ModelOutput output, float[] values) {
    this.output = output;
    this.values = values;
  }

  /** The values {@code output} gave, one per review; {@code values} is owned by the result from now on. */
  public static Predictions of(ModelOutput output, float[] values) {
    return new Predictions(output, values);
  }

  /** The parts in order, as one answer (a request split over batches); all come from the same output. */
  public static Predictions concat(ModelOutput output, List<Predictions> parts) {
    float[] all = new float[parts.stream().mapToInt(Predictions::size).sum()];
    int at = 0;
    for (Predictions p : parts) {
      System.arraycopy(p.values, 0, all, at, p.values.length);
      at += p.values.length;
    }
    return new Predictions(output, all);
  }

  @Override
  public Prediction get(int index) {
    return Prediction.of(values[index]);
  }

  @Override
  public int size() {
    return values.length;
  }

  /** The output the values come from: its name, shape and kind. */
  public ModelOutput output() {
    return output;
  }

  /** Review {@code index}'s output value as the model gave it (float32), as JSON answers print it. */
  public float value(int index) {
    return values[index];
  }

  /** Every review's probability, in order (a copy). */
  public float[] probabilities() {
    return values.clone();
  }

  /** Reviews {@code from} (inclusive) to {@code to} (exclusive), as an answer of their own. */
  public Predictions slice(int from, int to) {
    return new Predictions(output, Arrays.copyOfRange(values, from, to));
  }
}
