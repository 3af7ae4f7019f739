package dev.sentigraph.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.TestFolders;
import dev.sentigraph.error.InputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionLogOuterClass.PredictLog;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;

/**
 * TF Serving's warm-up records: a TFRecord file of {@code PredictionLog}s in {@code assets.extra} is replayed before
 * a version is AVAILABLE, and a corrupt one fails the version's load (the server keeps running).
 */
class WarmupRecordsTest {
  @TempDir Path dir;

  /** Two records, "sentigraph" and "", as TensorFlow 2.21's {@code tf.io.TFRecordWriter} wrote them. */
  static final String TF_WRITTEN =
      "0a00000000000000aea3bf3a73656e7469677261706840ad9cc2000000000000000029039807d8ea82a2";

  @Test
  void readsTheTfRecordsTensorFlowWrites() throws Exception {
    Path file = dir.resolve("records");
    Files.write(file, HexFormat.of().parseHex(TF_WRITTEN));
    List<byte[]> records = WarmupRecords.read(file);
    assertEquals(2, records.size());
    assertArrayEquals("sentigraph".getBytes(StandardCharsets.US_ASCII), records.get(0));
    assertEquals(0, records.get(1).length);
    byte[] corrupt = HexFormat.of().parseHex(TF_WRITTEN);
    corrupt[14] ^= 1;
    Files.write(file, corrupt);
    InputException e = assertThrows(InputException.class, () -> WarmupRecords.read(file));
    assertTrue(e.getMessage().contains("corrupted record at 0"), e.getMessage());
    Files.write(file, java.util.Arrays.copyOf(HexFormat.of().parseHex(TF_WRITTEN), 20));
    e = assertThrows(InputException.class, () -> WarmupRecords.read(file));
    assertTrue(e.getMessage().contains("TFRecord format"), e.getMessage());
  }

  private static byte[] tfRecords(List<byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] r : records) {
      byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(r.length).array();
      out.writeBytes(length);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(WarmupRecords.masked(length, 0, 8))
          .array());
      out.writeBytes(r);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(WarmupRecords.masked(r, 0, r.length))
          .array());
    }
    return out.toByteArray();
  }

  private static byte[] predictLog(int rows) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(TensorShapeProto
        .newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(rows))
        .addDim(TensorShapeProto.Dim.newBuilder().setSize(16)));
    for (int i = 0; i < rows * 16; i++) {
      t.addIntVal(i % 50);
    }
    return PredictionLog.newBuilder().setPredictLog(PredictLog.newBuilder().setRequest(PredictRequest.newBuilder()
        .setModelSpec(ModelSpec.newBuilder().setName("lstm")).putInputs("tokens", t.build()))).build().toByteArray();
  }

  @Test
  void aVersionIsAvailableOnlyAfterItsRecordsAndABadFileFailsItsLoad() throws Exception {
    Path base = dir.resolve("lstm");
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("lstm/export"), base.resolve("1"));
    Files.createDirectories(base.resolve("1/assets.extra"));
    Files.write(base.resolve("1").resolve(WarmupRecords.FILE), tfRecords(List.of(predictLog(3), predictLog(5))));
    TestFolders.copyTree(ServeClient.SAVEDMODELS.resolve("lstm/export"), base.resolve("2"));
    Files.createDirectories(base.resolve("2/assets.extra"));
    Files.write(base.resolve("2").resolve(WarmupRecords.FILE), new byte[] {1, 2, 3});
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    try (ModelServer s = ModelServer.start(List.of(new ModelSource("lstm", base, new VersionPolicy.All(),
        java.util.Map.of())), ServerSettings.defaults().withPort(0).withLoading(
        ServerSettings.Loading.DEFAULT.withWarmupIterations(2)), log::add)) {
      ServeClient client = new ServeClient(s.port());
      assertTrue(log.stream().anyMatch(l -> l.contains("version 1 warmed up with 2 records")), log.toString());
      assertEquals(200, client.get("/v1/models/lstm/versions/1").status());
      ServeClient.Reply two = client.get("/v1/models/lstm/versions/2");
      assertEquals(503, two.status(), two.body());
      assertTrue(two.body().contains("END") && two.body().contains("INVALID_ARGUMENT")
          && two.body().contains("TFRecord format"), two.body());
    }
  }
}
