package dev.sentigraph.model;

/**
 * One output of a model, decided when its file is opened: its name (a SavedModel signature's output key, else
 * {@code probability}), its shape with -1 for the batch, and what its values are.
 */
public record ModelOutput(String name, long[] shape, Kind kind) {
  /** What an output's values mean. */
  public enum Kind {
    /** A sigmoid output: the probability that a review is positive, 0..1. */
    PROBABILITY
  }

  /** The one output of a binary sentiment model with a sigmoid head. */
  public static ModelOutput probability(String name) {
    return new ModelOutput(name, new long[] {-1, 1}, Kind.PROBABILITY);
  }
}
