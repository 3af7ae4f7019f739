package dev.sentigraph.cli;

import dev.sentigraph.LoadOptions;
import dev.sentigraph.error.InputException;
import dev.sentigraph.serve.BatchingParameters;
import dev.sentigraph.serve.ModelServer;
import dev.sentigraph.serve.ModelSource;
import dev.sentigraph.serve.ServerSettings;
import dev.sentigraph.serve.ServingConfigFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
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
 * {@code sentigraph serve}: TensorFlow Serving's REST API with {@code tensorflow_model_server}'s flag names.
 * Runs until SIGTERM or SIGINT, then stops taking requests, answers those in flight and exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve models over TensorFlow Serving's REST API (a drop-in for tensorflow_model_server --rest_api_port).",
        "A base path holds numeric version folders (SavedModels, run folders or one .keras file each); new ones are",
        "picked up while serving. SIGTERM drains requests in flight and exits 0."})
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--rest_api_port", paramLabel = "PORT", defaultValue = "8501", description = "REST port (default 8501; 0: any free port).")
  int port;

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

  @Option(names = "--enable_batching", arity = "0..1", fallbackValue = "true", defaultValue = "false",
      description = "Queue concurrent requests and run them as batches.")
  boolean enableBatching;

  @Option(names = "--batching_parameters_file", paramLabel = "FILE",
      description = "TF Serving's BatchingParameters in text format (max_batch_size, batch_timeout_micros, max_enqueued_batches, num_batch_threads).")
  Path batchingFile;

  @Option(names = "--rest_api_timeout_in_ms", paramLabel = "MS", defaultValue = "30000",
      description = "Requests unanswered after this get 504 (default 30000).")
  long timeoutMs;

  @Option(names = "--monitoring_config_file", paramLabel = "FILE",
      description = "TF Serving's MonitoringConfig (prometheus_config { enable: true path: ... }); default: metrics at "
          + ModelServer.DEFAULT_METRICS_PATH + ".")
  Path monitoringFile;

  @Option(names = "--probe_versions", description = "Load and run each new SavedModel version in a child JVM before"
      + " the server loads it (sentigraph's extension; 2-4 s more per load): for model folders from sources you do"
      + " not trust, a model that would abort TensorFlow is refused instead of taking the server down.")
  boolean probeVersions;

  @Option(names = "--max_request_bytes", paramLabel = "N", defaultValue = "16777216",
      description = "Larger request bodies get 413 (default 16 MB).")
  long maxBodyBytes;

  @Option(names = "--word-index", paramLabel = "FILE",
      description = "Word-to-rank JSON for raw-text requests (default: the run's, else imdb_word_index.json beside the default data).")
  Path wordIndex;

  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    List<ModelSource> models = models();
    if (pollSeconds <= 0 || timeoutMs <= 0 || maxBodyBytes <= 0) {
      throw new InputException("--file_system_poll_wait_seconds, --rest_api_timeout_in_ms and --max_request_bytes"
          + " must be positive");
    }
    if (batchingFile != null && !enableBatching) {
      throw new InputException("--batching_parameters_file needs --enable_batching");
    }
    BatchingParameters batching = !enableBatching ? null
        : batchingFile != null ? ServingConfigFiles.batching(batchingFile) : BatchingParameters.defaults();
    long pollMs = Math.round(pollSeconds * 1000);
    ServerSettings settings = ServerSettings.defaults().withHost(host).withPort(port).withRestTimeoutMillis(timeoutMs)
        .withMaxBodyBytes(maxBodyBytes).withPolling(pollMs, Math.min(1000, pollMs)).withBatching(batching)
        .withMetricsPath(monitoringFile != null ? ServingConfigFiles.prometheusPath(monitoringFile)
            : ModelServer.DEFAULT_METRICS_PATH)
        .withLoadOptions(CliEnvironment.loadOptions().withWordIndex(wordIndex)).withProbeVersions(probeVersions);
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    try (ModelServer server = ModelServer.start(models, settings, line -> {
      err.println(line);
      err.flush();
    })) {
      err.println("serve: REST API at http://" + host + ":" + server.port() + "/v1/models/"
          + (models.size() == 1 ? models.get(0).name() : "{name}") + (batching != null ? " (batching: " + batching + ")" : ""));
      err.flush();
      stop.await();
      err.println("serve: stopping: finishing requests in flight");
      err.flush();
    }
    err.println("serve: stopped");
    err.flush();
    return 0;
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
