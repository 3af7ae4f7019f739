package dev.sentigraph;

import dev.sentigraph.model.ModelOutput;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The answer of every scoring method: one {@link Prediction} per review, in order, held as the model's output
 * values as it gave them (a list of records would cost an object per review over a whole corpus): one value per
 * review for a binary head, K for a K-class one. Immutable.
 */
public final class Predictions extends AbstractList<Prediction> implements RandomAccess {
  private final ModelOutput output;
  private final int width;
  private final float[] values;

  private Predictions(ModelOutput output, float[] values) {
    this.output = output;
    this.width = output.width();
    this.values = values;
  }

  /** The values {@code output} gave, row-major; {@code values} is owned by the result from now on. */
  public static Predictions of(ModelOutput output, float[] values) {
    return new Predictions(output, values);
  }

  /** The parts in order, as one answer (a request split over batches); all come from the same output. */
  public static Predictions concat(ModelOutput output, List<Predictions> parts) {
    float[] all = new float[parts.stream().mapToInt(p -> p.values.length).sum()];
    int at = 0;
    for (Predictions p : parts) {
      System.arraycopy(p.values, 0, all, at, p.values.length);
      at += p.values.length;
    }
    return new Predictions(output, all);
  }

  @Override
  public Prediction get(int index) {
    return switch (output.kind()) {
      case PROBABILITY -> Prediction.of(values[index]);
      case LOGIT -> Prediction.ofLogit(values[index]);
      case CLASS_PROBABILITIES -> Prediction.ofClasses(row(index));
      case CLASS_LOGITS -> Prediction.ofClasses(softmax(row(index)));
    };
  }

  private double[] row(int index) {
    double[] row = new double[width];
    for (int k = 0; k < width; k++) {
      row[k] = values[index * width + k];
    }
    return row;
  }

  private static double[] softmax(double[] logits) {
    double max = Arrays.stream(logits).max().orElse(0);
    double[] out = new double[logits.length];
    double sum = 0;
    for (int k = 0; k < out.length; k++) {
      out[k] = Math.exp(logits[k] - max);
      sum += out[k];
    }
    for (int k = 0; k < out.length; k++) {
      out[k] /= sum;
    }
    return out;
  }

  @Override
  public int size() {
    return values.length / width;
  }

  /** The output the values come from: its name, shape and kind. */
  public ModelOutput output() {
    return output;
  }

  /** Review {@code index}'s output values as the model gave them (float32), as TF Serving answers them. */
  public float[] values(int index) {
    return Arrays.copyOfRange(values, index * width, (index + 1) * width);
  }

  /**
   * Every review's probability, in order: a binary model's probability that the review is positive, a K-class
   * model's probability of the top class ({@link Prediction#probability()}).
   */
  public float[] probabilities() {
    if (output.kind() == ModelOutput.Kind.PROBABILITY) {
      return values.clone();
    }
    float[] out = new float[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) get(i).probability();
    }
    return out;
  }

  /** Reviews {@code from} (inclusive) to {@code to} (exclusive), as an answer of their own. */
  public Predictions slice(int from, int to) {
    return new Predictions(output, Arrays.copyOfRange(values, from * width, to * width));
  }
}
