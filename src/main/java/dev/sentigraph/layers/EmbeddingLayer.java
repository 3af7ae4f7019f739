package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Keras {@code Embedding}: a lookup of one row per token id. */
public final class EmbeddingLayer implements Layer {
  private final LayerConfig config;
  private final int inputDim;
  private final int outputDim;
  private final InitializerSpec initializer;

  EmbeddingLayer(LayerConfig config, LayerArgs args) {
    this.config = config;
    this.inputDim = args.requirePositiveInt("input_dim");
    this.outputDim = args.requirePositiveInt("output_dim");
    this.initializer = args.getInitializer("embeddings_initializer", InitializerSpec.EMBEDDING_UNIFORM);
    args.requireDefault("mask_zero", false);
    args.requireDefault("embeddings_regularizer", null);
    args.requireDefault("embeddings_constraint", null);
    args.requireDefault("activity_regularizer", null);
    args.requireDefault("lora_rank", null);
    args.getInt("input_length", 0); // Keras 2 wrote it; the input shape already says it
    args.rejectUnknown();
  }

  public int inputDim() {
    return inputDim;
  }

  public int outputDim() {
    return outputDim;
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    if (inputShape.length != 1) {
      throw new dev.sentigraph.error.InputException("expected token ids of shape"
          + " [seq_len], got " + java.util.Arrays.toString(inputShape));
    }
    return new long[] {inputShape[0], outputDim};
  }

  @Override
  public List<WeightSpec> weights(long[] inputShape) {
    return List.of(new WeightSpec("embeddings", new long[] {inputDim, outputDim}, initializer, true));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Operand<TFloat32> call(LayerCall call) {
    Operand<TInt32> ids = call.input().type() == TInt32.class
        ? (Operand<TInt32>) call.input()
        : call.tf().dtypes.cast(call.input(), TInt32.class);
    return call.tf().gather(call.weights().get(0), ids, call.tf().constant(0));
  }
}
