package dev.sentigraph.model;

import dev.sentigraph.error.InputException;
import java.util.List;

/**
 * One output of a model, decided when its file is opened: its name (a SavedModel signature's output key, a Keras
 * output layer's name, else one named for its kind), its shape with -1 for the batch, what its values are, and the
 * names of its classes when the caller gave them.
 *
 * @param classNames a name per class (K for a K-class head; negative then positive for a binary one), or null
 */
public record ModelOutput(String name, long[] shape, Kind kind, List<String> classNames) {
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

    /** Whether the output scores K classes rather than one positive/negative value. */
    public boolean multiClass() {
      return this == CLASS_PROBABILITIES || this == CLASS_LOGITS;
    }
  }

  public ModelOutput {
    classNames = classNames == null ? null : List.copyOf(classNames);
  }

  /** An output whose classes have no names. */
  public ModelOutput(String name, long[] shape, Kind kind) {
    this(name, shape, kind, null);
  }

  /** Values per review: 1 for a binary head, K for a K-class one. */
  public int width() {
    return shape.length < 2 ? 1 : Math.toIntExact(shape[shape.length - 1]);
  }

  /**
   * Where output {@code index} of {@code outputs} starts in a review's row, which holds each output's values in
   * turn.
   */
  public static int offset(List<ModelOutput> outputs, int index) {
    return outputs.subList(0, index).stream().mapToInt(ModelOutput::width).sum();
  }

  /** Values a review's row holds: every output's, in turn. */
  public static int rowWidth(List<ModelOutput> outputs) {
    return offset(outputs, outputs.size());
  }

  /** Classes the output tells apart: K for a K-class head, 2 (negative, positive) for a binary one. */
  public int classes() {
    return kind.multiClass() ? width() : 2;
  }

  /**
   * This output with its classes named {@code names}, one per class in order.
   *
   * @throws InputException when the count does not match the output's classes
   */
  public ModelOutput withClassNames(List<String> names) {
    if (names.size() != classes()) {
      throw new InputException(names.size() + " class names " + names + " for output '" + name + "' of "
          + classes() + " classes: expected " + classes() + " names" + (kind.multiClass() ? ""
          : " (negative, then positive)"));
    }
    return new ModelOutput(name, shape, kind, names);
  }
}
