package dev.sentigraph.serve;

/** Finds the model and version a request targets, with TensorFlow Serving's 404 when there is none. */
final class Servables {
  private final ModelManager models;

  Servables(ModelManager models) {
    this.models = models;
  }

  ServedModel model(Target t) {
    ServedModel model = models.model(t.model());
    if (model == null) {
      throw HttpError.notFound("Servable not found for request: " + t.describe());
    }
    return model;
  }

  /** The version a request asks for, held for the request: release it when done. */
  ServedVersion acquire(Target t) {
    ServedModel model = model(t);
    for (int attempt = 0; attempt < 3; attempt++) {
      ServedVersion v;
      if (t.version() != null) {
        v = model.versions().get(t.version());
      } else if (t.label() != null) {
        Long labelled = model.source().labels().get(t.label());
        if (labelled == null) {
          // TF Serving's ServerCore::GetModelVersionForLabel: InvalidArgument, so 400
          throw HttpError.badRequest("Unrecognized servable version label: " + t.label() + " (model " + t.model()
              + " has " + model.source().labels().keySet() + ")");
        }
        v = model.versions().get(labelled);
      } else {
        v = model.latestAvailable();
      }
      if (v == null) {
        break;
      }
      if (v.acquire()) {
        return v;
      }
      if (t.version() != null || t.label() != null) {
        break;
      }
      // the latest version was unloaded between lookup and acquire: a newer one is AVAILABLE
    }
    throw HttpError.notFound("Servable not found for request: " + t.describe());
  }

  /** The models' request loggers, as the current config sets them. */
  RequestLogs requestLogs() {
    return models.requestLogs();
  }

  /** Whether a model of the target's name is configured. */
  boolean exists(Target t) {
    return models.model(t.model()) != null;
  }

  /** Unknown names share one label, so requests for made-up models cannot grow the metrics without bound. */
  MetricLabels metricLabels(Target t, String api) {
    return new MetricLabels(models.model(t.model()) != null ? t.model() : "(unknown)", "", api);
  }
}
