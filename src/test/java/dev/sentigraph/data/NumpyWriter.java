package dev.sentigraph.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes numpy files the way numpy does, for tests and the fuzz harness: {@code .npy} members (header dict padded
 * to 64 bytes), object arrays as protocol-2 pickles of {@code _reconstruct}, and {@code .npz} zips of members.
 * Items of an object array may be anything a pickle holds, so hostile reviews can be written.
 */
public final class NumpyWriter {
  private NumpyWriter() {}

  /** A .npy member with the given header fields (written verbatim) and body. */
  public static byte[] npy(String descr, String shape, byte[] body) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
    int total = 10 + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - total) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1)).put(body);
    return b.array();
  }

  public static byte[] int64s(long... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  /** A 1-d int64 array as numpy saves it. */
  public static byte[] int64Array(long... values) {
    return npy("<i8", values.length + ",", int64s(values));
  }

  /** A 1-d object array of {@code items} as numpy pickles it. */
  public static byte[] objectArray(List<?> items) {
    return npy("|O", items.size() + ",", pickle(items));
  }

  /** numpy's pickle of a 1-d object array: _reconstruct(ndarray, (0,), b'b') then __setstate__. */
  public static byte[] pickle(List<?> items) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80);
    out.write(2);
    global(out, "numpy.core.multiarray", "_reconstruct");
    global(out, "numpy", "ndarray");
    out.write('K');
    out.write(0);
    out.write(0x85); // TUPLE1
    value(out, "b");
    out.write(0x87); // TUPLE3
    out.write('R');
    out.write('(');
    value(out, 1);
    value(out, items.size());
    out.write(0x85);
    global(out, "numpy", "dtype");
    value(out, "O8");
    out.write(0x89); // NEWFALSE
    out.write(0x88); // NEWTRUE
    out.write(0x87);
    out.write('R');
    out.write('(');
    value(out, 3);
    value(out, "|");
    out.write('N');
    out.write('N');
    out.write('N');
    value(out, -1);
    value(out, -1);
    value(out, 63);
    out.write('t');
    out.write('b'); // BUILD the dtype
    out.write(0x89);
    value(out, items);
    out.write('t');
    out.write('b'); // BUILD the array
    out.write('.');
    return out.toByteArray();
  }

  private static void global(ByteArrayOutputStream out, String module, String name) {
    out.write('c');
    out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  private static void value(ByteArrayOutputStream out, Object v) {
    if (v == null) {
      out.write('N');
    } else if (v instanceof Boolean b) {
      out.write(b ? 0x88 : 0x89);
    } else if (v instanceof Integer || v instanceof Long) {
      long x = ((Number) v).longValue();
      if (x == (int) x) {
        out.write('J');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) x).array());
      } else {
        out.write(0x8a); // LONG1
        out.write(8);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(x).array());
      }
    } else if (v instanceof java.math.BigInteger big) {
      byte[] be = big.toByteArray();
      out.write(0x8a);
      out.write(be.length);
      for (int i = be.length - 1; i >= 0; i--) {
        out.write(be[i]);
      }
    } else if (v instanceof Double d) {
      out.write('G');
      out.writeBytes(ByteBuffer.allocate(8).putDouble(d).array());
    } else if (v instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      out.write('X');
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
      out.writeBytes(utf8);
    } else if (v instanceof List<?> list) {
      out.write(']');
      if (!list.isEmpty()) {
        out.write('(');
        list.forEach(x -> value(out, x));
        out.write('e');
      }
    } else {
      throw new IllegalArgumentException("cannot pickle " + v.getClass());
    }
  }

  /** A zip of {@code name.npy} members, in the map's order. */
  public static byte[] npz(Map<String, byte[]> members) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : members.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** An imdb.npz-shaped archive of the four arrays. */
  public static byte[] imdb(List<?> xTrain, long[] yTrain, List<?> xTest, long[] yTest) {
    Map<String, byte[]> m = new java.util.LinkedHashMap<>();
    m.put("x_train", objectArray(xTrain));
    m.put("y_train", int64Array(yTrain));
    m.put("x_test", objectArray(xTest));
    m.put("y_test", int64Array(yTest));
    return npz(m);
  }
}
