package dev.sentigraph.serve;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.error.InputException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.tensorflow.framework.TensorProto;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;

/**
 * TF Serving's model warm-up ({@code --enable_model_warmup}, its default): the {@code PredictionLog} records of a
 * version's {@code assets.extra/tf_serving_warmup_requests} (a TFRecord file) are replayed through the model,
 * each {@code --num_request_iterations_for_warmup} times, before the version is AVAILABLE, as TF Serving's
 * {@code saved_model_warmup_util} does. A missing file is no warm-up; a corrupt file, more than 1,000 records or a
 * record the model cannot answer fails the version's load, as there.
 */
final class WarmupRecords {
  static final String FILE = "assets.extra/tf_serving_warmup_requests";
  /** TF Serving's {@code WarmupConsts::kMaxNumRecords}. */
  static final int MAX_RECORDS = 1000;
  /** A record larger than this is not a warm-up request (and would be allocated before being read). */
  private static final long MAX_RECORD_BYTES = 64L << 20;

  private WarmupRecords() {}

  /**
   * Replays the warm-up records under a version folder (or its SavedModel folder); the number replayed.
   *
   * @param dirs the folders to look in, first found wins
   */
  static int replay(List<Path> dirs, SentimentModel model, int iterations) {
    Path file = dirs.stream().map(d -> d.resolve(FILE)).filter(Files::isRegularFile).findFirst().orElse(null);
    if (file == null) {
      return 0;
    }
    List<byte[]> records = read(file);
    int n = 0;
    for (byte[] record : records) {
      PredictionLog log;
      try {
        log = PredictionLog.parseFrom(record);
      } catch (InvalidProtocolBufferException e) {
        throw new InputException("Failed to parse warmup record " + n + " from " + file);
      }
      if (log.getLogTypeCase() != PredictionLog.LogTypeCase.PREDICT_LOG) {
        throw new InputException("warmup record " + n + " in " + file + " is a " + log.getLogTypeCase()
            + ": the model answers predict requests only");
      }
      Map<String, TensorProto> inputs = log.getPredictLog().getRequest().getInputsMap();
      if (inputs.size() != 1) {
        throw new InputException("warmup record " + n + " in " + file + " has " + inputs.size()
            + " inputs: the model takes one");
      }
      List<Object> instances;
      try {
        instances = GrpcTensors.instances(inputs.keySet().iterator().next(), inputs.values().iterator().next());
      } catch (HttpError e) {
        throw new InputException("warmup record " + n + " in " + file + ": " + e.getMessage());
      }
      for (int i = 0; i < Math.max(1, iterations) && !instances.isEmpty(); i++) {
        run(model, instances);
      }
      n++;
    }
    return n;
  }

  private static void run(SentimentModel model, List<Object> instances) {
    if (instances.get(0) instanceof String) {
      List<String> texts = new ArrayList<>();
      instances.forEach(o -> texts.add((String) o));
      model.predict(texts);
    } else {
      model.predictTokens(instances.stream().map(o -> (int[]) o).toArray(int[][]::new));
    }
  }

  /** The records of a TFRecord file, their length and data checksums checked as TensorFlow's reader does. */
  static List<byte[]> read(Path file) {
    List<byte[]> out = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      byte[] header = new byte[12];
      while (readFully(in, header)) {
        long length = ByteBuffer.wrap(header, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int lengthCrc = ByteBuffer.wrap(header, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (masked(header, 0, 8) != lengthCrc) {
          throw dataLoss(file, "corrupted record at " + out.size());
        }
        if (length < 0 || length > MAX_RECORD_BYTES) {
          throw dataLoss(file, "record " + out.size() + " of " + length + " bytes");
        }
        if (out.size() >= MAX_RECORDS) {
          throw new InputException("Number of warmup records exceeds the maximum (" + MAX_RECORDS + ") at "
              + file);
        }
        byte[] data = new byte[(int) length];
        byte[] crc = new byte[4];
        if (!readFully(in, data) || !readFully(in, crc)) {
          throw dataLoss(file, "truncated record at " + out.size());
        }
        if (masked(data, 0, data.length) != ByteBuffer.wrap(crc).order(ByteOrder.LITTLE_ENDIAN).getInt()) {
          throw dataLoss(file, "corrupted record at " + out.size());
        }
        out.add(data);
      }
    } catch (EOFException e) {
      throw dataLoss(file, "truncated record at " + out.size());
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage());
    }
    return out;
  }

  /** Fills the buffer; false at a clean end of file, an exception at one inside it. */
  private static boolean readFully(InputStream in, byte[] b) throws IOException {
    int n = in.readNBytes(b, 0, b.length);
    if (n == 0 && b.length > 0) {
      return false;
    }
    if (n < b.length) {
      throw new EOFException("truncated record");
    }
    return true;
  }

  /** TFRecord's masked CRC-32C. */
  static int masked(byte[] b, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  private static InputException dataLoss(Path file, String what) {
    return new InputException(file + ": " + what + ". Please verify your warmup data is in TFRecord format.");
  }
}
