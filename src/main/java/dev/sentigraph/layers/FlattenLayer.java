package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras {@code Flatten}: one feature vector per example. */
public final class FlattenLayer implements Layer {
  private final LayerConfig config;

  FlattenLayer(LayerConfig config, LayerArgs args) {
    this.config = config;
    args.getString("data_format", null);
    args.rejectUnknown();
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    long n = 1;
    for (long d : inputShape) {
      n *= d;
    }
    return new long[] {n};
  }

  @Override
  public List<WeightSpec> weights(long[] inputShape) {
    return List.of();
  }

  @Override
  public Operand<TFloat32> call(LayerCall call) {
    long n = outputShape(call.inputShape())[0];
    return call.tf().reshape(call.floatInput(), call.tf().constant(new long[] {-1, n}));
  }
}
