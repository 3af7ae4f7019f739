package dev.sentigraph.data;

import dev.sentigraph.error.InputException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads arrays from a numpy {@code .npz} archive: 1-d integer arrays, and 1-d object arrays of integer lists
 * (Keras' IMDB reviews), which numpy stores as pickles; Pyrolite unpickles those.
 */
public final class NpzFile implements AutoCloseable {
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
  /** numpy writes headers of a few hundred bytes; a length beyond this is damage. */
  private static final int MAX_HEADER = 1 << 20;
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

  static {
    NumpyPickles.register();
  }

  /** Largest word rank accepted: room for any index_from offset on top without overflowing an int. */
  static final int MAX_RANK = Integer.MAX_VALUE / 2;

  private final Path path;
  private final ZipFile zip;

  private NpzFile(Path path, ZipFile zip) {
    this.path = path;
    this.zip = zip;
  }

  public static NpzFile open(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new InputException(path + " does not exist or is not a file: expected a numpy .npz archive");
    }
    try {
      return new NpzFile(path, new ZipFile(path.toFile()));
    } catch (ZipException e) {
      throw new InputException(path + " is not a zip archive: expected a numpy .npz file");
    } catch (IOException e) {
      throw new InputException("cannot read " + path + ": " + e.getMessage());
    }
  }

  /** Fails unless every key is present, naming the missing ones and the expected set. */
  public void requireKeys(List<String> keys) {
    List<String> missing = keys.stream().filter(k -> zip.getEntry(k + ".npy") == null).toList();
    if (!missing.isEmpty()) {
      throw new InputException(path + " has no array " + String.join(", ", missing) + ": expected arrays "
          + String.join(", ", keys));
    }
  }

  /** A 1-d integer array ({@code <i8}, {@code <i4}, ...) as ints. */
  public int[] integers(String key) {
    try (InputStream in = member(key)) {
      Header h = readHeader(key, in);
      if (h.shape.length != 1) {
        throw bad(key, "expected a 1-d array, got shape " + java.util.Arrays.toString(h.shape));
      }
      int width = switch (h.descr) {
        case "<i8", "<u8" -> 8;
        case "<i4", "<u4" -> 4;
        case "|i1", "|u1", "|b1" -> 1;
        default -> throw bad(key, "expected a little-endian integer array, got dtype " + h.descr);
      };
      long n = h.shape[0];
      if (n * width > Integer.MAX_VALUE - 8) {
        throw bad(key, "claims " + n + " elements: expected an array that fits in memory (at most "
            + (Integer.MAX_VALUE - 8) / width + ")");
      }
      byte[] bytes = in.readNBytes((int) n * width);
      if (bytes.length != n * width) {
        throw bad(key, "is truncated: its header claims " + n + " elements (" + n * width + " bytes), the file holds "
            + bytes.length + " bytes");
      }
      ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int[] out = new int[(int) n];
      for (int i = 0; i < n; i++) {
        long v = width == 8 ? buf.getLong() : width == 4 ? buf.getInt() : buf.get();
        if (h.descr.equals("|u1") || h.descr.equals("|b1")) {
          v = v & 0xff;
        }
        if (h.descr.startsWith("<u") && v < 0 || v != (int) v) {
          throw bad(key, "element " + i + " is " + (h.descr.equals("<u8") ? Long.toUnsignedString(v) : v)
              + ": expected a 32-bit integer");
        }
        out[i] = (int) v;
      }
      return out;
    } catch (IOException e) {
      throw bad(key, "cannot be read: " + e.getMessage());
    }
  }

  /** A 1-d object array whose items are lists of integers (how {@code imdb.npz} stores reviews). */
  public int[][] integerLists(String key) {
    try (InputStream in = member(key)) {
      Header h = readHeader(key, in);
      if (!h.descr.equals("|O")) {
        throw bad(key, "expected an object array of lists, got dtype " + h.descr);
      }
      if (h.shape.length != 1) {
        throw bad(key, "has shape " + java.util.Arrays.toString(h.shape) + ": expected a 1-d array of reviews");
      }
      Object value;
      try {
        value = new Unpickler().load(in);
      } catch (PickleException | EOFException e) {
        throw bad(key, "holds a truncated or invalid pickle: " + e.getMessage());
      } catch (RuntimeException e) {
        // Pyrolite's own stack and memo errors on a malformed opcode stream
        throw bad(key, "holds an invalid pickle (" + e.getClass().getSimpleName() + "): expected numpy's object-array pickle");
      } catch (OutOfMemoryError e) {
        // a length field in the pickle that claims gigabytes: the member itself is smaller than that
        throw bad(key, "holds a pickle that claims more data than the file holds");
      }
      if (!(value instanceof NumpyPickles.ObjectArray array) || array.items() == null) {
        throw bad(key, "does not hold a numpy object array");
      }
      List<?> items = array.items();
      if (items.size() != h.shape[0]) {
        throw bad(key, "has a header that claims " + h.shape[0] + " reviews but its pickle holds " + items.size()
            + ": expected them to agree");
      }
      int[][] out = new int[items.size()][];
      for (int i = 0; i < out.length; i++) {
        if (!(items.get(i) instanceof List<?> list)) {
          throw bad(key, "review " + i + " is " + describe(items.get(i)) + ": expected a list of integer word ranks");
        }
        int[] ids = new int[list.size()];
        for (int t = 0; t < ids.length; t++) {
          Object id = list.get(t);
          if (!(id instanceof Integer || id instanceof Long) || ((Number) id).longValue() < 0
              || ((Number) id).longValue() > MAX_RANK) {
            throw bad(key, "review " + i + " item " + t + " is " + describe(id) + ": expected an integer word rank"
                + " in [0, " + MAX_RANK + "]");
          }
          ids[t] = ((Number) id).intValue();
        }
        out[i] = ids;
      }
      return out;
    } catch (IOException e) {
      throw bad(key, "cannot be read: " + e.getMessage());
    }
  }

  /** What an unpickled value is, for error messages. */
  private static String describe(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
      return "the integer " + v;
    }
    if (v instanceof Double d) {
      return "the float " + d;
    }
    if (v instanceof Boolean b) {
      return "the boolean " + (b ? "True" : "False");
    }
    if (v instanceof String str) {
      return "the string '" + (str.length() > 20 ? str.substring(0, 20) + "..." : str) + "'";
    }
    if (v instanceof List<?> l) {
      return "a list of " + l.size();
    }
    return "a " + v.getClass().getSimpleName();
  }

  private InputStream member(String key) throws IOException {
    ZipEntry entry = zip.getEntry(key + ".npy");
    if (entry == null) {
      throw new InputException(path + " has no array '" + key + "'");
    }
    // Pyrolite reads byte by byte: without a buffer a 14 MB member takes seconds longer.
    return new java.io.BufferedInputStream(zip.getInputStream(entry), 1 << 16);
  }

  private record Header(String descr, long[] shape) {}

  private Header readHeader(String key, InputStream in) throws IOException {
    byte[] magic = in.readNBytes(8);
    if (magic.length < 8 || (magic[0] & 0xff) != 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
      throw bad(key, "is not a .npy array (bad magic)");
    }
    int major = magic[6];
    if (major < 1 || major > 3) {
      throw bad(key, "has .npy format version " + major + ": expected 1, 2 or 3");
    }
    byte[] lenBytes = in.readNBytes(major == 1 ? 2 : 4);
    ByteBuffer lb = ByteBuffer.wrap(java.util.Arrays.copyOf(lenBytes, 4)).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = Integer.toUnsignedLong(lb.getInt());
    if (headerLen > MAX_HEADER) {
      throw bad(key, "has a .npy header length of " + headerLen + " bytes: expected at most " + MAX_HEADER);
    }
    byte[] header = in.readNBytes((int) headerLen);
    if (header.length != headerLen) {
      throw bad(key, "is truncated inside its header");
    }
    String text = new String(header, StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(text);
    Matcher s = SHAPE.matcher(text);
    Matcher f = FORTRAN.matcher(text);
    if (!d.find() || !s.find()) {
      throw bad(key, "has an unreadable .npy header: " + text.strip());
    }
    if (f.find() && f.group(1).equals("True")) {
      throw bad(key, "is in Fortran order: expected a C-ordered array");
    }
    long[] shape;
    try {
      shape = java.util.Arrays.stream(s.group(1).split(","))
          .map(String::strip).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
    } catch (NumberFormatException e) {
      throw bad(key, "has shape (" + s.group(1) + "): expected non-negative integer dimensions");
    }
    long elements = 1;
    for (long dim : shape) {
      if (dim < 0 || (dim > 0 && elements > Integer.MAX_VALUE / dim)) {
        throw bad(key, "has shape (" + s.group(1) + "): expected non-negative dimensions of at most "
            + Integer.MAX_VALUE + " elements");
      }
      elements *= dim;
    }
    return new Header(d.group(1), shape);
  }

  private InputException bad(String key, String problem) {
    return new InputException(path + ": array '" + key + "' " + problem);
  }

  @Override
  public void close() {
    try {
      zip.close();
    } catch (IOException e) {
      // nothing was written; a failed close of a read-only zip loses nothing
    }
  }
}
