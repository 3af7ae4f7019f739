package dev.sentigraph.runtime;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves a model whose input takes any length ({@code shape=(None,)}): each call runs at the length of the rows it
 * is given, in an {@link InferenceSession} built for that length (the recurrent layers are unrolled, so a graph
 * has one length). The few most recent lengths stay built; calls are serialised so that none runs in a session
 * being closed.
 */
public final class AnyLengthSession implements Predictor {
  /** Built sessions kept: a batch of reviews padded to its longest row makes lengths repeat little. */
  private static final int KEPT = 4;

  private final ModelConfig config;
  private final List<NamedWeight> weights;
  private final ExecutionOptions options;
  private final Map<Integer, InferenceSession> sessions = new LinkedHashMap<>(8, 0.75f, true);
  private boolean closed;

  public AnyLengthSession(ModelConfig config, List<NamedWeight> weights, ExecutionOptions options) {
    if (!config.anyLength()) {
      throw new IllegalArgumentException("model '" + config.name() + "' has a fixed length: use InferenceSession");
    }
    this.config = config;
    this.weights = new ArrayList<>(weights);
    this.options = options;
    SequentialModel.of(config); // the layers must fit at some length before any call
  }

  /** {@link ModelConfig#ANY_LENGTH}: callers pad each batch to its longest row. */
  @Override
  public int seqLen() {
    return ModelConfig.ANY_LENGTH;
  }

  @Override
  public synchronized float[] predict(int[] tokens, int rows) {
    if (closed) {
      throw new IllegalStateException("model '" + config.name() + "' is closed");
    }
    if (rows == 0) {
      return new float[0];
    }
    int length = tokens.length / rows;
    InferenceSession session = sessions.get(length);
    if (session == null) {
      session = new InferenceSession(config.withSeqLen(length), weights, options);
      sessions.put(length, session);
      if (sessions.size() > KEPT) {
        var eldest = sessions.entrySet().iterator().next();
        eldest.getValue().close();
        sessions.remove(eldest.getKey());
      }
    }
    return session.predict(tokens, rows);
  }

  @Override
  public synchronized void close() {
    closed = true;
    sessions.values().forEach(InferenceSession::close);
    sessions.clear();
  }
}
