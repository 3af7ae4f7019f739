package dev.sentigraph.layers;

/** How a layer's ops run fastest, which its session's thread pools follow. */
public enum Threading {
  /** No preference. */
  ANY,
  /** One inter-op thread per batch chain, half the cores each. */
  PER_CHAIN,
  /** TensorFlow's default pools. */
  SHARED,
  /**
   * Serving: slices of the batch run side by side, each on a thread of its own that runs every op of its slice
   * (no hand-offs between TF's pool threads at each of hundreds of small recurrent steps).
   */
  SLICED
}
