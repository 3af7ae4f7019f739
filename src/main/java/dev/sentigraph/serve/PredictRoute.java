package dev.sentigraph.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.sentigraph.Predictions;
import dev.sentigraph.SentimentModel;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/models/{name}[/versions/{v}|/labels/{l}]:predict}: TF Serving's row and columnar forms, token ids
 * or review strings, answered through the version's batching queue when it has one, and request-logged as the
 * protos TF Serving's REST handler would have made of it ({@link RestPredictProtos}).
 */
final class PredictRoute implements Route {
  static final Pattern PATH = Target.path(":predict");

  private final Servables servables;
  private final BodyReader bodies;
  private final ServerSettings settings;

  PredictRoute(Servables servables, BodyReader bodies, ServerSettings settings) {
    this.servables = servables;
    this.bodies = bodies;
    this.settings = settings;
  }

  @Override
  public Reply answer(RestCall call) throws Exception {
    Target t = Target.of(call.match(PATH));
    MetricLabels labels = servables.metricLabels(t, "predict");
    call.countAs(labels);
    byte[] body = bodies.read(call.request());
    PredictRequest req;
    try {
      req = PredictRequest.parse(
          new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8), settings.maxInstances());
    } catch (HttpError e) {
      // TF Serving parses the JSON, then looks the model up, then reads the instances: a body that parses but is
      // wrong for an unknown model is that model's 404
      if (!servables.exists(t) && !e.getMessage().startsWith(PredictRequest.SYNTAX_ERROR)) {
        servables.model(t); // throws the unknown model's 404
      }
      throw e;
    }
    ServedVersion v = servables.acquire(t);
    call.countAs(labels.withVersion(v.version()));
    try {
      Predictions out = predict(v, req, call.begin());
      Signatures signatures = v.signatures();
      tensorflow.serving.Model.ModelSpec answered = RestPredictProtos.answered(t.model(), v.version(), req, signatures);
      servables.requestLogs().predict(answered, () -> RestPredictProtos.request(t, req, signatures),
          () -> RestPredictProtos.response(answered, out));
      JsonObject o = new JsonObject();
      o.add(req.columnar() ? "outputs" : "predictions", answer(out, req.columnar()));
      return Reply.json(200, o);
    } finally {
      v.release();
    }
  }

  /**
   * The predictions as TF Serving's JSON gives a model's outputs: one output's tensor as its rows; several, in the
   * row form an object per instance keyed by output name, in the columnar form an object of each output's rows.
   */
  private static JsonElement answer(Predictions out, boolean columnar) {
    if (out.outputs().size() == 1) {
      return rows(out);
    }
    List<Predictions> each = out.outputs().stream().map(o -> out.output(o.name())).toList();
    if (columnar) {
      JsonObject byName = new JsonObject();
      each.forEach(p -> byName.add(p.output().name(), rows(p)));
      return byName;
    }
    JsonArray instances = new JsonArray(out.size());
    for (int i = 0; i < out.size(); i++) {
      JsonObject instance = new JsonObject();
      for (Predictions p : each) {
        instance.add(p.output().name(), row(p.values(i)));
      }
      instances.add(instance);
    }
    return instances;
  }

  /** An output's tensor as the model gives it: one row of its last dimension per instance. */
  private static JsonArray rows(Predictions p) {
    JsonArray rows = new JsonArray(p.size());
    for (int i = 0; i < p.size(); i++) {
      rows.add(row(p.values(i)));
    }
    return rows;
  }

  private static JsonArray row(float[] values) {
    JsonArray row = new JsonArray(values.length);
    for (float value : values) {
      row.add(new JsonPrimitive(value));
    }
    return row;
  }

  /** Answers one parsed request on a held version, waiting for the answer on this thread. */
  Predictions predict(ServedVersion v, PredictRequest req, long begin) throws Exception {
    try {
      return submit(v, req, begin, Runnable::run).get();
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    }
  }

  /**
   * What a submitted predict failed with, as the REST and gRPC error mappers read it: its timeout or cancellation
   * as such, anything else (the model's failure) as the ExecutionException {@code Future.get} reports.
   */
  static Exception failure(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof TimeoutException || cause instanceof CancellationException ? (Exception) cause
        : new ExecutionException(cause);
  }

  /**
   * Checks one parsed request and starts it: queued for a batch, or run on {@code unqueued} where it is not
   * batched (this thread for REST). The gRPC API comes here too, so both check alike, and waits for no answer. The
   * future fails with a TimeoutException once the server's timeout, counted from {@code begin}, runs out; the
   * request then leaves the batching queue.
   */
  CompletableFuture<Predictions> submit(ServedVersion v, PredictRequest req, long begin, Executor unqueued) {
    CompletableFuture<Predictions> result = start(v, req, unqueued);
    long left = settings.restTimeoutMillis() * 1_000_000L - (System.nanoTime() - begin);
    if (left <= 0) {
      // without batching the model ran on this thread: an answer past the deadline is a 504, as in TF Serving
      result.cancel(false);
      return CompletableFuture.failedFuture(new TimeoutException());
    }
    return result.orTimeout(left, TimeUnit.NANOSECONDS);
  }

  private CompletableFuture<Predictions> start(ServedVersion v, PredictRequest req, Executor unqueued) {
    Signatures signatures = v.signatures();
    boolean text = signatures.takesText(req.signatureName());
    if (signatures.other(req.signatureName())) {
      return otherSignature(v.model(req.signatureName()), req, signatures, unqueued);
    }
    SentimentModel model = v.model();
    List<String> inputs = signatures.inputNames(text ? Signatures.TEXT : req.signatureName());
    if (req.inputName() != null && !inputs.contains(req.inputName())
        && !(text && req.inputName().equals(Signatures.TEXT))) {
      throw HttpError.badRequest("input '" + req.inputName() + "' is not in the signature: it takes " + inputs);
    }
    if (model.takesText()) {
      List<String> reviews = reviews(req);
      return reviews.isEmpty() ? CompletableFuture.completedFuture(model.predict(reviews))
          : v.predictTexts(reviews, unqueued);
    }
    List<int[]> ids = tokenIds(req, model, signatures.served(), text);
    return ids.isEmpty() ? CompletableFuture.completedFuture(model.predict(new int[0][]))
        : v.predictTokens(ids, unqueued);
  }

  /** A request to another signature of the model: run on the model opened at it, on {@code unqueued}. */
  private static CompletableFuture<Predictions> otherSignature(SentimentModel model, PredictRequest req,
      Signatures signatures, Executor unqueued) {
    List<String> inputs = signatures.inputNames(req.signatureName());
    if (req.inputName() != null && !inputs.contains(req.inputName())) {
      throw HttpError.badRequest("input '" + req.inputName() + "' is not in the signature: it takes " + inputs);
    }
    if (model.takesText()) {
      List<String> reviews = reviews(req);
      return CompletableFuture.supplyAsync(() -> model.predict(reviews), unqueued);
    }
    int[][] ids = tokenIds(req, model, req.signatureName(), false).toArray(int[][]::new);
    return CompletableFuture.supplyAsync(() -> model.predict(ids), unqueued);
  }

  /** The instances of a request to a model whose own graph tokenises: every signature it answers takes strings. */
  private static List<String> reviews(PredictRequest req) {
    int n = req.instances().size();
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (!(req.instances().get(i) instanceof String review)) {
        throw HttpError.badRequest("instance " + i + " is a list of token ids but the model takes review"
            + " strings (its graph tokenises them)");
      }
      texts.add(review);
    }
    return texts;
  }

  /** The instances as token ids: sent as ids, or, to the text signature, reviews encoded as the model's data. */
  private static List<int[]> tokenIds(PredictRequest req, SentimentModel model, String served, boolean text) {
    int n = req.instances().size();
    List<int[]> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object instance = req.instances().get(i);
      if (instance instanceof String review) {
        if (!text) {
          throw HttpError.badRequest("instance " + i + " is a string but signature \"" + served
              + "\" takes token ids: send raw reviews with \"signature_name\": \"" + Signatures.TEXT + "\"");
        }
        ids.add(model.encoding().ids(review));
      } else {
        if (text) {
          throw HttpError.badRequest("instance " + i + " is a list of token ids but the text signature takes"
              + " review strings");
        }
        int index = i;
        model.tokenInput().problem((int[]) instance).ifPresent(p -> {
          throw HttpError.badRequest("instance " + index + ": " + p);
        });
        ids.add((int[]) instance);
      }
    }
    return ids;
  }
}
