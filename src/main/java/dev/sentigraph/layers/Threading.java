package dev.sentigraph.layers;

/** How a layer's ops run fastest, which its session's thread pools follow. */
public enum Threading {
  /** No preference. */
  ANY,
  /** One inter-op thread per batch chain, half the cores each. */
  PER_CHAIN,
  /** TensorFlow's default pools. */
  SHARED
}
