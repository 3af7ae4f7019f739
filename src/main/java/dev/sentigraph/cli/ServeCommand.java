package dev.sentigraph.cli;

import dev.sentigraph.LoadOptions;
import dev.sentigraph.data.OutputMode;
import dev.sentigraph.error.InputException;
import dev.sentigraph.serve.BatchingParameters;
import dev.sentigraph.serve.ConfigFileWatcher;
import dev.sentigraph.serve.GrpcSettings;
import dev.sentigraph.serve.GrpcTls;
import dev.sentigraph.serve.ModelServer;
import dev.sentigraph.serve.ModelSource;
import dev.sentigraph.serve.RequestLogSettings;
import dev.sentigraph.serve.ServerSettings;
import dev.sentigraph.serve.ServingConfigFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code sentigraph serve}: TensorFlow Serving's REST and gRPC APIs with {@code tensorflow_model_server}'s flags,
 * every one of which is accepted (those meaning nothing here are named in one startup line). Runs until SIGTERM or
 * SIGINT, then stops taking requests, answers those in flight and exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Serve models over TensorFlow Serving's REST and gRPC APIs (a drop-in for tensorflow_model_server).",
        "A base path holds numeric version folders (SavedModels, run folders or one .keras file each); new ones are",
        "picked up while serving. SIGTERM drains requests in flight and exits 0."})
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--rest_api_port", paramLabel = "PORT", defaultValue = "8501", description = "REST port (default 8501; 0: any free port).")
  int port;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8500",
      description = "gRPC port, TF Serving's PredictionService and ModelService (default 8500; 0: any free port).")
  int grpcPort;

  @Option(names = "--rest_api_num_threads", paramLabel = "N", defaultValue = "" + ServerSettings.DEFAULT_REST_THREADS,
      description = "Most threads answering REST requests (default 256: each request waiting for its batch holds one).")
  int restThreads;

  @Option(names = "--rest_api_enable_cors_support", arity = "0..1", fallbackValue = "true", defaultValue = "false",
      description = "Add CORS headers to REST answers and answer preflight requests.")
  boolean cors;

  @Option(names = "--grpc_max_threads", paramLabel = "N", description = "Most threads answering gRPC calls (default 4 per CPU).")
  Integer grpcThreads;

  @Option(names = "--grpc_channel_arguments", paramLabel = "K=V,...",
      description = "gRPC server settings, e.g. grpc.max_connection_age_ms=2000 (those grpc-java has are applied).")
  String grpcChannelArguments;

  @Option(names = "--enable_serialization_as_tensor_content", arity = "0..1", fallbackValue = "true",
      defaultValue = "false", description = "gRPC predict answers in tensor_content instead of float_val.")
  boolean tensorContent;

  @Option(names = "--enable_grpc_healthcheck_service", arity = "0..1", fallbackValue = "true", defaultValue = "false",
      description = "Serve grpc.health.v1.Health beside the APIs.")
  boolean grpcHealth;

  @Option(names = "--ssl_config_file", paramLabel = "FILE",
      description = "TF Serving's SSLConfig (server_key, server_cert, custom_ca PEM texts; client_verify): TLS for gRPC.")
  Path sslConfigFile;

  @Option(names = "--grpc_socket_path", paramLabel = "PATH",
      description = "Also answer gRPC on this UNIX domain socket (Linux).")
  String grpcSocketPath;

  @Option(names = "--rest_api_host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Address to bind (default 127.0.0.1; 0.0.0.0 serves every interface).")
  String host;

  @Option(names = "--model_name", paramLabel = "NAME", defaultValue = "default", description = "Model name in URLs (default: default).")
  String modelName;

  @Option(names = "--model_base_path", paramLabel = "DIR", description = "Folder of numeric version folders.")
  Path modelBasePath;

  @Option(names = "--model_config_file", paramLabel = "FILE",
      description = "TF Serving's ModelServerConfig in protobuf text format (several models, version policies, labels).")
  Path modelConfigFile;

  @Option(names = "--file_system_poll_wait_seconds", paramLabel = "S", defaultValue = "1",
      description = "How often base paths are scanned for new versions (default 1).")
  double pollSeconds;

  @Option(names = "--model_config_file_poll_wait_seconds", paramLabel = "S", defaultValue = "0",
      description = "Reread --model_config_file this often and apply its changes (default 0: read once).")
  long configPollSeconds;

  @Option(names = "--allow_version_labels_for_unavailable_models", arity = "0..1", fallbackValue = "true",
      defaultValue = "false", description = "Accepted: sentigraph always lets a label name a version not yet loaded.")
  boolean labelsForUnavailable;

  @Option(names = "--max_num_load_retries", paramLabel = "N", defaultValue = "5",
      description = "Retries of a load that failed for a reason other than the model's content (default 5).")
  int loadRetries;

  @Option(names = "--load_retry_interval_micros", paramLabel = "US", defaultValue = "60000000",
      description = "Wait between those retries (default one minute).")
  long loadRetryMicros;

  @Option(names = "--num_load_threads", paramLabel = "N", defaultValue = "0",
      description = "Models whose versions load side by side (default 0: one at a time).")
  int loadThreads;

  @Option(names = "--tensorflow_session_parallelism", paramLabel = "N", defaultValue = "0",
      description = "TensorFlow's intra- and inter-op threads both (default 0: sentigraph's choice for the model).")
  long sessionParallelism;

  @Option(names = "--tensorflow_intra_op_parallelism", paramLabel = "N", defaultValue = "0",
      description = "Threads one op may split its work over (default 0: sentigraph's choice).")
  long intraOp;

  @Option(names = "--tensorflow_inter_op_parallelism", paramLabel = "N", defaultValue = "0",
      description = "Threads running independent ops side by side (default 0: sentigraph's choice).")
  long interOp;

  @Option(names = "--tensorflow_session_config_file", paramLabel = "FILE",
      description = "TensorFlow's ConfigProto in text format; its intra/inter-op thread counts are used (flags win).")
  Path sessionConfigFile;

  @Option(names = "--saved_model_tags", paramLabel = "TAGS", defaultValue = "serve",
      description = "Meta graph tags to load (sentigraph loads the 'serve' meta graph).")
  String savedModelTags;

  @Option(names = "--enable_model_warmup", arity = "0..1", fallbackValue = "true", defaultValue = "true",
      description = "Replay a version's assets.extra/tf_serving_warmup_requests before it is AVAILABLE (default true).")
  boolean modelWarmup;

  @Option(names = "--num_request_iterations_for_warmup", paramLabel = "N", defaultValue = "0",
      description = "Times each warm-up record is replayed (default 0: once).")
  int warmupIterations;

  @Option(names = "--enable_batching", arity = "0..1", fallbackValue = "true", defaultValue = "false",
      description = "Queue concurrent requests and run them as batches.")
  boolean enableBatching;

  @Option(names = "--enable_per_model_batching_parameters", arity = "0..1", fallbackValue = "true",
      defaultValue = "false", description = "With --enable_batching, a version's own batching_params.pbtxt replaces"
      + " the batch sizes, timeout and queue length (the thread count stays the server's).")
  boolean perModelBatching;

  @Option(names = "--batching_parameters_file", paramLabel = "FILE",
      description = "TF Serving's BatchingParameters in text format (max_batch_size, batch_timeout_micros, max_enqueued_batches, num_batch_threads).")
  Path batchingFile;

  @Option(names = "--rest_api_timeout_in_ms", paramLabel = "MS", defaultValue = "30000",
      description = "Requests unanswered after this get 504 (default 30000).")
  long timeoutMs;

  @Option(names = "--monitoring_config_file", paramLabel = "FILE",
      description = "TF Serving's MonitoringConfig (prometheus_config { enable: true path: ... }); without it, as TF"
          + " Serving, no metrics are served.")
  Path monitoringFile;

  @Option(names = "--probe_versions", description = "Load and run each new SavedModel version in a child JVM before"
      + " the server loads it (sentigraph's extension; 2-4 s more per load): for model folders from sources you do"
      + " not trust, a model that would abort TensorFlow is refused instead of taking the server down.")
  boolean probeVersions;

  @Option(names = "--max_request_bytes", paramLabel = "N", defaultValue = "16777216",
      description = "Larger request bodies get 413 (default 16 MB).")
  long maxBodyBytes;

  @Option(names = "--request_log_max_file_bytes", paramLabel = "N",
      defaultValue = "" + RequestLogSettings.DEFAULT_MAX_FILE_BYTES, description = "A request log file (a model's"
      + " logging_config) is closed and a new one begun before it would pass this size (default 64 MiB).")
  long requestLogMaxFileBytes;

  @Option(names = "--request_log_max_files", paramLabel = "N", defaultValue = "" + RequestLogSettings.DEFAULT_MAX_FILES,
      description = "Finished request log files kept per logging_config; older ones are deleted (default 16; 0: all).")
  int requestLogMaxFiles;

  @Option(names = "--request_log_max_file_seconds", paramLabel = "S",
      defaultValue = "" + RequestLogSettings.DEFAULT_MAX_FILE_SECONDS,
      description = "A request log file open this long is closed, and so readable, even if not full (default 300).")
  long requestLogMaxFileSeconds;

  @Option(names = "--features", paramLabel = "MODE", description = "What a served model's Dense input is, when its"
      + " file cannot say: multi_hot (Deep Learning with Python's vectorize_sequences of the token ids) or count;"
      + " models that look ids up in an embedding, or carry a TextVectorization, ignore it.")
  String features;

  @Option(names = "--word-index", paramLabel = "FILE",
      description = "Word-to-rank JSON for raw-text requests (default: the run's, else imdb_word_index.json beside the default data).")
  Path wordIndex;

  @Mixin VerboseOption verbose;
  @Mixin ServingFlagsWithoutEffect withoutEffect;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    List<ModelSource> models = models();
    ServerSettings settings = settings();
    PrintWriter err = spec.commandLine().getErr();
    List<String> ignored = withoutEffect.given();
    if (!ignored.isEmpty()) {
      err.println("serve: these TF Serving flags have no effect here: " + String.join(", ", ignored));
      err.flush();
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    try (ModelServer server = ModelServer.start(models, settings, line -> {
      err.println(line);
      err.flush();
    }); ConfigFileWatcher watcher = configWatcher(server, err)) {
      BatchingParameters batching = settings.batching();
      err.println("serve: REST API at http://" + host + ":" + server.port() + "/v1/models/"
          + (models.size() == 1 ? models.get(0).name() : "{name}") + (batching != null ? " (batching: " + batching + ")" : ""));
      err.println("serve: gRPC API at " + host + ":" + server.grpcPort() + (settings.grpc().socketPath() != null
          ? " and unix:" + settings.grpc().socketPath() : "") + " (tensorflow.serving.PredictionService, ModelService)");
      err.flush();
      stop.await();
      err.println("serve: stopping: finishing requests in flight");
      err.flush();
    }
    err.println("serve: stopped");
    err.flush();
    return 0;
  }

  /** The server's settings from the flags, each checked as TF Serving checks it. */
  ServerSettings settings() {
    if (pollSeconds <= 0 || timeoutMs <= 0 || maxBodyBytes <= 0 || restThreads <= 0 || configPollSeconds < 0) {
      throw new InputException("--file_system_poll_wait_seconds, --rest_api_timeout_in_ms, --max_request_bytes"
          + " and --rest_api_num_threads must be positive, --model_config_file_poll_wait_seconds not negative");
    }
    if (grpcPort == port && port != 0) {
      throw new InputException("--rest_api_port cannot be the same as --port (" + port + ")");
    }
    if (batchingFile != null && !enableBatching) {
      throw new InputException("--batching_parameters_file needs --enable_batching");
    }
    if (!savedModelTags.strip().equals("serve")) {
      throw new InputException("--saved_model_tags=" + savedModelTags + ": sentigraph loads the SavedModel's"
          + " 'serve' meta graph only");
    }
    if (loadRetries < 0 || loadThreads < 0) {
      throw new InputException("--max_num_load_retries and --num_load_threads must not be negative");
    }
    BatchingParameters batching = !enableBatching ? null
        : batchingFile != null ? ServingConfigFiles.batching(batchingFile) : BatchingParameters.defaults();
    long pollMs = Math.round(pollSeconds * 1000);
    if (grpcThreads != null && grpcThreads <= 0) {
      throw new InputException("--grpc_max_threads must be positive");
    }
    GrpcSettings grpc = new GrpcSettings(grpcPort,
        grpcThreads != null ? grpcThreads : GrpcSettings.on(grpcPort).maxThreads(),
        GrpcSettings.parseChannelArguments(grpcChannelArguments), tensorContent, grpcHealth,
        sslConfigFile != null ? GrpcTls.read(sslConfigFile) : null,
        grpcSocketPath == null || grpcSocketPath.isEmpty() ? null : grpcSocketPath);
    LoadOptions load = CliEnvironment.loadOptions().withWordIndex(wordIndex)
        .withFeatures(features == null ? null
            : OutputMode.featuresOf(features, "--features"));
    load = load.withExecution(SessionThreads.of(sessionConfigFile, sessionParallelism, intraOp, interOp)
        .applyTo(load.execution()));
    return ServerSettings.defaults().withHost(host).withPort(port).withRestTimeoutMillis(timeoutMs)
        .withMaxBodyBytes(maxBodyBytes).withPolling(pollMs, Math.min(1000, pollMs)).withBatching(batching)
        .withMetricsPath(monitoringFile != null ? ServingConfigFiles.prometheusPath(monitoringFile) : null)
        .withLoadOptions(load).withProbeVersions(probeVersions).withRestThreads(restThreads).withCors(cors)
        .withLoading(new ServerSettings.Loading(loadThreads, loadRetries, loadRetryMicros,
            modelWarmup ? Math.max(1, warmupIterations) : 0, perModelBatching)).withGrpc(grpc)
        .withRequestLog(RequestLogSettings.defaults().withLimits(requestLogMaxFileBytes, requestLogMaxFiles,
            java.util.concurrent.TimeUnit.SECONDS.toMillis(requestLogMaxFileSeconds)));
  }

  /** With {@code --model_config_file_poll_wait_seconds}, rereads the config file and applies what changed. */
  private ConfigFileWatcher configWatcher(ModelServer server, PrintWriter err) {
    if (modelConfigFile == null || configPollSeconds == 0) {
      return null;
    }
    return ConfigFileWatcher.start(modelConfigFile, configPollSeconds * 1000, server::reconfigure, line -> {
      err.println(line);
      err.flush();
    });
  }

  private List<ModelSource> models() {
    if (modelConfigFile != null) {
      if (modelBasePath != null) {
        throw new InputException("give either --model_config_file or --model_base_path, not both");
      }
      return ServingConfigFiles.models(modelConfigFile);
    }
    if (modelBasePath == null) {
      throw new InputException("nothing to serve: give --model_base_path DIR (numeric version folders) or"
          + " --model_config_file FILE");
    }
    return List.of(ModelSource.of(modelName, modelBasePath));
  }
}
