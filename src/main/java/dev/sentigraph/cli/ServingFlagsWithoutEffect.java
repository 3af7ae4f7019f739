package dev.sentigraph.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags of TF Serving's {@code tensorflow_model_server} ({@code model_servers/main.cc}) that mean nothing for
 * sentigraph (GPUs, TPUs, TFLite, XLA, its profiler, ...): accepted with any value, so TF Serving's command lines
 * start the server unchanged, and named in one startup line as having no effect here.
 */
final class ServingFlagsWithoutEffect {
  @Option(names = "--num_unload_threads", paramLabel = "N", hidden = true) String numUnloadThreads;
  @Option(names = "--flush_filesystem_caches", arity = "0..1", fallbackValue = "true", hidden = true)
  String flushFilesystemCaches;
  @Option(names = "--use_alts_credentials", arity = "0..1", fallbackValue = "true", hidden = true)
  String useAltsCredentials;
  @Option(names = "--platform_config_file", paramLabel = "FILE", hidden = true) String platformConfigFile;
  @Option(names = "--per_process_gpu_memory_fraction", paramLabel = "F", hidden = true) String gpuMemoryFraction;
  @Option(names = "--remove_unused_fields_from_bundle_metagraph", arity = "0..1", fallbackValue = "true",
      hidden = true) String removeUnusedFields;
  @Option(names = "--prefer_tflite_model", arity = "0..1", fallbackValue = "true", hidden = true) String preferTflite;
  @Option(names = "--num_tflite_pools", paramLabel = "N", hidden = true) String tflitePools;
  @Option(names = "--num_tflite_interpreters_per_pool", paramLabel = "N", hidden = true) String tfliteInterpreters;
  @Option(names = "--enable_signature_method_name_check", arity = "0..1", fallbackValue = "true", hidden = true)
  String methodNameCheck;
  @Option(names = "--xla_cpu_compilation_enabled", arity = "0..1", fallbackValue = "true", hidden = true)
  String xlaCpu;
  @Option(names = "--xla_gpu_compilation_enabled", arity = "0..1", fallbackValue = "true", hidden = true)
  String xlaGpu;
  @Option(names = "--enable_profiler", arity = "0..1", fallbackValue = "true", hidden = true) String profiler;
  @Option(names = "--thread_pool_factory_config_file", paramLabel = "FILE", hidden = true) String threadPoolFactory;
  @Option(names = "--mixed_precision", paramLabel = "MODE", hidden = true) String mixedPrecision;
  @Option(names = "--skip_initialize_tpu", arity = "0..1", fallbackValue = "true", hidden = true) String skipTpu;

  /** The flags given, as {@code --name=value}, in TF Serving's order. */
  List<String> given() {
    List<String> out = new ArrayList<>();
    add(out, "--num_unload_threads", numUnloadThreads);
    add(out, "--flush_filesystem_caches", flushFilesystemCaches);
    add(out, "--use_alts_credentials", useAltsCredentials);
    add(out, "--platform_config_file", platformConfigFile);
    add(out, "--per_process_gpu_memory_fraction", gpuMemoryFraction);
    add(out, "--remove_unused_fields_from_bundle_metagraph", removeUnusedFields);
    add(out, "--prefer_tflite_model", preferTflite);
    add(out, "--num_tflite_pools", tflitePools);
    add(out, "--num_tflite_interpreters_per_pool", tfliteInterpreters);
    add(out, "--enable_signature_method_name_check", methodNameCheck);
    add(out, "--xla_cpu_compilation_enabled", xlaCpu);
    add(out, "--xla_gpu_compilation_enabled", xlaGpu);
    add(out, "--enable_profiler", profiler);
    add(out, "--thread_pool_factory_config_file", threadPoolFactory);
    add(out, "--mixed_precision", mixedPrecision);
    add(out, "--skip_initialize_tpu", skipTpu);
    return out;
  }

  private static void add(List<String> out, String name, String value) {
    if (value != null) {
      out.add(name + "=" + value);
    }
  }
}
