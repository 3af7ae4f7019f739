package dev.sentigraph.savedmodel;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.JsonInput;
import dev.sentigraph.model.TrainedModel;

/**
 * What sentigraph writes beside an exported model ({@code sentigraph.json}): the model config, how reviews were
 * turned into ids, the test metrics and the sentigraph version, so that sentigraph reads its own exports back
 * with the right data settings. Keras and TensorFlow ignore it.
 *
 * @param data null when the model came from a source that did not say
 * @param metrics test metrics from training (loss, accuracy, AUC...), or null
 */
public record ExportMetadata(String sentigraphVersion, ModelConfig config, DataSettings data, JsonObject metrics) {
  public static final String FILE_NAME = "sentigraph.json";

  public static ExportMetadata of(TrainedModel model, String version) {
    return new ExportMetadata(version, model.config(), model.data(), model.metrics());
  }

  public String toJsonString() {
    JsonObject o = new JsonObject();
    o.addProperty("sentigraph_version", sentigraphVersion);
    o.add("model", config.toJson());
    if (data != null) {
      o.add("data", data.toJson());
    }
    if (metrics != null) {
      o.add("metrics", metrics);
    }
    return new GsonBuilder().setPrettyPrinting().create().toJson(o);
  }

  /** Parses {@link #toJsonString()}'s form; {@code origin} names the file in errors. */
  public static ExportMetadata parse(String json, String origin) {
    try {
      JsonObject o = JsonInput.parse(json).getAsJsonObject();
      String version = o.has("sentigraph_version") ? o.get("sentigraph_version").getAsString() : "unknown";
      ModelConfig config = ModelConfig.fromJson(o.getAsJsonObject("model"), origin);
      DataSettings data = o.has("data") ? DataSettings.fromJson(o.getAsJsonObject("data"), origin) : null;
      JsonObject metrics = o.has("metrics") && o.get("metrics").isJsonObject() ? o.getAsJsonObject("metrics") : null;
      return new ExportMetadata(version, config, data, metrics);
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NullPointerException
        | ClassCastException e) {
      throw new InputException(origin + " is not valid sentigraph metadata: expected JSON with"
          + " 'model' and 'data'");
    }
  }
}
