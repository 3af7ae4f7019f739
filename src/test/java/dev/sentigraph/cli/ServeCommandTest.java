package dev.sentigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.sentigraph.serve.RequestLogSettings;
import dev.sentigraph.serve.ServerSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sentigraph serve}'s flags: TF Serving's command lines parse into the server's settings, every flag of
 * its {@code main.cc} is accepted; bad usage is one error line and exit 2, before anything binds a port.
 */
class ServeCommandTest {
  @TempDir Path dir;

  private static ServeCommand parse(String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void tensorFlowServingsDockerCommandLineParses() {
    ServeCommand c = parse("--port=8500", "--rest_api_port=8501", "--model_name=imdb", "--model_base_path=/models/imdb");
    ServerSettings s = c.settings();
    assertEquals(8500, s.grpc().port());
    assertEquals(8501, s.port());
    assertEquals(null, s.metricsPath(), "metrics only with --monitoring_config_file, as TF Serving");
    assertEquals(new ServerSettings.Loading(0, 5, 60_000_000, 1, false), s.loading());
    assertEquals(4 * Runtime.getRuntime().availableProcessors(), s.grpc().maxThreads());
  }

  @Test
  void flagsWithAMeaningReachTheSettings() {
    ServerSettings s = parse("--model_base_path=/m", "--port=0", "--rest_api_port=0", "--rest_api_num_threads=12",
        "--rest_api_enable_cors_support", "--rest_api_timeout_in_ms=500", "--grpc_max_threads=3",
        "--grpc_channel_arguments=grpc.max_connection_age_ms=2000,grpc.keepalive_time_ms=100",
        "--enable_serialization_as_tensor_content=true", "--max_num_load_retries=0",
        "--load_retry_interval_micros=10", "--tensorflow_intra_op_parallelism=2", "--tensorflow_inter_op_parallelism=1",
        "--saved_model_tags=serve", "--model_config_file_poll_wait_seconds=0").settings();
    assertEquals(12, s.restThreads());
    assertTrue(s.cors());
    assertEquals(500, s.restTimeoutMillis());
    assertEquals(3, s.grpc().maxThreads());
    assertEquals(Map.of("grpc.max_connection_age_ms", "2000", "grpc.keepalive_time_ms", "100"),
        s.grpc().channelArguments());
    assertTrue(s.grpc().tensorContent());
    assertEquals(new ServerSettings.Loading(0, 0, 10, 1, false), s.loading());
    assertEquals(2, s.loadOptions().execution().intraOpThreads());
    assertEquals(1, s.loadOptions().execution().interOpThreads());
    ServerSettings both = parse("--model_base_path=/m", "--tensorflow_session_parallelism=3").settings();
    assertEquals(3, both.loadOptions().execution().intraOpThreads());
    assertEquals(3, both.loadOptions().execution().interOpThreads());
  }

  @Test
  void theSessionConfigFileGivesThreadCountsTheFlagsOverride() throws IOException {
    Path config = dir.resolve("session.config");
    Files.writeString(config, "intra_op_parallelism_threads: 4\ninter_op_parallelism_threads: 2\n");
    ServerSettings s = parse("--model_base_path=/m", "--tensorflow_session_config_file=" + config,
        "--tensorflow_inter_op_parallelism=1").settings();
    assertEquals(4, s.loadOptions().execution().intraOpThreads());
    assertEquals(1, s.loadOptions().execution().interOpThreads());
  }

  @Test
  void everyOtherFlagOfTensorFlowServingIsAcceptedAndNamed() {
    ServeCommand c = parse("--model_base_path=/m", "--enable_per_model_batching_parameters",
        "--num_unload_threads=2", "--flush_filesystem_caches=false", "--use_alts_credentials=false",
        "--platform_config_file=/p", "--per_process_gpu_memory_fraction=0.5",
        "--num_request_iterations_for_warmup=3", "--remove_unused_fields_from_bundle_metagraph=true",
        "--prefer_tflite_model=false", "--num_tflite_pools=2", "--num_tflite_interpreters_per_pool=1",
        "--enable_signature_method_name_check", "--xla_cpu_compilation_enabled=false",
        "--xla_gpu_compilation_enabled=false", "--enable_profiler=true", "--thread_pool_factory_config_file=/t",
        "--mixed_precision=bfloat16", "--skip_initialize_tpu=true", "--enable_grpc_healthcheck_service",
        "--allow_version_labels_for_unavailable_models", "--enable_model_warmup=true", "--num_load_threads=2",
        "--enable_batching=false");
    assertEquals(16, c.withoutEffect.given().size(), c.withoutEffect.given().toString());
    assertEquals("--platform_config_file=/p", c.withoutEffect.given().get(3));
    assertTrue(c.settings().loading().perModelBatching());
    assertEquals(3, c.settings().loading().warmupIterations());
    assertEquals(2, c.settings().loading().threads());
    assertEquals(0, parse("--model_base_path=/m", "--enable_model_warmup=false").settings().loading()
        .warmupIterations());
    assertTrue(c.settings().grpc().healthCheck());
  }

  @Test
  void aTakenGrpcPortIsOneLineAndNoServer() throws IOException {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Cli.Run r = Cli.run("serve", "--model_base_path=" + dir, "--rest_api_port=0", "--port=" + taken.getLocalPort());
      assertEquals(1, r.status(), r.err());
      assertTrue(r.err().contains("cannot serve on") && r.err().contains("gRPC " + taken.getLocalPort()), r.err());
      assertTrue(r.err().lines().noneMatch(l -> l.startsWith("\tat ")), r.err());
    }
  }

