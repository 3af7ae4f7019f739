package dev.sentigraph.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/models/{name}[/versions/{v}|/labels/{l}]}: the versions' states as TF Serving lists them; 200 only
 * when one is AVAILABLE, so it doubles as a model's health check.
 */
final class StatusRoute implements Route {
  static final Pattern PATH = Target.path("");

  private final Servables servables;

  StatusRoute(Servables servables) {
    this.servables = servables;
  }

  @Override
  public Reply answer(RestCall call) {
    Target t = Target.of(call.match(PATH));
    call.countAs(servables.metricLabels(t, "status"));
    ServedModel model = servables.model(t);
    List<ServedVersion> listed;
    if (t.version() != null || t.label() != null) {
      Long version = t.version() != null ? t.version() : model.source().labels().get(t.label());
      ServedVersion v = version == null ? null : model.versions().get(version);
      if (v == null) {
        throw HttpError.notFound("Servable not found for request: " + t.describe());
      }
      listed = List.of(v);
    } else {
      listed = model.listed();
      if (listed.isEmpty()) {
        throw HttpError.notFound("Could not find any versions of model " + t.model());
      }
    }
    JsonArray statuses = new JsonArray();
    boolean available = false;
    for (ServedVersion v : listed) {
      JsonObject s = new JsonObject();
      s.addProperty("version", Long.toString(v.version()));
      s.addProperty("state", v.state().name());
      JsonObject st = new JsonObject();
      st.addProperty("error_code", v.errorCode());
      st.addProperty("error_message", v.errorMessage());
      s.add("status", st);
      statuses.add(s);
      available |= v.state() == ServedVersion.State.AVAILABLE;
    }
    JsonObject o = new JsonObject();
    o.add("model_version_status", statuses);
    return Reply.json(available ? 200 : 503, o);
  }
}
