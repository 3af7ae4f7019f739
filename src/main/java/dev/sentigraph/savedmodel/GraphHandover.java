package dev.sentigraph.savedmodel;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.runtime.InferenceSession;
import dev.sentigraph.runtime.NativeMemory;
import dev.sentigraph.runtime.Predictor;
import java.util.concurrent.CompletableFuture;

/**
 * Serves a Keras SavedModel from Keras' own graph at once, while a background thread reads its variables and,
 * when they spell a model sentigraph builds ({@link KerasGraphRebuild}), builds and checks sentigraph's graph;
 * once that agrees with Keras' graph it serves every later call (the lstm model: about twice Keras'
 * reviews/s). Loading stays as fast as Keras' graph alone, and a rebuilt model that disagrees never answers.
 * The build only reads Keras' session (its read ops exist from load on), so callers may predict meanwhile;
 * why a build failed is logged once, at level WARNING, and kept for {@link #rebuildFailure()}.
 */
public final class GraphHandover implements Predictor {
  private static final System.Logger LOG = System.getLogger(GraphHandover.class.getName());
  private final SavedModelPredictor keras;
  private final CompletableFuture<InferenceSession> rebuilt;
  private volatile Predictor current;
  /** Set by {@link #close}: the build stops at its next step instead of finishing for nobody. */
  private volatile boolean closing;

  public GraphHandover(SavedModelPredictor keras, ExecutionOptions options) {
    this.keras = keras;
    this.current = keras;
    this.rebuilt = CompletableFuture.supplyAsync(() -> {
      KerasGraphRebuild.Rebuilt model = KerasGraphRebuild.recognise(keras.variables(KerasGraphRebuild::isWeightName),
          keras.seqLen()).orElse(null);
      if (model == null || closing) {
        return null;
      }
      InferenceSession s = new InferenceSession(model.config(), model.weights(), options);
      int vocabulary = (int) model.weights().get(0).shape()[0];
      if (closing || !KerasGraphRebuild.agrees(keras, s, vocabulary)) {
        s.close();
        return null;
      }
      current = s;
      NativeMemory.releaseFreed();
      return s;
    });
    rebuilt.whenComplete((s, e) -> {
      if (e != null && !closing) {
        LOG.log(System.Logger.Level.WARNING, "sentigraph: serving " + keras + " from Keras' graph: rebuilding"
            + " sentigraph's graph failed: " + e.getMessage());
      }
    });
  }

  /** Why the background build failed, or null (not recognised or disagreeing models are no failure). */
  public Throwable rebuildFailure() {
    try {
      rebuilt.join();
      return null;
    } catch (RuntimeException e) {
      return e.getCause() != null ? e.getCause() : e;
    }
  }

  /**
   * Waits for the background build; true when sentigraph's graph now serves, false when the model is not one
   * sentigraph rebuilds, disagreed with Keras' graph or failed to build (Keras' graph serves on).
   */
  @Override
  public boolean awaitOwnGraph() {
    try {
      return rebuilt.join() != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Keras' own graph, which serves until the handover and holds the SavedModel's variables. */
  public SavedModelPredictor kerasGraph() {
    return keras;
  }

  @Override
  public int seqLen() {
    return keras.seqLen();
  }

  @Override
  public float[] predict(int[] tokens, int rows) {
    return current.predict(tokens, rows);
  }

  /** Waits only for the build step under way (it may be using Keras' session), then closes both graphs. */
  @Override
  public void close() {
    closing = true;
    try {
      InferenceSession s = rebuilt.exceptionally(e -> null).join();
      if (s != null) {
        s.close();
      }
    } finally {
      keras.close();
    }
  }
}
