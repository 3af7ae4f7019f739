package dev.sentigraph.data;

import dev.sentigraph.InvalidInputException;
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
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

  static {
    NumpyPickles.register();
  }

  private final Path path;
  private final ZipFile zip;

  private NpzFile(Path path, ZipFile zip) {
    this.path = path;
    this.zip = zip;
  }

  public static NpzFile open(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException(path + " does not exist or is not a file: expected a numpy .npz archive");
    }
    try {
      return new NpzFile(path, new ZipFile(path.toFile()));
    } catch (ZipException e) {
      throw new InvalidInputException(path + " is not a zip archive: expected a numpy .npz file");
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + path + ": " + e.getMessage());
    }
  }

  /** Fails unless every key is present, naming the missing ones and the expected set. */
  public void requireKeys(List<String> keys) {
    List<String> missing = keys.stream().filter(k -> zip.getEntry(k + ".npy") == null).toList();
    if (!missing.isEmpty()) {
      throw new InvalidInputException(path + " has no array " + String.join(", ", missing) + ": expected arrays "
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
      int n = (int) h.shape[0];
      byte[] bytes = in.readNBytes(n * width);
      if (bytes.length != n * width) {
        throw bad(key, "is truncated: expected " + n * width + " bytes of data, found " + bytes.length);
      }
      ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        long v = width == 8 ? buf.getLong() : width == 4 ? buf.getInt() : buf.get();
        out[i] = Math.toIntExact(v);
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
      Object value;
      try {
        value = new Unpickler().load(in);
      } catch (PickleException | EOFException e) {
        throw bad(key, "holds a truncated or invalid pickle: " + e.getMessage());
      }
      if (!(value instanceof NumpyPickles.ObjectArray array) || array.items() == null) {
        throw bad(key, "does not hold a numpy object array");
      }
      List<?> items = array.items();
      int[][] out = new int[items.size()][];
      for (int i = 0; i < out.length; i++) {
        if (!(items.get(i) instanceof List<?> list)) {
          throw bad(key, "item " + i + " is not a list of integers");
        }
        int[] ids = new int[list.size()];
        for (int t = 0; t < ids.length; t++) {
          ids[t] = ((Number) list.get(t)).intValue();
        }
        out[i] = ids;
      }
      return out;
    } catch (IOException e) {
      throw bad(key, "cannot be read: " + e.getMessage());
    }
  }

  private InputStream member(String key) throws IOException {
    ZipEntry entry = zip.getEntry(key + ".npy");
    if (entry == null) {
      throw new InvalidInputException(path + " has no array '" + key + "'");
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
    byte[] lenBytes = in.readNBytes(major == 1 ? 2 : 4);
    ByteBuffer lb = ByteBuffer.wrap(java.util.Arrays.copyOf(lenBytes, 4)).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen = lb.getInt();
    byte[] header = in.readNBytes(headerLen);
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
    long[] shape = java.util.Arrays.stream(s.group(1).split(","))
        .map(String::strip).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
    return new Header(d.group(1), shape);
  }

  private InvalidInputException bad(String key, String problem) {
    return new InvalidInputException(path + ": array '" + key + "' " + problem);
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
