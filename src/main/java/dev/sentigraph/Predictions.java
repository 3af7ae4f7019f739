package dev.sentigraph;

import dev.sentigraph.model.ModelOutput;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.stream.Collectors;

/**
 * The answer of every scoring method: one {@link Prediction} per review, in order, held as the model's output
 * values as it gave them (a list of records would cost an object per review over a whole corpus): one value per
 * review for a binary head, K for a K-class one. A model with several outputs gives each review a row holding
 * every output's values in turn; the {@link Prediction}s come from one of them ({@link #output()}, the first
 * unless the caller chose another) and each is reachable by name ({@link #output(String)}). Immutable.
 */
public final class Predictions extends AbstractList<Prediction> implements RandomAccess {
  private final List<ModelOutput> outputs;
  private final int chosen;
  /** Where the chosen output's values start in a review's row, and how many values a row holds. */
  private final int offset;
  private final int stride;
  private final float[] values;

  private Predictions(List<ModelOutput> outputs, int chosen, float[] values) {
    this.outputs = List.copyOf(outputs);
    this.chosen = chosen;
    this.offset = ModelOutput.offset(outputs, chosen);
    this.stride = ModelOutput.rowWidth(outputs);
    this.values = values;
  }

  /** The values {@code output} gave, row-major; {@code values} is owned by the result from now on. */
  public static Predictions of(ModelOutput output, float[] values) {
    return new Predictions(List.of(output), 0, values);
  }

  /**
   * The values a model with {@code outputs} gave: per review, each output's values in turn; the predictions come
   * from {@code outputs.get(chosen)}. {@code values} is owned by the result from now on.
   */
  public static Predictions of(List<ModelOutput> outputs, int chosen, float[] values) {
    return new Predictions(outputs, chosen, values);
  }

  /** The parts in order, as one answer (a request split over batches); all come from the same outputs. */
  public static Predictions concat(List<Predictions> parts) {
    float[] all = new float[parts.stream().mapToInt(p -> p.values.length).sum()];
    int at = 0;
    for (Predictions p : parts) {
      System.arraycopy(p.values, 0, all, at, p.values.length);
      at += p.values.length;
    }
    return new Predictions(parts.get(0).outputs, parts.get(0).chosen, all);
  }

  @Override
  public Prediction get(int index) {
    ModelOutput output = output();
    List<String> names = output.classNames();
    int at = index * stride + offset;
    return switch (output.kind()) {
      case PROBABILITY -> Prediction.of(values[at], names);
      case LOGIT -> Prediction.ofLogit(values[at], names);
      case CLASS_PROBABILITIES -> Prediction.ofClasses(row(at, output.width()), names);
      case CLASS_LOGITS -> Prediction.ofClasses(softmax(row(at, output.width())), names);
    };
  }

  private double[] row(int at, int width) {
    double[] row = new double[width];
    for (int k = 0; k < width; k++) {
      row[k] = values[at + k];
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
    return values.length / stride;
  }

  /** The output the predictions come from: its name, shape and kind. */
  public ModelOutput output() {
    return outputs.get(chosen);
  }

  /** Every output the model gave, in the order its rows hold them. */
  public List<ModelOutput> outputs() {
    return outputs;
  }

  /**
   * The answer of the output named {@code name} alone: its predictions and values.
   *
   * @throws InvalidInputException when the model has no output of that name, naming those it has
   */
  public Predictions output(String name) {
    int index = indexOf(outputs, name);
    if (index < 0) {
      throw new InvalidInputException("the model has no output '" + name + "': expected one of "
          + outputs.stream().map(ModelOutput::name).collect(Collectors.joining(", ")), "output");
    }
    if (outputs.size() == 1) {
      return this;
    }
    ModelOutput output = outputs.get(index);
    int from = ModelOutput.offset(outputs, index);
    int width = output.width();
    float[] own = new float[size() * width];
    for (int i = 0; i < size(); i++) {
      System.arraycopy(values, i * stride + from, own, i * width, width);
    }
    return of(output, own);
  }

  /** Where {@code name} is in {@code outputs}, or -1. */
  static int indexOf(List<ModelOutput> outputs, String name) {
    for (int i = 0; i < outputs.size(); i++) {
      if (outputs.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Review {@code index}'s values of the chosen output as the model gave them (float32), as TF Serving answers them. */
  public float[] values(int index) {
    int at = index * stride + offset;
    return Arrays.copyOfRange(values, at, at + output().width());
  }

  /**
   * Every review's probability, in order: a binary model's probability that the review is positive, a K-class
   * model's probability of the top class ({@link Prediction#probability()}).
   */
  public float[] probabilities() {
    if (output().kind() == ModelOutput.Kind.PROBABILITY && outputs.size() == 1) {
      return values.clone();
    }
    float[] out = new float[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) get(i).probability();
    }
    return out;
  }

  /**
   * Every review's class probabilities, row-major (K per review, a logit head's softmax), as Keras' {@code
   * evaluate} sees a K-class output.
   *
   * @throws IllegalStateException for a binary output
   */
  public float[] classProbabilities() {
    if (!output().kind().multiClass()) {
      throw new IllegalStateException("output '" + output().name() + "' is binary: it has no class probabilities");
    }
    int width = output().width();
    float[] out = new float[size() * width];
    for (int i = 0; i < size(); i++) {
      double[] p = get(i).classProbabilities();
      for (int k = 0; k < width; k++) {
        out[i * width + k] = (float) p[k];
      }
    }
    return out;
  }

  /** Reviews {@code from} (inclusive) to {@code to} (exclusive), as an answer of their own. */
  public Predictions slice(int from, int to) {
    return new Predictions(outputs, chosen, Arrays.copyOfRange(values, from * stride, to * stride));
  }
}
