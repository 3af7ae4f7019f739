package dev.sentigraph.serve;

import java.util.Map;

/**
 * TF Serving's gRPC API on {@code --port}, beside REST, over the same models.
 *
 * @param port gRPC port; 0 picks a free one
 * @param maxThreads the most threads answering gRPC calls ({@code --grpc_max_threads})
 * @param channelArguments {@code --grpc_channel_arguments}, key to value (those grpc-java has a setting for are
 *     applied, see {@code GrpcServer})
 * @param tensorContent answer tensors in {@code tensor_content} rather than the typed {@code *_val} fields
 *     ({@code --enable_serialization_as_tensor_content})
 * @param healthCheck serve {@code grpc.health.v1.Health} too ({@code --enable_grpc_healthcheck_service})
 * @param tls TLS for the gRPC port ({@code --ssl_config_file}), or null for plaintext
 * @param socketPath a UNIX domain socket to answer gRPC on as well ({@code --grpc_socket_path}), or null
 */
public record GrpcSettings(int port, int maxThreads, Map<String, String> channelArguments, boolean tensorContent,
    boolean healthCheck, GrpcTls tls, String socketPath) {
  public GrpcSettings {
    channelArguments = Map.copyOf(channelArguments);
  }

  /** TF Serving's defaults on a port: 4 threads per CPU, no channel arguments, typed values, no health service. */
  public static GrpcSettings on(int port) {
    return new GrpcSettings(port, 4 * Runtime.getRuntime().availableProcessors(), Map.of(), false, false, null, null);
  }

  public GrpcSettings withHealthCheck(boolean on) {
    return new GrpcSettings(port, maxThreads, channelArguments, tensorContent, on, tls, socketPath);
  }

  public GrpcSettings withTls(GrpcTls t) {
    return new GrpcSettings(port, maxThreads, channelArguments, tensorContent, healthCheck, t, socketPath);
  }

  public GrpcSettings withSocketPath(String path) {
    return new GrpcSettings(port, maxThreads, channelArguments, tensorContent, healthCheck, tls, path);
  }

  /** {@code key=value,key=value}, TF Serving's {@code --grpc_channel_arguments}. */
  public static Map<String, String> parseChannelArguments(String text) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new dev.sentigraph.error.InputException("--grpc_channel_arguments: '" + pair
            + "' is not key=value (expected e.g. grpc.max_connection_age_ms=2000)");
      }
      out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return out;
  }

}
