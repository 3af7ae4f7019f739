package dev.sentigraph.layers;

/** Keras' {@code padding} for convolutions and pooling, with TF's output-length rule. */
enum PaddingMode {
  VALID,
  SAME;

  static PaddingMode parse(LayerArgs args, String key) {
    String value = args.getString(key, "valid");
    return switch (value) {
      case "valid" -> VALID;
      case "same" -> SAME;
      default -> throw args.error(key, "expected 'valid' or 'same', got '" + value + "'");
    };
  }

  String tfName() {
    return name();
  }

  long outputLength(long steps, int window, int strides) {
    return this == SAME ? (steps + strides - 1) / strides : (steps - window) / strides + 1;
  }
}
