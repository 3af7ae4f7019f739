package dev.sentigraph.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.savedmodel.SavedModelInfo.Signature;
import dev.sentigraph.savedmodel.SavedModelInfo.TensorSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The signatures a served version answers to, for {@code /metadata} and for checking a request's
 * {@code signature_name}: a SavedModel's own (as {@code saved_model.pb} lists them), or for run folders and
 * {@code .keras} files the {@code serving_default} sentigraph's export would give them; plus sentigraph's
 * {@code text} signature (raw reviews, encoded as {@code sentigraph predict --text} does).
 *
 * @param served the signature the model runs
 * @param servedTakesText whether that signature takes review strings (the model's graph tokenises)
 * @param all every signature by key
 */
record Signatures(String served, boolean servedTakesText, Map<String, Signature> all) {
  /** sentigraph's extension: raw reviews for any model, encoded with the model's word index. */
  static final String TEXT = "text";
  /** The raw-text signature sentigraph's SavedModel export writes. */
  static final String SERVE_TEXT = "serve_text";
  private static final String PREDICT_METHOD = "tensorflow/serving/predict";

  static Signatures of(SentimentModel model) {
    Map<String, Signature> all = new LinkedHashMap<>();
    model.signatures().forEach(s -> all.put(s.key(), s));
    all.putIfAbsent(TEXT, new Signature(TEXT, PREDICT_METHOD,
        List.of(new TensorSpec("text", "text:0", "string", new long[] {-1})),
        List.of(new TensorSpec("probability", "probability:0", "float", new long[] {-1, 1}))));
    return new Signatures(model.signatureKey(), model.takesText(), all);
  }

  /**
   * The signature a request names (null or empty: the served one), checked: true when it takes raw text.
   *
   * @throws HttpError 400 for a signature the model lacks or sentigraph does not run
   */
  boolean takesText(String requested) {
    String key = requested == null || requested.isEmpty() ? served : requested;
    if (key.equals(served)) {
      return false;
    }
    if (key.equals(TEXT) || key.equals(SERVE_TEXT) && all.containsKey(SERVE_TEXT)) {
      return true;
    }
    if (all.containsKey(key)) {
      throw HttpError.badRequest("signature \"" + key + "\" is not served: sentigraph runs \"" + served
          + "\" (" + (servedTakesText ? "raw reviews" : "token ids") + ") and \"" + TEXT + "\" (raw reviews)");
    }
    throw HttpError.badRequest("Serving signature name: \"" + key + "\" not found in signature def (it has "
        + all.keySet() + ")");
  }

  /** The input names a request may give for a signature. */
  List<String> inputNames(String requested) {
    String key = requested == null || requested.isEmpty() ? served : requested;
    return all.get(key).inputs().stream().map(TensorSpec::key).toList();
  }

  /** TensorFlow Serving's {@code signature_def} map, as {@code GetModelMetadata} prints it. */
  JsonObject signatureDefJson() {
    JsonObject defs = new JsonObject();
    all.forEach((key, s) -> {
      JsonObject def = new JsonObject();
      def.add("inputs", tensors(s.inputs()));
      def.add("outputs", tensors(s.outputs()));
      def.addProperty("method_name", s.method());
      defs.add(key, def);
    });
    JsonObject out = new JsonObject();
    out.add("signature_def", defs);
    return out;
  }

  private static JsonObject tensors(List<TensorSpec> specs) {
    JsonObject out = new JsonObject();
    for (TensorSpec t : specs) {
      JsonObject info = new JsonObject();
      info.addProperty("dtype", "DT_" + t.dtype().toUpperCase(Locale.ROOT));
      JsonObject shape = new JsonObject();
      JsonArray dims = new JsonArray();
      for (long d : t.shape()) {
        JsonObject dim = new JsonObject();
        dim.addProperty("size", Long.toString(d));
        dim.addProperty("name", "");
        dims.add(dim);
      }
      shape.add("dim", dims);
      shape.addProperty("unknown_rank", false);
      info.add("tensor_shape", shape);
      info.addProperty("name", t.tensorName());
      out.add(t.key(), info);
    }
    return out;
  }
}
