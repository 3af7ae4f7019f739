package dev.sentigraph.spark;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.LoadOptions;
import dev.sentigraph.data.OutputMode;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * What executors need to load and run a model, shipped with each task: plain strings, since executors resolve
 * paths on their own machines ({@link ExecutorModels}).
 *
 * @param model the model path (run folder, {@code .keras} file, SavedModel folder), or the name of one shipped
 *     with {@code --files}/{@code --archives}
 * @param wordIndex the word-to-rank JSON for raw text, or null for the model's own, else the default lookup
 * @param batchSize reviews per inference call
 * @param executorThreads the cores each executor has, which its TensorFlow threads are held to ({@link
 *     ExecutorThreads}); null leaves TensorFlow's own pools
 * @param outputName for a model with several outputs, the one that gives the scores (null: the first)
 * @param classNames a name per class of that output ({@link dev.sentigraph.LoadOptions#classNames()}), or null
 * @param allOutputs whether every output's values go into a column of their own, by output name
 * @param features what a model's Dense input is when its file cannot say ({@link LoadOptions#features()}), or null
 */
public record ScoringConfig(String model, String wordIndex, int batchSize, Integer executorThreads,
    String outputName, List<String> classNames, boolean allOutputs, OutputMode features) implements Serializable {
  /** A config that scores with the model's first output, its classes unnamed. */
  public ScoringConfig(String model, String wordIndex, int batchSize, Integer executorThreads) {
    this(model, wordIndex, batchSize, executorThreads, null, null, false, null);
  }

  public ScoringConfig {
    classNames = classNames == null ? null : List.copyOf(classNames);
    if (model == null || model.isBlank()) {
      throw new InvalidInputException("no model given: expected the path of a run folder, a .keras file or a"
          + " SavedModel folder", "model");
    }
    if (batchSize <= 0) {
      throw new InvalidInputException("batch size " + batchSize + " must be positive", "batchSize");
    }
    if (executorThreads != null && executorThreads <= 0) {
      throw new InvalidInputException("executor threads " + executorThreads + " must be positive", "executorThreads");
    }
  }

  /** The options the executor loads the model with, the word index resolved on that machine. */
  LoadOptions loadOptions(Path resolvedWordIndex) {
    LoadOptions options = LoadOptions.defaults().withBatchSize(batchSize).withWordIndex(resolvedWordIndex)
        .withOutputName(outputName).withClassNames(classNames).withFeatures(features);
    return executorThreads == null ? options : options.withExecution(ExecutorThreads.execution(executorThreads));
  }
}
