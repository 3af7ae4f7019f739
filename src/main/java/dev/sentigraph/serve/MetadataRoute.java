package dev.sentigraph.serve;

import com.google.gson.JsonObject;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/models/{name}[/versions/{v}|/labels/{l}]/metadata}: the signature defs with TF Serving's field
 * names, plus a {@code "sentigraph"} object naming the served and the text signatures.
 */
final class MetadataRoute implements Route {
  static final Pattern PATH = Target.path("/metadata");

  private final Servables servables;

  MetadataRoute(Servables servables) {
    this.servables = servables;
  }

  @Override
  public Reply answer(RestCall call) {
    Target t = Target.of(call.match(PATH));
    MetricLabels labels = servables.metricLabels(t, "metadata");
    call.countAs(labels);
    ServedVersion v = servables.acquire(t);
    try {
      call.countAs(labels.withVersion(v.version()));
      JsonObject spec = new JsonObject();
      spec.addProperty("name", t.model());
      spec.addProperty("signature_name", "");
      spec.addProperty("version", Long.toString(v.version()));
      JsonObject meta = new JsonObject();
      meta.add("signature_def", v.signatures().signatureDefJson());
      JsonObject ours = new JsonObject();
      ours.addProperty("served_signature", v.signatures().served());
      ours.addProperty("text_signature", Signatures.TEXT);
      ours.addProperty("note", "signature \"text\" is sentigraph's: raw reviews, encoded with the model's word index"
          + " as `sentigraph predict --text` does");
      ours.addProperty("seq_len", v.model().seqLen());
      JsonObject o = new JsonObject();
      o.add("model_spec", spec);
      o.add("metadata", meta);
      o.add("sentigraph", ours);
      return Reply.json(200, o);
    } finally {
      v.release();
    }
  }
}
