package dev.sentigraph.serve;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.protobuf.WrappersProto;
import dev.sentigraph.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tensorflow.serving.LoggingConfigOuterClass;

/**
 * TensorFlow Serving's configuration files in protobuf text format, parsed by protobuf's own {@link TextFormat}
 * into messages described here with TF Serving's message and field names: {@code --model_config_file}
 * ({@code ModelServerConfig}, a model's {@code logging_config} in TF Serving's own generated message),
 * {@code --batching_parameters_file} ({@code BatchingParameters}) and
 * {@code --monitoring_config_file} ({@code MonitoringConfig}). Fields sentigraph does not implement are
 * not described, so a file using them fails with TextFormat's line and column instead of being half-obeyed.
 */
public final class ServingConfigFiles {
  private static final String PACKAGE = "tensorflow.serving";
  private static final FileDescriptor FILE = describe();

  private ServingConfigFiles() {}

  /** The models of a {@code ModelServerConfig} file; model base paths are taken as written. */
  public static List<ModelSource> models(Path file) {
    return models(parse(file, "ModelServerConfig"), file.toString());
  }

  /**
   * The models of a {@code ModelServerConfig} message: parsed from a file here, or TF Serving's generated class
   * from a gRPC {@code HandleReloadConfigRequest} (read by field name, so both go through the same checks).
   *
   * @param where names the config's origin in errors
   */
  static List<ModelSource> models(Message config, String where) {
    Message list = (Message) field(config, "model_config_list");
    List<ModelSource> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object o : (List<?>) field(list, "config")) {
      Message m = (Message) o;
      String name = (String) field(m, "name");
      String basePath = (String) field(m, "base_path");
      String platform = (String) field(m, "model_platform");
      if (name.isEmpty() || basePath.isEmpty()) {
        throw new InputException(where + ": every config needs a name and a base_path (got name '" + name
            + "', base_path '" + basePath + "')");
      }
      if (!platform.isEmpty() && !platform.equals("tensorflow")) {
        throw new InputException(where + ": model '" + name + "' has model_platform '" + platform
            + "': expected tensorflow");
      }
      if (!names.add(name)) {
        throw new InputException(where + ": model name '" + name + "' appears twice");
      }
      Map<String, Long> labels = new LinkedHashMap<>();
      for (Object e : (List<?>) field(m, "version_labels")) {
        labels.put((String) field((Message) e, "key"), (Long) field((Message) e, "value"));
      }
      FieldDescriptor logging = m.getDescriptorForType().findFieldByName("logging_config");
      RequestLogConfig requestLog = m.hasField(logging)
          ? RequestLogConfig.of((Message) m.getField(logging), where, name) : null;
      out.add(new ModelSource(name, Path.of(basePath), policy(where, name, m), labels, requestLog));
    }
    if (out.isEmpty()) {
      throw new InputException(where + " configures no model: expected model_config_list { config { name: ..."
          + " base_path: ... } }");
    }
    return out;
  }

  private static VersionPolicy policy(String where, String model, Message config) {
    Message p = (Message) field(config, "model_version_policy");
    FieldDescriptor chosen = p.getDescriptorForType().getOneofs().get(0).getFields().stream()
        .filter(p::hasField).findFirst().orElse(null);
    if (chosen == null || chosen.getName().equals("latest")) {
      int n = chosen == null ? 1 : (Integer) field((Message) p.getField(chosen), "num_versions");
      return new VersionPolicy.Latest(n == 0 ? 1 : n);
    }
    if (chosen.getName().equals("all")) {
      return new VersionPolicy.All();
    }
    List<Long> versions = new ArrayList<>();
    for (Object v : (List<?>) field((Message) p.getField(chosen), "versions")) {
      versions.add((Long) v);
    }
    if (versions.isEmpty()) {
      throw new InputException(where + ": model '" + model + "' has a specific version policy without versions");
    }
    return new VersionPolicy.Specific(new HashSet<>(versions));
  }

  /** A {@code BatchingParameters} file; unset fields take TensorFlow Serving's defaults. */
  public static BatchingParameters batching(Path file) {
    Message m = parse(file, "BatchingParameters");
    BatchingParameters d = BatchingParameters.defaults();
    try {
      return new BatchingParameters(
          Math.toIntExact(wrapped(m, "max_batch_size", d.maxBatchSize())),
          wrapped(m, "batch_timeout_micros", d.batchTimeoutMicros()),
          Math.toIntExact(wrapped(m, "max_enqueued_batches", d.maxEnqueuedBatches())),
          Math.toIntExact(wrapped(m, "num_batch_threads", d.numBatchThreads())),
          ((List<?>) field(m, "allowed_batch_sizes")).stream().map(v -> Math.toIntExact((Long) v)).toList());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new InputException(file + ": " + e.getMessage());
    }
  }

  /** The metrics path of a {@code MonitoringConfig} file, or null when Prometheus is not enabled there. */
  public static String prometheusPath(Path file) {
    Message m = parse(file, "MonitoringConfig");
    Message prometheus = (Message) field(m, "prometheus_config");
    if (!(Boolean) field(prometheus, "enable")) {
      return null;
    }
    String path = (String) field(prometheus, "path");
    if (path.isEmpty()) {
      return ModelServer.DEFAULT_METRICS_PATH;
    }
    if (!path.startsWith("/")) {
      throw new InputException(file + ": prometheus_config path '" + path + "' must start with /");
    }
    return path;
  }

  private static long wrapped(Message m, String name, long fallback) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    return m.hasField(f) ? (Long) field((Message) m.getField(f), "value") : fallback;
  }

  private static Object field(Message m, String name) {
    return m.getField(m.getDescriptorForType().findFieldByName(name));
  }

  private static Message parse(Path file, String type) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage());
    }
    return parse(text, type, file.toString());
  }

  static Message parse(String text, String type, String where) {
    Descriptor d = FILE.findMessageTypeByName(type);
    DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
    try {
      TextFormat.getParser().merge(text, b);
    } catch (TextFormat.ParseException e) {
      throw new InputException(where + " is not a valid " + type + " in protobuf text format: "
          + e.getMessage().replaceAll("\\s+", " ").strip());
    }
    return b.build();
  }

  private static FileDescriptor describe() {
    DescriptorProto policy = message("ServableVersionPolicy")
        .addNestedType(message("Latest").addField(field("num_versions", 1, Type.TYPE_UINT32)))
        .addNestedType(message("All"))
        .addNestedType(message("Specific").addField(repeated(field("versions", 1, Type.TYPE_INT64))))
        .addOneofDecl(com.google.protobuf.DescriptorProtos.OneofDescriptorProto.newBuilder().setName("policy_choice"))
        .addField(field("latest", 100, ".tensorflow.serving.ServableVersionPolicy.Latest").setOneofIndex(0))
        .addField(field("all", 101, ".tensorflow.serving.ServableVersionPolicy.All").setOneofIndex(0))
        .addField(field("specific", 102, ".tensorflow.serving.ServableVersionPolicy.Specific").setOneofIndex(0))
        .build();
    DescriptorProto modelConfig = message("ModelConfig")
        .addField(field("name", 1, Type.TYPE_STRING))
        .addField(field("base_path", 2, Type.TYPE_STRING))
        .addField(field("model_platform", 4, Type.TYPE_STRING))
        .addField(field("model_version_policy", 7, ".tensorflow.serving.ServableVersionPolicy"))
        .addField(field("logging_config", 6, ".tensorflow.serving.LoggingConfig"))
        .addField(repeated(field("version_labels", 8, ".tensorflow.serving.ModelConfig.VersionLabelsEntry")))
        .addNestedType(message("VersionLabelsEntry")
            .addField(field("key", 1, Type.TYPE_STRING))
            .addField(field("value", 2, Type.TYPE_INT64))
            .setOptions(MessageOptions.newBuilder().setMapEntry(true)))
        .build();
    String int64 = ".google.protobuf.Int64Value";
    FileDescriptorProto proto = FileDescriptorProto.newBuilder()
        .setName("sentigraph/tensorflow_serving_config.proto").setPackage(PACKAGE).setSyntax("proto3")
        .addDependency(WrappersProto.getDescriptor().getName())
        .addDependency(LoggingConfigOuterClass.getDescriptor().getName())
        .addMessageType(policy)
        .addMessageType(modelConfig)
        .addMessageType(message("ModelConfigList")
            .addField(repeated(field("config", 1, ".tensorflow.serving.ModelConfig"))))
        .addMessageType(message("ModelServerConfig")
            .addField(field("model_config_list", 1, ".tensorflow.serving.ModelConfigList")))
        .addMessageType(message("BatchingParameters")
            .addField(field("max_batch_size", 1, int64))
            .addField(field("batch_timeout_micros", 2, int64))
            .addField(field("max_enqueued_batches", 3, int64))
            .addField(field("num_batch_threads", 4, int64))
            .addField(repeated(field("allowed_batch_sizes", 6, Type.TYPE_INT64))))
        .addMessageType(message("PrometheusConfig")
            .addField(field("enable", 1, Type.TYPE_BOOL))
            .addField(field("path", 2, Type.TYPE_STRING)))
        .addMessageType(message("MonitoringConfig")
            .addField(field("prometheus_config", 1, ".tensorflow.serving.PrometheusConfig")))
        .build();
    try {
      return FileDescriptor.buildFrom(proto, new FileDescriptor[] {WrappersProto.getDescriptor(),
          LoggingConfigOuterClass.getDescriptor()});
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("TF Serving config descriptors are inconsistent", e);
    }
  }

  private static DescriptorProto.Builder message(String name) {
    return DescriptorProto.newBuilder().setName(name);
  }

  private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type).setLabel(Label.LABEL_OPTIONAL);
  }

  private static FieldDescriptorProto.Builder field(String name, int number, String messageType) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(Type.TYPE_MESSAGE)
        .setTypeName(messageType).setLabel(Label.LABEL_OPTIONAL);
  }

  private static FieldDescriptorProto.Builder repeated(FieldDescriptorProto.Builder f) {
    return f.setLabel(Label.LABEL_REPEATED);
  }
}
