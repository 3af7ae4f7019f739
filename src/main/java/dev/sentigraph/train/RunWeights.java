package dev.sentigraph.train;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.layers.GraphMode;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.runtime.SessionSettings;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/** A run folder's model: its config and settings with the weights restored from one of its checkpoints. */
public final class RunWeights {
  private RunWeights() {}

  /**
   * The weights of checkpoint {@code which} ({@code best} when null and there is one, else the latest), read in
   * a session with the model's serving settings: it may be the process's first, which sizes TF's thread pools.
   */
  public static TrainedModel read(RunFolder run, String which, ExecutionOptions options) {
    RunFolder.Checkpoint c = run.checkpointOrPreferred(which);
    ModelConfig config = run.config();
    List<NamedWeight> weights;
    try (Graph g = new Graph(); Session s = new Session(g, SessionSettings.of(config, GraphMode.SERVE, options))) {
      var model = SequentialModel.of(config).build(Ops.create(g), 0);
      s.restore(c.prefix().toString());
      weights = model.readWeights(s);
    }
    return new TrainedModel(config, weights, run.dataSettings(), run.wordIndexFile(), run.metrics(),
        run.textVectorization(config));
  }
}
