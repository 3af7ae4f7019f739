package dev.sentigraph;

import java.util.List;

/**
 * One review's score, whatever head the model has: a sigmoid probability, a logit, or K class probabilities.
 *
 * @param probability a binary model's probability that the review is positive, 0..1 (a logit head's sigmoid);
 *     for a K-class model, the probability of its top class
 * @param label a binary model's label, 1 when {@code probability > 0.5} (as Keras' {@code BinaryAccuracy} would
 *     give it), else 0; for a K-class model, the index of its top class
 * @param logit the score a logit head ({@code Dense(1)} trained {@code from_logits}) gave, whose sigmoid is
 *     {@code probability}; NaN for a model that gives probabilities
 * @param classProbabilities a K-class model's probability of each class (the softmax of its logits, for a head
 *     without one); null for a binary model
 * @param className the name of class {@code label} when the model's classes are named ({@link
 *     LoadOptions#withClassNames}); null otherwise
 */
public record Prediction(double probability, int label, double logit, double[] classProbabilities,
    String className) {
  /** A binary model's prediction. */
  public Prediction(double probability, int label) {
    this(probability, label, Double.NaN, null, null);
  }

  /** The prediction for a sigmoid output; the label is computed on the float, as the CLI prints it. */
  public static Prediction of(float probability) {
    return new Prediction(probability, probability > 0.5f ? 1 : 0);
  }

  /** The prediction for a sigmoid output with named classes. */
  static Prediction of(float probability, List<String> names) {
    int label = probability > 0.5f ? 1 : 0;
    return new Prediction(probability, label, Double.NaN, null, name(names, label));
  }

  /** The prediction for a logit head's score: its sigmoid is the probability. */
  static Prediction ofLogit(float logit, List<String> names) {
    float probability = (float) (1 / (1 + Math.exp(-logit)));
    int label = probability > 0.5f ? 1 : 0;
    return new Prediction(probability, label, logit, null, name(names, label));
  }

  /** The prediction for K class probabilities; the top class is the first of the highest. */
  static Prediction ofClasses(double[] probabilities, List<String> names) {
    int top = 0;
    for (int k = 1; k < probabilities.length; k++) {
      if (probabilities[k] > probabilities[top]) {
        top = k;
      }
    }
    return new Prediction(probabilities[top], top, Double.NaN, probabilities, name(names, top));
  }

  private static String name(List<String> names, int label) {
    return names == null ? null : names.get(label);
  }

  /** Whether the model has K classes rather than a positive/negative head. */
  public boolean multiClass() {
    return classProbabilities != null;
  }
}
