package dev.sentigraph.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * How the layers of a Functional model (or of a model with nested models) are wired, once nested models are
 * flattened into one list in topological order: each layer's inputs, where Keras keeps its weights in a
 * {@code .keras} file, and the model's Keras JSON as read (written back unchanged on export). A plain Sequential
 * model has no LayerGraph: each layer reads the previous one.
 *
 * @param inputs per layer, the indices of the layers it reads, in call order; -1 is the model's input
 * @param weightGroups per layer, its h5 group in {@code model.weights.h5} ({@code layers/sequential/layers/lstm})
 * @param source the model's Keras JSON ({@code {"class_name": "Functional", "config": ...}})
 * @param textVectorization the config of a TextVectorization layer that turns the model's string input into the
 *     ids the layers read, or null when the model takes token ids; it runs outside the graph
 *     ({@link dev.sentigraph.data.KerasTextVectorization})
 * @param textVectorizationGroup where that layer sits in the archive ({@code layers/text_vectorization}; its
 *     vocabulary is under {@code assets/} + this), or null
 * @param outputs the model's outputs, as layer indices in Keras' order (one, or several named heads)
 */
public record LayerGraph(List<int[]> inputs, List<String> weightGroups, JsonObject source,
    JsonObject textVectorization, String textVectorizationGroup, List<Integer> outputs) {
  public LayerGraph {
    outputs = List.copyOf(outputs);
    inputs = List.copyOf(inputs);
    weightGroups = List.copyOf(weightGroups);
    source = source.deepCopy();
  }

  @Override
  public JsonObject textVectorization() {
    return textVectorization == null ? null : textVectorization.deepCopy();
  }

  @Override
  public JsonObject source() {
    return source.deepCopy();
  }

  /**
   * The same graph with the model input's declared length set to {@code seqLen} (null: variable); for a model
   * that reads text, its TextVectorization's {@code output_sequence_length} (the string input has no length).
   */
  public LayerGraph withSeqLen(Integer seqLen) {
    JsonObject copy = source.deepCopy();
    JsonObject config = copy.getAsJsonObject("config");
    if (textVectorization != null) {
      JsonObject vectorization = textVectorization.deepCopy();
      vectorization.addProperty("output_sequence_length", seqLen);
      for (JsonElement e : config.getAsJsonArray("layers")) {
        JsonObject layer = e.getAsJsonObject();
        if (layer.get("class_name").getAsString().equals("TextVectorization")) {
          layer.getAsJsonObject("config").addProperty("output_sequence_length", seqLen);
        }
      }
      return new LayerGraph(inputs, weightGroups, copy, vectorization, textVectorizationGroup, outputs);
    }
    for (JsonElement e : config.getAsJsonArray("layers")) {
      JsonObject layer = e.getAsJsonObject();
      if (!layer.get("class_name").getAsString().equals("InputLayer")) {
        continue;
      }
      JsonObject inputConfig = layer.getAsJsonObject("config");
      for (String key : List.of("batch_shape", "batch_input_shape")) {
        if (inputConfig.has(key)) {
          JsonArray shape = new JsonArray();
          shape.add(JsonNull.INSTANCE);
          if (seqLen == null) {
            shape.add(JsonNull.INSTANCE);
          } else {
            shape.add(seqLen);
          }
          inputConfig.add(key, shape);
        }
      }
    }
    return new LayerGraph(inputs, weightGroups, copy, textVectorization, textVectorizationGroup, outputs);
  }
}
