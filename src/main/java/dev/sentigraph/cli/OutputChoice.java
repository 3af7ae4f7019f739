package dev.sentigraph.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which output of a model gives the scores and what its classes are called, shared by {@code sentigraph predict}
 * and the Spark scoring job ({@code LoadOptions.withOutputName}, {@code withClassNames}).
 */
public final class OutputChoice {
  @Option(names = "--output-name", paramLabel = "NAME",
      description = "For a model with several outputs: the one that gives probability and label (default: the first).")
  String outputName;

  @Option(names = "--labels", paramLabel = "NAME", split = ",",
      description = "Class names, comma-separated: K for a K-class output, negative,positive for a binary one.")
  List<String> labels;

  /** The output named on the command line, or null for the model's first. */
  public String outputName() {
    return outputName;
  }

  /** The class names given, or null. */
  public List<String> labels() {
    return labels;
  }
}
