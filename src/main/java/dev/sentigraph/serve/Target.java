package dev.sentigraph.serve;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which model version a request asks for: a version number, a label, or neither (the latest). */
record Target(String model, Long version, String label) {
  /**
   * TF Serving's {@code /v1/models/{name}[/versions/{v}|/labels/{l}]} followed by {@code suffix}, in any letter case;
   * groups 1-3 are the name, version and label.
   */
  static Pattern path(String suffix) {
    return Pattern.compile("(?i)/v1/models/([^/:]+)(?:/versions/(\\d+)|/labels/([^/:]+))?" + suffix);
  }

  /** The target in a path matched by {@link #path}. */
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
