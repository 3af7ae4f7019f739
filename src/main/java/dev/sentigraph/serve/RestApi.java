package dev.sentigraph.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.data.TextEncoding;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * TensorFlow Serving's REST API on a Jetty handler: {@code :predict}, {@code :classify} / {@code :regress}
 * (refused: the models have no tf.Example signature), model status and metadata, with TF Serving's paths,
 * bodies and error bodies; plus {@code /healthz}, {@code /readyz} and the Prometheus metrics.
 */
final class RestApi extends Handler.Abstract {
  private static final Pattern PREDICT = Pattern.compile(
      "(?i)/v1/models/([^/:]+)(?:/versions/(\\d+)|/labels/([^/:]+))?:(classify|regress|predict)");
  private static final Pattern STATUS = Pattern.compile(
      "(?i)/v1/models/([^/:]+)(?:/versions/(\\d+)|/labels/([^/:]+))?(/metadata)?");

  private final ModelManager models;
  private final ServerSettings settings;
  private final ServeMetrics metrics;
  private final BodyReader bodies;
  private final ExceptionMapper errors;

  RestApi(ModelManager models, ServerSettings settings, ServeMetrics metrics) {
    this.models = models;
    this.settings = settings;
    this.metrics = metrics;
    this.bodies = new BodyReader(settings.maxBodyBytes());
    this.errors = new ExceptionMapper(settings);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    RestCall call = new RestCall(request);
    // Jetty fails a request whose connection idles out, and cuts idle timeouts to 1 s when stopping; a request
    // waiting for its batch is bounded by rest_api_timeout (504) instead. Slow body reads still time out.
    request.addIdleTimeoutListener(timeout -> false);
    Reply reply;
    try {
      reply = route(call);
    } catch (Exception e) {
      reply = errors.reply(e);
    }
    call.countAnswer(metrics, reply.status());
    response.setStatus(reply.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
    return true;
  }

  private Reply route(RestCall call) throws Exception {
    String method = call.request().getMethod();
    String path = call.path();
    boolean get = method.equals("GET");
    if (get && path.equals("/healthz")) {
      JsonObject o = new JsonObject();
      o.addProperty("status", "alive");
      return Reply.json(200, o);
    }
    if (get && path.equals("/readyz")) {
      return readiness();
    }
    if (get && settings.metricsPath() != null && path.equals(settings.metricsPath())) {
      return new Reply(200, ServeMetrics.contentType(), metrics.scrape());
    }
    Matcher m = PREDICT.matcher(path);
    if (method.equals("POST") && m.matches()) {
      Target t = Target.of(m);
      String api = m.group(4).toLowerCase();
      MetricLabels labels = labels(t, api);
      call.countAs(labels);
      byte[] body = bodies.read(call.request());
      if (!api.equals("predict")) {
        model(t);
        throw HttpError.badRequest("the model has no tf.Example signature for :" + api + " (sentigraph models take"
            + " token ids or text): use :predict");
      }
      return predict(t, body, call, labels);
    }
    m = STATUS.matcher(path);
    if (get && m.matches()) {
      Target t = Target.of(m);
      MetricLabels labels = labels(t, m.group(4) != null ? "metadata" : "status");
      call.countAs(labels);
      return m.group(4) != null ? metadata(t, call, labels) : status(t);
    }
    if (path.regionMatches(true, 0, "/v1/", 0, 4)) {
      throw HttpError.badRequest("Malformed request: " + method + " " + path);
    }
    throw HttpError.notFound("not found: " + method + " " + path + " (the API is under /v1/models/)");
  }

  /** Unknown names share one label, so requests for made-up models cannot grow the metrics without bound. */
  private MetricLabels labels(Target t, String api) {
    return new MetricLabels(models.model(t.model()) != null ? t.model() : "(unknown)", "", api);
  }

  private ServedModel model(Target t) {
    ServedModel model = models.model(t.model());
    if (model == null) {
      throw HttpError.notFound("Servable not found for request: " + t.describe());
    }
    return model;
  }

  /** The version a request asks for, held for the request: release it when done. */
  private ServedVersion acquire(Target t) {
    ServedModel model = model(t);
    for (int attempt = 0; attempt < 3; attempt++) {
      ServedVersion v;
      if (t.version() != null) {
        v = model.versions().get(t.version());
      } else if (t.label() != null) {
        Long labelled = model.source().labels().get(t.label());
        if (labelled == null) {
          throw HttpError.notFound("Unrecognized servable version label: " + t.label() + " (model " + t.model()
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

  private Reply predict(Target t, byte[] body, RestCall call, MetricLabels labels) throws Exception {
    PredictRequest req = PredictRequest.parse(
        new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8), settings.maxInstances());
    ServedVersion v = acquire(t);
    call.countAs(labels.withVersion(v.version()));
    try {
      SentimentModel model = v.model();
      Signatures signatures = v.signatures();
      boolean text = signatures.takesText(req.signatureName());
      List<String> inputs = signatures.inputNames(text ? Signatures.TEXT : req.signatureName());
      if (req.inputName() != null && !inputs.contains(req.inputName())
          && !(text && req.inputName().equals(Signatures.TEXT))) {
        throw HttpError.badRequest("input '" + req.inputName() + "' is not in the signature: it takes " + inputs);
      }
      int n = req.instances().size();
      float[] out;
      if (model.takesText()) {
        // the model's own graph tokenises: every signature it answers takes review strings
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          if (!(req.instances().get(i) instanceof String review)) {
            throw HttpError.badRequest("instance " + i + " is a list of token ids but the model takes review"
                + " strings (its graph tokenises them)");
          }
          texts.add(review);
        }
        out = n == 0 ? new float[0] : await(v.predictTexts(texts), call.begin());
      } else {
        TextEncoding encoding = model.encoding();
        List<int[]> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          Object instance = req.instances().get(i);
          if (instance instanceof String review) {
            if (!text) {
              throw HttpError.badRequest("instance " + i + " is a string but signature \"" + signatures.served()
                  + "\" takes token ids: send raw reviews with \"signature_name\": \"" + Signatures.TEXT + "\"");
            }
            ids.add(encoding.ids(review));
          } else {
            if (text) {
              throw HttpError.badRequest("instance " + i + " is a list of token ids but the text signature takes"
                  + " review strings");
            }
            checkIds((int[]) instance, i, v.vocabulary());
            ids.add((int[]) instance);
          }
        }
        out = n == 0 ? new float[0] : await(v.predictTokens(ids), call.begin());
      }
      JsonArray rows = new JsonArray(n);
      for (float p : out) {
        JsonArray row = new JsonArray(1);
        row.add(new JsonPrimitive(p));
        rows.add(row);
      }
      JsonObject o = new JsonObject();
      o.add(req.columnar() ? "outputs" : "predictions", rows);
      return Reply.json(200, o);
    } finally {
      v.release();
    }
  }

  private static void checkIds(int[] ids, int instance, int vocabulary) {
    for (int j = 0; j < ids.length; j++) {
      if (ids[j] < 0 || vocabulary > 0 && ids[j] >= vocabulary) {
        throw HttpError.badRequest("instance " + instance + " token " + j + " is id " + ids[j] + ": expected ids 0.."
            + (vocabulary > 0 ? vocabulary - 1 : "") + " (the model's vocabulary)");
      }
    }
  }

  private float[] await(CompletableFuture<float[]> result, long begin)
      throws InterruptedException, ExecutionException, TimeoutException {
    long left = settings.restTimeoutMillis() * 1_000_000L - (System.nanoTime() - begin);
    try {
      return result.get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      result.cancel(false); // so that it leaves the batching queue at once
      throw e;
    }
  }

  private Reply status(Target t) {
    ServedModel model = model(t);
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

  private Reply metadata(Target t, RestCall call, MetricLabels labels) {
    ServedVersion v = acquire(t);
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

  private Reply readiness() {
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
