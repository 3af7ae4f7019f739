package dev.sentigraph.data;

/** One raw review with its label (1 positive, 0 negative). */
public record LabeledText(String text, int label) {}
