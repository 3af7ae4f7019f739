package dev.sentigraph.keras;

import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.layers.Layer;
import dev.sentigraph.layers.WeightSpec;
import dev.sentigraph.model.SequentialModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where Keras 3 keeps a Sequential model's weights in {@code model.weights.h5}. Keras names each layer's group
 * after its class, not its name ({@code layers/lstm}, then {@code layers/lstm_1} for a second LSTM), and stores
 * the weights as datasets {@code 0, 1, ...} in the layer's weight order, under {@code vars} (or the cell's
 * {@code cell/vars} for recurrent layers). A Functional model's groups were worked out when its config was read
 * ({@link dev.sentigraph.config.LayerGraph}).
 */
public final class KerasWeightLayout {
  /** One layer's place in the file. */
  public record Entry(int layerIndex, Layer layer, String group, List<WeightSpec> weights, long[] inputShape) {
    /** The group holding the layer's own weights (a wrapper such as Bidirectional has several: see datasetPath). */
    public String weightsGroup() {
      return group + "/" + layer.kerasWeightsGroup();
    }

    public String datasetPath(int weight) {
      return group + "/" + layer.kerasWeightPath(weight, inputShape);
    }

    /** The groups that hold the datasets, each with how many of the layer's weights it holds, in order. */
    public java.util.Map<String, Integer> datasetGroups() {
      java.util.Map<String, Integer> groups = new java.util.LinkedHashMap<>();
      for (int i = 0; i < weights.size(); i++) {
        String path = datasetPath(i);
        groups.merge(path.substring(0, path.lastIndexOf('/')), 1, Integer::sum);
      }
      return groups;
    }

    /** The key sentigraph uses for this weight ({@code lstm/kernel}). */
    public String weightPath(int weight) {
      return layer.name() + "/" + weights.get(weight).name();
    }
  }

  private KerasWeightLayout() {}

  public static List<Entry> of(SequentialModel model) {
    Map<String, Integer> used = new HashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      String group;
      if (model.config().graph() != null) {
        group = model.config().graph().weightGroups().get(i);
      } else {
        String base = ModelConfig.snakeCase(layer.className());
        Integer n = used.merge(base, 0, (old, zero) -> old + 1);
        group = "layers/" + (n == 0 ? base : base + "_" + n);
      }
      entries.add(new Entry(i, layer, group, model.weights(i), model.inputShape(i)));
    }
    return entries;
  }
}
