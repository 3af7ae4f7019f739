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

  static Signatures of(SentimentModel model) {
    // the model's own, as metadata lists them; sentigraph's text signature is answered but not listed
    Map<String, Signature> all = new LinkedHashMap<>();
    model.signatures().forEach(s -> all.put(s.key(), s));
    return new Signatures(model.signatureKey(), model.takesText(), all);
  }

  /**
   * The signature a request names (null or empty: the served one), checked: true when it takes raw text.
   *
   * @throws HttpError 400 for a signature the model lacks or sentigraph does not run
   */
  boolean takesText(String requested) {
    String key = requested == null || requested.isEmpty() ? served : requested;
    if (key.equals(served) || other(key)) {
      return false;
    }
    if (key.equals(TEXT) || key.equals(SERVE_TEXT) && all.containsKey(SERVE_TEXT)) {
      return true;
    }
    if (all.containsKey(key)) {
      throw HttpError.badRequest("signature \"" + key + "\" is TensorFlow's initialisation hook, not a signature to"
          + " run: the model runs " + runnable());
    }
    throw HttpError.badRequest("Serving signature name: \"" + key + "\" not found in signature def (it has "
        + all.keySet() + ")");
  }

  /**
   * Whether {@code requested} is another signature of the model than the served one, which the version opens
   * the model at ({@link ServedVersion#model(String)}); not sentigraph's text signature, nor TF's init hook.
   */
  boolean other(String requested) {
    return requested != null && !requested.isEmpty() && !requested.equals(served) && all.containsKey(requested)
        && !requested.startsWith("__") && !(requested.equals(SERVE_TEXT) && !servedTakesText);
  }

  private List<String> runnable() {
    return all.keySet().stream().filter(k -> !k.startsWith("__")).toList();
  }

  /** The input names a request may give for a signature. */
  List<String> inputNames(String requested) {
    String key = requested == null || requested.isEmpty() ? served : requested;
    Signature s = all.get(key);
    return s != null ? s.inputs().stream().map(TensorSpec::key).toList() : List.of(TEXT);
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
