package dev.sentigraph.serve;

import dev.sentigraph.error.InputException;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How request log files are written: sentigraph's additions to TF Serving's {@code logging_config}, which names
 * only a file prefix and a sampling rate.
 *
 * @param maxFileBytes a file is closed and a new one begun before a record would take it past this size
 * @param maxFiles the most finished files one logger keeps; the oldest it wrote is deleted beyond that (0: all)
 * @param maxFileMillis a file open this long is closed (and so readable) even if not full, so that a quiet model's
 *     records do not wait for the cap
 * @param queueCapacity records waiting for the writer thread; one more is dropped, never waited for
 * @param opener opens a file for writing (a seam for tests that simulate a full disk)
 */
public record RequestLogSettings(long maxFileBytes, int maxFiles, long maxFileMillis, int queueCapacity,
    Opener opener) {
  public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
  public static final int DEFAULT_MAX_FILES = 16;
  public static final long DEFAULT_MAX_FILE_SECONDS = 300;

  /** Opens a new file for writing. */
  public interface Opener {
    SeekableByteChannel create(Path file) throws IOException;
  }

  public RequestLogSettings {
    if (maxFileBytes <= 0 || maxFiles < 0 || maxFileMillis <= 0 || queueCapacity <= 0) {
      throw new InputException("--request_log_max_file_bytes and --request_log_max_file_seconds must be positive,"
          + " --request_log_max_files not negative");
    }
  }

  /** 64 MiB files, 16 kept per logger (1 GiB), each closed after 5 minutes at most, 1024 records queued. */
  public static RequestLogSettings defaults() {
    return new RequestLogSettings(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, DEFAULT_MAX_FILE_SECONDS * 1000, 1024,
        file -> Files.newByteChannel(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
  }

  public RequestLogSettings withLimits(long bytes, int files, long millis) {
    return new RequestLogSettings(bytes, files, millis, queueCapacity, opener);
  }

  public RequestLogSettings withQueueCapacity(int n) {
    return new RequestLogSettings(maxFileBytes, maxFiles, maxFileMillis, n, opener);
  }

  public RequestLogSettings withOpener(Opener o) {
    return new RequestLogSettings(maxFileBytes, maxFiles, maxFileMillis, queueCapacity, o);
  }
}
