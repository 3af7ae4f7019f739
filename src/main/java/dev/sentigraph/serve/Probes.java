package dev.sentigraph.serve;

import com.google.gson.JsonObject;

/** sentigraph's liveness and readiness probes, {@code GET /healthz} and {@code GET /readyz}, beside TF Serving's API. */
final class Probes {
  private final ModelManager models;

  Probes(ModelManager models) {
    this.models = models;
  }

  /** 200 while the process serves. */
  Reply alive(RestCall call) {
    JsonObject o = new JsonObject();
    o.addProperty("status", "alive");
    return Reply.json(200, o);
  }

  /** 200 once every configured model has an AVAILABLE version, else 503; either way each model's state. */
  Reply ready(RestCall call) {
    JsonObject o = new JsonObject();
    JsonObject states = new JsonObject();
    for (ServedModel m : models.models()) {
      ServedVersion v = m.latestAvailable();
      states.addProperty(m.name(), v != null ? "AVAILABLE (version " + v.version() + ")" : "not AVAILABLE");
    }
    o.add("models", states);
    boolean ready = models.ready();
    o.addProperty("status", ready ? "ready" : "not ready");
    if (!ready) {
      o.addProperty("error", "a configured model has no AVAILABLE version yet");
    }
    return Reply.json(ready ? 200 : 503, o);
  }
}
