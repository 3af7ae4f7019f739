package dev.sentigraph;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.data.OutputMode;
import dev.sentigraph.format.OpenRequest;
import java.nio.file.Path;
import java.util.List;

/**
 * What a caller may say about a model beyond its path; every field is optional (null: the model's own value,
 * else Keras' IMDB defaults). Build with {@link #defaults()} and the {@code with...} methods.
 *
 * @param wordIndex the word-to-rank JSON used to encode raw text (default: the run's, else
 *     {@code imdb_word_index.json} beside the default data)
 * @param numWords ids at or above this become OOV (default: the model's, else the embedding's row count)
 * @param indexFrom offset of word ranks (default: the model's, else 3)
 * @param seqLen padded length, for SavedModels whose signature fixes none
 * @param signature SavedModel signature key (default {@code serving_default}, or the only one)
 * @param inputName SavedModel input, for signatures with several
 * @param checkpoint which checkpoint of a run folder (default: best, else latest)
 * @param batchSize reviews per inference call in {@link SentimentModel#predict} (default 256)
 * @param kerasGraph keep a Keras SavedModel on Keras' own graph instead of handing over to sentigraph's
 * @param execution threads and batch chains of the model's sessions (default: sentigraph's choice for the model)
 * @param outputName the output whose values make the {@link Prediction}s, for a model with several (default: the
 *     first); every output stays reachable through {@link Predictions#output(String)}
 * @param classNames a name per class of that output (K for a K-class head; negative, then positive for a binary
 *     one), given as {@link Prediction#className()}
 * @param features what the float vector is that a model's first Dense layer reads, for a model file that cannot
 *     say ("Deep Learning with Python"'s model, fed {@code vectorize_sequences} vectors made outside it):
 *     {@link OutputMode#MULTI_HOT} (1 per word id present) or {@link OutputMode#COUNT}; sentigraph then builds it
 *     from token ids or texts. Null: such a model is refused. Models whose input is looked up in an embedding,
 *     or whose own TextVectorization says, ignore it.
 */
public record LoadOptions(Path wordIndex, Integer numWords, Integer indexFrom, Integer seqLen, String signature,
    String inputName, String checkpoint, Integer batchSize, boolean kerasGraph, ExecutionOptions execution,
    String outputName, List<String> classNames, OutputMode features) {

  public static final int DEFAULT_BATCH_SIZE = 256;

  public LoadOptions {
    execution = execution != null ? execution : ExecutionOptions.DEFAULT;
    classNames = classNames == null ? null : List.copyOf(classNames);
    if (batchSize != null && batchSize <= 0) {
      throw new InvalidInputException("batch size " + batchSize + " must be positive", "batchSize");
    }
    if (seqLen != null && seqLen <= 0) {
      throw new InvalidInputException("sequence length " + seqLen + " must be a positive number of tokens", "seqLen");
    }
    if (numWords != null && numWords < 4) {
      throw new InvalidInputException("vocabulary size " + numWords + " is too small: expected at least 4"
          + " (ids 0-2 are padding, start, OOV)", "numWords");
    }
    if (indexFrom != null && indexFrom < 0) {
      throw new InvalidInputException("index offset " + indexFrom + " must be >= 0", "indexFrom");
    }
    if (features != null && !features.madeFromIds()) {
      throw new InvalidInputException("features " + features.kerasName() + " cannot be made from token ids alone:"
          + " expected multi_hot or count (tf_idf needs the idf weights only a TextVectorization carries)",
          "features");
    }
  }

  /** No option given: everything comes from the model, else Keras' defaults. */
  public static LoadOptions defaults() {
    return new LoadOptions(null, null, null, null, null, null, null, null,
        false, ExecutionOptions.DEFAULT, null, null, null);
  }

  public LoadOptions withWordIndex(Path file) {
    return new LoadOptions(file, numWords, indexFrom, seqLen, signature, inputName, checkpoint, batchSize,
        kerasGraph, execution, outputName, classNames, features);
  }

  public LoadOptions withNumWords(Integer n) {
    return new LoadOptions(wordIndex, n, indexFrom, seqLen, signature, inputName, checkpoint, batchSize,
        kerasGraph, execution, outputName, classNames, features);
  }

  public LoadOptions withIndexFrom(Integer n) {
    return new LoadOptions(wordIndex, numWords, n, seqLen, signature, inputName, checkpoint, batchSize,
        kerasGraph, execution, outputName, classNames, features);
  }

  public LoadOptions withSeqLen(Integer n) {
    return new LoadOptions(wordIndex, numWords, indexFrom, n, signature, inputName, checkpoint, batchSize,
        kerasGraph, execution, outputName, classNames, features);
  }

  public LoadOptions withSignature(String key) {
    return new LoadOptions(wordIndex, numWords, indexFrom, seqLen, key, inputName, checkpoint, batchSize,
        kerasGraph, execution, outputName, classNames, features);
  }

  public LoadOptions withInputName(String name) {
    return new LoadOptions(wordIndex, numWords, indexFrom, seqLen, signature, name, checkpoint, batchSize,
        kerasGraph, execution, outputName, classNames, features);
  }

  public LoadOptions withCheckpoint(String name) {
    return new LoadOptions(wordIndex, numWords, indexFrom, seqLen, signature, inputName, name, batchSize,
        kerasGraph, execution, outputName, classNames, features);
  }

  public LoadOptions withBatchSize(Integer n) {
    return new LoadOptions(wordIndex, numWords, indexFrom, seqLen, signature, inputName, checkpoint, n,
        kerasGraph, execution, outputName, classNames, features);
  }

  public LoadOptions withKerasGraph(boolean keep) {
    return new LoadOptions(wordIndex, numWords, indexFrom, seqLen, signature, inputName, checkpoint, batchSize,
        keep, execution, outputName, classNames, features);
  }

  public LoadOptions withExecution(ExecutionOptions options) {
    return new LoadOptions(wordIndex, numWords, indexFrom, seqLen, signature, inputName, checkpoint, batchSize,
        kerasGraph, options, outputName, classNames, features);
  }

  public LoadOptions withOutputName(String name) {
    return new LoadOptions(wordIndex, numWords, indexFrom, seqLen, signature, inputName, checkpoint, batchSize,
        kerasGraph, execution, name, classNames, features);
  }

  public LoadOptions withClassNames(List<String> names) {
    return new LoadOptions(wordIndex, numWords, indexFrom, seqLen, signature, inputName, checkpoint, batchSize,
        kerasGraph, execution, outputName, names, features);
  }

  public LoadOptions withFeatures(OutputMode mode) {
    return new LoadOptions(wordIndex, numWords, indexFrom, seqLen, signature, inputName, checkpoint, batchSize,
        kerasGraph, execution, outputName, classNames, mode);
  }

  /** The part of these options that decides what is opened. */
  OpenRequest openRequest() {
    return new OpenRequest(checkpoint, signature, inputName, seqLen, kerasGraph, execution, features);
  }

  int batchSizeOrDefault() {
    return batchSize != null ? batchSize : DEFAULT_BATCH_SIZE;
  }
}
