package dev.sentigraph.config;

import dev.sentigraph.error.InputException;

/**
 * How a model's sessions run, where a caller wants to decide it rather than sentigraph ({@code SessionSettings}
 * and {@code BatchChains} choose from the model otherwise). A null field keeps sentigraph's choice. Loading and
 * training take these as options; nothing reads them from the environment.
 *
 * <p>TensorFlow sizes its kernel (intra-op) and inter-op thread pools once per process, from the first session
 * the process opens; later sessions share those pools. sentigraph opens every session, helpers included, with
 * the settings of the model it serves, so a process that runs one kind of model gets that model's pools.
 *
 * @param intraOpThreads threads a kernel may split its work over
 * @param interOpThreads threads running independent ops side by side
 * @param lstmChains independent batch slices the fused LSTM kernel runs side by side
 * @param rnnChains independent batch slices an unrolled recurrent layer of 32+ units runs side by side
 * @param grappler run TensorFlow's graph optimizer (off by default: it costs 10-25 s on unrolled graphs)
 */
public record ExecutionOptions(Integer intraOpThreads, Integer interOpThreads, Integer lstmChains,
    Integer rnnChains, boolean grappler) {

  /** sentigraph's choices throughout. */
  public static final ExecutionOptions DEFAULT = new ExecutionOptions(null, null, null, null, false);

  public ExecutionOptions {
    requirePositive(intraOpThreads, "intra-op thread count", "intraOpThreads");
    requirePositive(interOpThreads, "inter-op thread count", "interOpThreads");
    requirePositive(lstmChains, "LSTM chain count", "lstmChains");
    requirePositive(rnnChains, "recurrent chain count", "rnnChains");
  }

  private static void requirePositive(Integer n, String what, String option) {
    if (n != null && n <= 0) {
      throw new InputException(what + " " + n + " must be positive", option);
    }
  }

  public ExecutionOptions withThreads(Integer intraOp, Integer interOp) {
    return new ExecutionOptions(intraOp, interOp, lstmChains, rnnChains, grappler);
  }

  public ExecutionOptions withChains(Integer lstm, Integer rnn) {
    return new ExecutionOptions(intraOpThreads, interOpThreads, lstm, rnn, grappler);
  }

  public ExecutionOptions withGrappler(boolean on) {
    return new ExecutionOptions(intraOpThreads, interOpThreads, lstmChains, rnnChains, on);
  }
}
