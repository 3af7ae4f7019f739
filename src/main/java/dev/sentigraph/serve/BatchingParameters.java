package dev.sentigraph.serve;

/**
 * TensorFlow Serving's batching parameters: requests queued for a model version are run together, up to
 * {@code maxBatchSize} reviews, waiting at most {@code batchTimeoutMicros} for a batch to fill; at most
 * {@code maxEnqueuedBatches} batches wait (beyond that a request is refused at once); {@code numBatchThreads}
 * batches run at a time.
 */
public record BatchingParameters(int maxBatchSize, long batchTimeoutMicros, int maxEnqueuedBatches,
    int numBatchThreads) {
  public BatchingParameters {
    if (maxBatchSize <= 0 || batchTimeoutMicros < 0 || maxEnqueuedBatches <= 0 || numBatchThreads <= 0) {
      throw new IllegalArgumentException("batching parameters must be positive (batch_timeout_micros >= 0): "
          + "max_batch_size " + maxBatchSize + ", batch_timeout_micros " + batchTimeoutMicros
          + ", max_enqueued_batches " + maxEnqueuedBatches + ", num_batch_threads " + numBatchThreads);
    }
  }

  /** TensorFlow Serving's defaults when {@code --enable_batching} comes without a parameters file. */
  public static BatchingParameters defaults() {
    return new BatchingParameters(1000, 0, 10, Runtime.getRuntime().availableProcessors());
  }
}
