package dev.sentigraph.serve;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.sentigraph.error.InputException;
import java.util.Locale;
import java.util.Set;
import tensorflow.serving.LoggingConfigOuterClass.LoggingConfig;
import tensorflow.serving.LoggingConfigOuterClass.SamplingConfig;

/**
 * A model's {@code logging_config} from TF Serving's {@code ModelConfig}: which share of its requests to log and
 * the files to write them to. Two models with equal configs share one logger and its files, as TF Serving's
 * {@code ServerRequestLogger} keys loggers by config.
 *
 * @param sampling TF Serving's {@code SamplingConfig}, copied into each record's {@code log_metadata}
 * @param filenamePrefix the log files' path up to sentigraph's unique suffix
 */
public record RequestLogConfig(SamplingConfig sampling, String filenamePrefix) {
  /** The {@code log_collector_config.type}s that mean a TFRecord file of {@code PredictionLog}s, in any case. */
  static final Set<String> COLLECTOR_TYPES = Set.of("", "tfrecord", "tf_record", "tfrecord_file", "file");

  double samplingRate() {
    return sampling.getSamplingRate();
  }

  /**
   * Reads and checks a {@code LoggingConfig}: parsed from a config file (a message described by
   * {@link ServingConfigFiles}) or TF Serving's generated class from a gRPC reload; both carry the same fields.
   *
   * @throws InputException naming the model and what is wrong, for settings sentigraph cannot obey
   */
  static RequestLogConfig of(Message message, String where, String model) {
    LoggingConfig config;
    try {
      config = LoggingConfig.parseFrom(message.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new InputException(where + ": model '" + model + "' has an unreadable logging_config");
    }
    String at = where + ": model '" + model + "' logging_config: ";
    String type = config.getLogCollectorConfig().getType();
    if (!COLLECTOR_TYPES.contains(type.toLowerCase(Locale.ROOT))) {
      throw new InputException(at + "log_collector_config type '" + type + "' is not one sentigraph writes:"
          + " expected \"tfrecord\" (TFRecord files of PredictionLog)");
    }
    String prefix = config.getLogCollectorConfig().getFilenamePrefix();
    if (prefix.isEmpty()) {
      throw new InputException(at + "log_collector_config needs a filename_prefix (the log files' path and name"
          + " start)");
    }
    SamplingConfig sampling = config.getSamplingConfig();
    double rate = sampling.getSamplingRate();
    if (!(rate >= 0 && rate <= 1)) {
      throw new InputException(at + "sampling_rate " + rate + " is outside [0, 1]");
    }
    // per-task rules and request attributes need a datacenter, task index and request origin sentigraph has not
    if (sampling.getPerTaskSamplingConfigsCount() > 0 || sampling.getAttributes() != 0
        || config.hasCustomLoggingConfig()) {
      throw new InputException(at + "per_task_sampling_configs, attributes and custom_logging_config are not"
          + " implemented: give sampling_rate only");
    }
    return new RequestLogConfig(sampling, prefix);
  }
}
