package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code GlobalAveragePooling1D} (the mean over time: the "mean embedding" model) and {@code
 * GlobalMaxPooling1D} (the maximum over time of each feature: keras.io's text CNN head).
 */
public final class GlobalPooling1dLayer implements Layer {
  private final LayerConfig config;
  private final boolean max;

  private GlobalPooling1dLayer(LayerConfig config, LayerArgs args, boolean max) {
    this.config = config;
    this.max = max;
    String format = args.getString("data_format", "channels_last");
    if (!format.equals("channels_last")) {
      throw args.error("data_format", "only channels_last is supported, got " + format);
    }
    args.requireDefault("keepdims", false);
    args.rejectUnknown();
  }

  /** Keras {@code GlobalAveragePooling1D}. */
  static GlobalPooling1dLayer average(LayerConfig config, LayerArgs args) {
    return new GlobalPooling1dLayer(config, args, false);
  }

  /** Keras {@code GlobalMaxPooling1D}. */
  static GlobalPooling1dLayer max(LayerConfig config, LayerArgs args) {
    return new GlobalPooling1dLayer(config, args, true);
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    Layer.requireSequence(inputShape, "features", "");
    return new long[] {inputShape[1]};
  }

  @Override
  public List<WeightSpec> weights(long[] inputShape) {
    return List.of();
  }

  @Override
  public Operand<TFloat32> call(LayerCall call) {
    return max ? call.tf().max(call.floatInput(), call.tf().constant(1))
        : call.tf().math.mean(call.floatInput(), call.tf().constant(1));
  }
}
