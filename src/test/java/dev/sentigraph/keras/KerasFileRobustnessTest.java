package dev.sentigraph.keras;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.sentigraph.error.InputException;
import dev.sentigraph.fuzz.HostileJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** .keras archives from strangers: damaged zips, h5 files and configs give a model or one InputException. */
class KerasFileRobustnessTest {
  private static final Path SOURCE = Path.of("savedmodels/cnn/model.keras");

  private static Map<String, byte[]> entries() throws Exception {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(SOURCE.toFile())) {
      for (ZipEntry e : Collections.list(z.entries())) {
        out.put(e.getName(), z.getInputStream(e).readAllBytes());
      }
    }
    return out;
  }

  private static byte[] zip(Map<String, byte[]> entries) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return b.toByteArray();
  }

  /** Reads the bytes as a .keras file: fine, or one line naming the file. */
  private static void readOrRefuse(byte[] bytes) throws Exception {
    Path f = Files.createTempFile("model", ".keras");
    try {
      Files.write(f, bytes);
      try {
        KerasFileReader.read(f);
      } catch (InputException e) {
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().lines().count() == 1, e.getMessage());
      }
    } finally {
      Files.delete(f);
    }
  }

  @Property(tries = 60)
  void flippedWeightBytes(@ForAll long seed) throws Exception {
    Map<String, byte[]> e = entries();
    byte[] h5 = e.get("model.weights.h5");
    Random r = new Random(seed);
    for (int n = 1 + r.nextInt(6); n > 0; n--) {
      h5[r.nextInt(h5.length)] = (byte) r.nextInt(256);
    }
    readOrRefuse(zip(e));
  }

  @Property(tries = 40)
  void truncatedWeightsAreAlwaysRefused(@ForAll @IntRange(min = 1, max = 40_000) int cut) throws Exception {
    Map<String, byte[]> e = entries();
    byte[] h5 = e.get("model.weights.h5");
    e.put("model.weights.h5", Arrays.copyOf(h5, h5.length - 1 - cut % (h5.length - 1)));
    Path f = Files.createTempFile("model", ".keras");
    try {
      Files.write(f, zip(e));
      assertThrows(InputException.class, () -> KerasFileReader.read(f));
    } finally {
      Files.delete(f);
    }
  }

  @Property(tries = 60)
  void hostileConfigValues(@ForAll long seed) throws Exception {
    Map<String, byte[]> e = entries();
    JsonElement config = JsonParser.parseString(new String(e.get("config.json"), StandardCharsets.UTF_8));
    Random r = new Random(seed);
    List<HostileJson.Slot> slots = HostileJson.slots(config);
    slots.get(r.nextInt(slots.size())).replace().accept(HostileJson.value(r));
    e.put("config.json", config.toString().getBytes(StandardCharsets.UTF_8));
    readOrRefuse(zip(e));
  }

  @Property(tries = 40)
  void flippedZipBytes(@ForAll long seed) throws Exception {
    byte[] z = zip(entries());
    Random r = new Random(seed);
    for (int n = 1 + r.nextInt(4); n > 0; n--) {
      z[r.nextInt(z.length)] = (byte) r.nextInt(256);
    }
    readOrRefuse(z);
  }
}
