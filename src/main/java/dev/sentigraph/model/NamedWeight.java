package dev.sentigraph.model;

import java.util.Optional;

/** A weight's values outside the graph, in Keras layout, keyed like {@link ModelVariable#path()}. */
public record NamedWeight(String path, long[] shape, float[] values) {
  /**
   * Why these values cannot serve, in one phrase ("holds NaN at index 3 of 48"); empty when every value is a
   * finite number. A model holding NaN or infinity answers NaN, never an error, so it is refused
   * where it is opened.
   */
  public Optional<String> nonFinite() {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        return Optional.of("holds " + (Float.isNaN(values[i]) ? "NaN" : values[i] > 0
            ? "+infinity" : "-infinity") + " at index " + i + " of " + values.length);
      }
    }
    return Optional.empty();
  }
}
