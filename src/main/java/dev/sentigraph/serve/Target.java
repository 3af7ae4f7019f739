package dev.sentigraph.serve;

import java.util.regex.Matcher;

/** Which model version a request asks for: a version number, a label, or neither (the latest). */
record Target(String model, Long version, String label) {
  /** The target in a path matched by a route's pattern, whose groups 1-3 are the name, version and label. */
  static Target of(Matcher matched) {
    Long version = null;
    if (matched.group(2) != null) {
      try {
        version = Long.parseLong(matched.group(2));
      } catch (NumberFormatException e) {
        throw HttpError.badRequest("Failed to convert version: " + matched.group(2) + " to numeric.");
      }
    }
    return new Target(matched.group(1), version, matched.group(3));
  }

  /** TensorFlow Serving's words for it: {@code Specific(imdb, 7)}, {@code Label(imdb, canary)}, {@code Latest(imdb)}. */
  String describe() {
    return version != null ? "Specific(" + model + ", " + version + ")"
        : label != null ? "Label(" + model + ", " + label + ")" : "Latest(" + model + ")";
  }
}
