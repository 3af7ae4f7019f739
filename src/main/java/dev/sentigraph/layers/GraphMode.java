package dev.sentigraph.layers;

/** What a model's graph is built for, and so what its session runs: layers pick their ops and threads by it. */
public enum GraphMode {
  /** Training steps: forward, backward and optimizer updates. */
  TRAIN,
  /** Scoring a dataset in large batches. */
  EVALUATE,
  /** Answering prediction calls. */
  SERVE
}
