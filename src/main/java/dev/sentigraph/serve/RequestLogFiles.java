package dev.sentigraph.serve;

import dev.sentigraph.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The TFRecord files one request logger writes: {@code <filename_prefix>-<start time>-<process id>-<n>.tfrecord},
 * each written under a hidden temporary name beside it and renamed once closed (full, old enough, or at
 * shutdown), so that a reader never sees half a file. Records follow TensorFlow's TFRecord framing (length, masked
 * CRC-32C of the length, data, masked CRC-32C of the data). Used by one thread only.
 */
final class RequestLogFiles implements AutoCloseable {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final String prefix;
  private final RequestLogSettings settings;
  /** Makes each run's names distinct from another run's and another process's with the same prefix. */
  private final String unique;
  private final Deque<Path> finished = new ArrayDeque<>();
  private int sequence;
  private SeekableByteChannel out;
  private Path tmp;
  private Path target;
  private long written;
  private long openedNanos;

  RequestLogFiles(String prefix, RequestLogSettings settings) {
    this.prefix = prefix;
    this.settings = settings;
    this.unique = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + "-" + ProcessHandle.current().pid();
  }

  /**
   * Appends one record, first closing the current file when the record would take it past the size cap. After a
   * failed write the file is cut back to its last whole record (or, if even that fails, abandoned), so the next
   * record can be written once the disk has room again.
   */
  void write(byte[] record) throws IOException {
    long size = 16L + record.length;
    if (out != null && written > 0 && written + size > settings.maxFileBytes()) {
      finish();
    }
    if (out == null) {
      open();
    }
    ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(record.length);
    b.putInt(WarmupRecords.masked(b.array(), 0, 8));
    b.put(record);
    b.putInt(WarmupRecords.masked(record, 0, record.length));
    b.flip();
    try {
      while (b.hasRemaining()) {
        out.write(b);
      }
      written += size;
    } catch (IOException e) {
      cutBack();
      throw e;
    }
  }

  /** Whether the open file has been open longer than allowed (then {@link #finish} publishes it). */
  boolean stale() {
    return out != null && System.nanoTime() - openedNanos >= settings.maxFileMillis() * 1_000_000L;
  }

  /** How long until the open file goes stale, in milliseconds; -1 with none open. */
  long millisUntilStale() {
    return out == null ? -1
        : Math.max(0, settings.maxFileMillis() - (System.nanoTime() - openedNanos) / 1_000_000L);
  }

  /** Closes the open file under its final name and deletes the oldest beyond {@code maxFiles}. */
  void finish() throws IOException {
    if (out == null) {
      return;
    }
    SeekableByteChannel closing = out;
    out = null;
    closing.close();
    if (written == 0) {
      Files.deleteIfExists(tmp);
      return;
    }
    AtomicFile.moveIntoPlace(tmp, target);
    finished.addLast(target);
    while (settings.maxFiles() > 0 && finished.size() > settings.maxFiles()) {
      Files.deleteIfExists(finished.removeFirst());
    }
  }

  /** The names this prefix's files take, for log lines: {@code /logs/imdb-*.tfrecord}. */
  static String pattern(String prefix) {
    return prefix + (prefix.endsWith("/") ? "" : "-") + "*.tfrecord";
  }

  private void open() throws IOException {
    sequence++;
    String name = prefix + (prefix.endsWith("/") ? "" : "-") + unique + "-"
        + String.format(java.util.Locale.ROOT, "%05d", sequence) + ".tfrecord";
    target = Path.of(name).toAbsolutePath();
    Files.createDirectories(target.getParent());
    tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    out = settings.opener().create(tmp);
    written = 0;
    openedNanos = System.nanoTime();
  }

  private void cutBack() {
    try {
      out.truncate(written);
      out.position(written);
    } catch (IOException e) {
      abandon();
    }
  }

  /** Drops the open file and what it held: it cannot be brought back to whole records. */
  private void abandon() {
    try {
      out.close();
    } catch (IOException ignored) {
      // the file is deleted next; its close error adds nothing
    }
    out = null;
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // a leftover hidden .tmp file is all that remains
    }
  }

  @Override
  public void close() throws IOException {
    finish();
  }
}
