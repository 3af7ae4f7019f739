package dev.sentigraph;

/**
 * One review's score: the model's sigmoid output and the label Keras' {@code BinaryAccuracy} would give it.
 *
 * @param probability the probability that the review is positive, 0..1
 * @param label 1 when {@code probability > 0.5}, else 0
 */
public record Prediction(double probability, int label) {
  /** The prediction for a model output; the label is computed on the float, as the CLI prints it. */
  public static Prediction of(float probability) {
    return new Prediction(probability, probability > 0.5f ? 1 : 0);
  }
}
