package dev.sentigraph.model;

/** A weight's values outside the graph, in Keras layout, keyed like {@link ModelVariable#path()}. */
public record NamedWeight(String path, long[] shape, float[] values) {}
