package dev.sentigraph.serve;

import java.util.List;

/**
 * TensorFlow Serving's batching parameters: requests queued for a model version are run together, up to
 * {@code maxBatchSize} reviews, waiting at most {@code batchTimeoutMicros} for a batch to fill; at most
 * {@code maxEnqueuedBatches} batches wait (beyond that a request is refused at once); {@code numBatchThreads}
 * batches run at a time. With {@code allowedBatchSizes}, each batch is padded with empty reviews up to the
 * smallest allowed size that holds it, so the model sees a few shapes only (each new shape costs TensorFlow's
 * kernels a first-call setup); as in TF Serving the last allowed size must be {@code maxBatchSize}.
 */
public record BatchingParameters(int maxBatchSize, long batchTimeoutMicros, int maxEnqueuedBatches,
    int numBatchThreads, List<Integer> allowedBatchSizes) {
  public BatchingParameters {
    if (maxBatchSize <= 0 || batchTimeoutMicros < 0 || maxEnqueuedBatches <= 0 || numBatchThreads <= 0) {
      throw new IllegalArgumentException("batching parameters must be positive (batch_timeout_micros >= 0): "
          + "max_batch_size " + maxBatchSize + ", batch_timeout_micros " + batchTimeoutMicros
          + ", max_enqueued_batches " + maxEnqueuedBatches + ", num_batch_threads " + numBatchThreads);
    }
    allowedBatchSizes = List.copyOf(allowedBatchSizes);
    for (int i = 0; i < allowedBatchSizes.size(); i++) {
      if (allowedBatchSizes.get(i) <= 0 || i > 0 && allowedBatchSizes.get(i) <= allowedBatchSizes.get(i - 1)) {
        throw new IllegalArgumentException("allowed_batch_sizes " + allowedBatchSizes + " must be positive and increasing");
      }
    }
    if (!allowedBatchSizes.isEmpty() && allowedBatchSizes.get(allowedBatchSizes.size() - 1) != maxBatchSize) {
      throw new IllegalArgumentException("the last of allowed_batch_sizes " + allowedBatchSizes
          + " must equal max_batch_size " + maxBatchSize);
    }
  }

  /** Without allowed batch sizes: batches run at whatever size they have. */
  public BatchingParameters(int maxBatchSize, long batchTimeoutMicros, int maxEnqueuedBatches, int numBatchThreads) {
    this(maxBatchSize, batchTimeoutMicros, maxEnqueuedBatches, numBatchThreads, List.of());
  }

  /** The size a batch of {@code rows} runs at: the smallest allowed size that holds it, else {@code rows}. */
  int paddedSize(int rows) {
    for (int size : allowedBatchSizes) {
      if (size >= rows) {
        return size;
      }
    }
    return rows;
  }

  /** TensorFlow Serving's defaults when {@code --enable_batching} comes without a parameters file. */
  public static BatchingParameters defaults() {
    return new BatchingParameters(1000, 0, 10, Runtime.getRuntime().availableProcessors());
  }
}
