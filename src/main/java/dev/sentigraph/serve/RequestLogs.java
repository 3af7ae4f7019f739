package dev.sentigraph.serve;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tensorflow.serving.Logging.LogMetadata;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionLogOuterClass.PredictLog;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;

/**
 * The server's request loggers, as TF Serving's {@code ServerRequestLogger}: one per distinct {@code logging_config}
 * (models with equal configs share it), replaced as a whole when the model config is reloaded; a logger whose
 * config is unchanged keeps running (and writing the same file), one no longer configured is closed.
 */
final class RequestLogs implements AutoCloseable {
  /** TF Serving's {@code kSavedModelTagServe}: sentigraph loads a SavedModel's serving meta graph only. */
  private static final String SERVE_TAG = "serve";

  private final RequestLogSettings settings;
  private final RequestLogger.Counts counts;
  private final Consumer<String> log;
  /** Replaced whole on reload, so that requests read it without a lock. */
  private volatile Map<String, RequestLogger> byModel = Map.of();
  private Map<RequestLogConfig, RequestLogger> byConfig = new HashMap<>();

  RequestLogs(RequestLogSettings settings, RequestLogger.Counts counts, Consumer<String> log) {
    this.settings = settings;
    this.counts = counts;
    this.log = log;
  }

  /** Applies the loggers of a (re)loaded model config. */
  synchronized void update(List<ModelSource> models) {
    Map<RequestLogConfig, RequestLogger> configs = new HashMap<>();
    Map<String, RequestLogger> loggers = new HashMap<>();
    for (ModelSource m : models) {
      RequestLogConfig c = m.requestLog();
      if (c == null) {
        continue;
      }
      RequestLogger logger = configs.computeIfAbsent(c, k -> {
        RequestLogger kept = byConfig.remove(k);
        if (kept != null) {
          return kept;
        }
        log.accept("serve: request log " + RequestLogFiles.pattern(c.filenamePrefix()) + ": sampling_rate "
            + c.samplingRate());
        return new RequestLogger(k, settings, counts, log);
      });
      loggers.put(m.name(), logger);
    }
    byModel = Map.copyOf(loggers);
    for (RequestLogger unused : byConfig.values()) {
      unused.close();
      log.accept("serve: request log " + RequestLogFiles.pattern(unused.config().filenamePrefix()) + ": closed");
    }
    byConfig = configs;
  }

  /**
   * Logs a successful predict when the model's sampler picks it, as TF Serving logs after the model answered;
   * request and response are built only then, so an unsampled request costs one random number.
   *
   * @param spec the model, version and signature that answered (TF Serving's {@code log_metadata.model_spec})
   */
  void predict(ModelSpec spec, Supplier<PredictRequest> request, Supplier<PredictResponse> response) {
    RequestLogger logger = byModel.get(spec.getName());
    if (logger == null || !logger.sample()) {
      return;
    }
    LogMetadata metadata = LogMetadata.newBuilder().setModelSpec(spec)
        .setSamplingConfig(logger.config().sampling()).addSavedModelTags(SERVE_TAG).build();
    logger.offer(PredictionLog.newBuilder().setLogMetadata(metadata)
        .setPredictLog(PredictLog.newBuilder().setRequest(request.get()).setResponse(response.get())).build());
  }

  /** Writes what is queued and closes every logger's files. */
  @Override
  public synchronized void close() {
    byModel = Map.of();
    byConfig.values().forEach(RequestLogger::close);
    byConfig = new HashMap<>();
  }
}
