package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Keras layer classes sentigraph builds, by Keras class name. */
public final class LayerTypes {
  /** Makes a layer from its config; {@link LayerArgs} reports bad or unknown arguments. */
  interface Factory {
    Layer create(LayerConfig config, LayerArgs args);
  }

  private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put("Embedding", EmbeddingLayer::new);
    FACTORIES.put("Dense", DenseLayer::new);
    FACTORIES.put("Dropout", DropoutLayer::plain);
    FACTORIES.put("Flatten", FlattenLayer::new);
    FACTORIES.put("GlobalAveragePooling1D", GlobalPooling1dLayer::average);
    FACTORIES.put("GlobalMaxPooling1D", GlobalPooling1dLayer::max);
    FACTORIES.put("SpatialDropout1D", DropoutLayer::spatial);
    FACTORIES.put("Conv1D", Conv1dLayer::new);
    FACTORIES.put("MaxPooling1D", MaxPooling1dLayer::new);
    FACTORIES.put("SimpleRNN", SimpleRnnLayer::new);
    FACTORIES.put("LSTM", LstmLayer::new);
    FACTORIES.put("GRU", GruLayer::new);
    FACTORIES.put("Bidirectional", BidirectionalLayer::new);
    FACTORIES.put("Add", MergeLayer::add);
    FACTORIES.put("Multiply", MergeLayer::multiply);
    FACTORIES.put("Average", MergeLayer::average);
    FACTORIES.put("Concatenate", MergeLayer::concatenate);
  }

  private LayerTypes() {}

  /** Builds layer {@code index} of a model from its config. */
  public static Layer create(int index, LayerConfig config) {
    Factory factory = FACTORIES.get(config.className());
    LayerArgs args = new LayerArgs(index, config.className(), config.config());
    if (factory == null) {
      throw args.error(null, "unknown layer class; supported: " + String.join(", ", FACTORIES.keySet())
          + " (a custom layer runs from a SavedModel export)");
    }
    return factory.create(config, args);
  }
}
