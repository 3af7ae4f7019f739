package dev.sentigraph.model;

/**
 * One output of a model, decided when its file is opened: its name (a SavedModel signature's output key, else one
 * named for its kind), its shape with -1 for the batch, and what its values are.
 */
public record ModelOutput(String name, long[] shape, Kind kind) {
  /** What an output's values mean. */
  public enum Kind {
    /** A sigmoid output, {@code Dense(1, activation="sigmoid")}: the probability that a review is positive. */
    PROBABILITY("probability"),
    /** {@code Dense(1)} trained {@code from_logits=True}: a score whose sigmoid is the probability. */
    LOGIT("logit"),
    /** A softmax over K classes, {@code Dense(K, activation="softmax")}: one probability per class. */
    CLASS_PROBABILITIES("probabilities"),
    /** {@code Dense(K)} trained {@code from_logits=True}: K scores whose softmax is the class probabilities. */
    CLASS_LOGITS("logits");

    private final String defaultName;

    Kind(String defaultName) {
      this.defaultName = defaultName;
    }

    /** The output's name where the model gives none (a run folder, a Keras file). */
    public String defaultName() {
      return defaultName;
    }
  }

  /** Values per review: 1 for a binary head, K for a K-class one. */
  public int width() {
    return shape.length < 2 ? 1 : Math.toIntExact(shape[shape.length - 1]);
  }
}
