package dev.sentigraph;

import com.google.gson.JsonParser;
import dev.sentigraph.config.ModelConfig;

/** Small model configs the graph and session tests share. */
public final class TestModels {
  private TestModels() {}

  /**
   * A Sequential over 9 token ids: Embedding(50, 8), then {@code layers} (one or more layer configs as Keras'
   * JSON writes them, comma-separated), then Dense(1, sigmoid).
   */
  public static ModelConfig embeddingThen(String layers) {
    return ModelConfig.fromJson(JsonParser.parseString("""
        {"class_name": "Sequential", "config": {"name": "test", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 9]}},
          {"class_name": "Embedding", "config": {"input_dim": 50, "output_dim": 8}},
          %s,
          {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}""".formatted(layers))
        .getAsJsonObject(), "test");
  }
}
