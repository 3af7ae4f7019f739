package dev.sentigraph.spark;

import java.io.Serializable;

/** One padded training review on its way to a worker: its row in the training set, token ids and label. */
record Review(int index, int[] tokens, float label) implements Serializable {}