  @Test
  void tensorFlowServingsChecksOfItsFlags() {
    Cli.Run same = Cli.run("serve", "--model_base_path=" + dir, "--port=9000", "--rest_api_port=9000");
    assertEquals(2, same.status(), same.err());
    assertTrue(same.err().contains("cannot be the same as --port"), same.err());
    Cli.Run all = Cli.run("serve", "--model_base_path=" + dir, "--tensorflow_session_parallelism=1",
        "--tensorflow_intra_op_parallelism=1", "--tensorflow_inter_op_parallelism=1");
    assertEquals(2, all.status(), all.err());
    assertTrue(all.err().contains("You cannot configure all"), all.err());
    Cli.Run tags = Cli.run("serve", "--model_base_path=" + dir, "--saved_model_tags=serve,gpu");
    assertEquals(2, tags.status(), tags.err());
    assertTrue(tags.err().contains("'serve' meta graph"), tags.err());
    Cli.Run unknown = Cli.run("serve", "--model_base_path=" + dir, "--no_such_flag=1");
    assertEquals(2, unknown.status(), unknown.err());
    Cli.Run version = Cli.run("serve", "--version");
    assertEquals(0, version.status(), version.err());
    assertTrue(version.out().startsWith("sentigraph"), version.out());
  }

  @Test
  void badUsageIsOneErrorLineAndExit2() throws IOException {
    Cli.Run none = Cli.run("serve", "--rest_api_port=0");
    assertEquals(2, none.status(), none.err());
    assertTrue(none.err().startsWith("error: nothing to serve"), none.err());

    Path config = dir.resolve("models.config");
    Files.writeString(config, "model_config_list { config { name: \"a\" base_path: \"/x\" unknown_field: 1 } }");
    Cli.Run bad = Cli.run("serve", "--rest_api_port=0", "--model_config_file=" + config);
    assertEquals(2, bad.status(), bad.err());
    assertTrue(bad.err().contains("unknown_field") && bad.err().lines().count() == 1, bad.err());

    Cli.Run both = Cli.run("serve", "--model_config_file=" + config, "--model_base_path=" + dir);
    assertEquals(2, both.status());
    Cli.Run batching = Cli.run("serve", "--model_base_path=" + dir, "--batching_parameters_file=" + config);
    assertEquals(2, batching.status());
    assertTrue(batching.err().contains("--enable_batching"), batching.err());
  }

  @Test
  void requestLogFlagsReachTheSettingsAndBadOnesAreOneLine() throws IOException {
    RequestLogSettings defaults = parse("--model_base_path=/m").settings().requestLog();
    assertEquals(64L << 20, defaults.maxFileBytes());
    assertEquals(16, defaults.maxFiles());
    assertEquals(300_000, defaults.maxFileMillis());
    RequestLogSettings given = parse("--model_base_path=/m", "--request_log_max_file_bytes=1000",
        "--request_log_max_files=0", "--request_log_max_file_seconds=2").settings().requestLog();
    assertEquals(List.of(1000L, 0, 2000L), List.of(given.maxFileBytes(), given.maxFiles(), given.maxFileMillis()));

    Cli.Run zero = Cli.run("serve", "--model_base_path=" + dir, "--request_log_max_file_bytes=0");
    assertEquals(2, zero.status(), zero.err());
    assertTrue(zero.err().startsWith("error: --request_log_max_file_bytes") && zero.err().lines().count() == 1,
        zero.err());
    Path config = dir.resolve("models.config");
    Files.writeString(config, "model_config_list { config { name: \"a\" base_path: \"/x\" logging_config {"
        + " log_collector_config { type: \"bigquery\" filename_prefix: \"/logs/a\" } } } }");
    Cli.Run collector = Cli.run("serve", "--rest_api_port=0", "--model_config_file=" + config);
    assertEquals(2, collector.status(), collector.err());
    assertTrue(collector.err().contains("model 'a' logging_config: log_collector_config type 'bigquery'")
        && collector.err().lines().count() == 1, collector.err());
  }
}
