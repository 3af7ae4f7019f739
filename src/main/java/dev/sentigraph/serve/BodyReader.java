package dev.sentigraph.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/** Reads a request body whole, bounded: 413 past the size limit, 408 when the client trickles. */
final class BodyReader {
  /** Bodies slower than this after the grace period are refused, so a trickling client holds no thread long. */
  static final long MIN_BODY_BYTES_PER_SECOND = 1024;
  private static final double BODY_RATE_GRACE_SECONDS = 2;
  /** The most of a refused body read to let its client see the answer. */
  private static final long MAX_DISCARDED_BYTES = 64L << 20;

  private final long maxBytes;

  BodyReader(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** @throws IOException when the body cannot be read, for {@link ExceptionMapper} to answer 408 or 400 */
  byte[] read(Request request) throws IOException {
    long declared = request.getLength();
    long begin = System.nanoTime();
    try (InputStream in = Content.Source.asInputStream(request)) {
      if (declared > maxBytes) {
        discard(in, declared);
        throw new HttpError(413, "request body of " + declared + " bytes is over the limit of "
            + maxBytes + " bytes");
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 8192), 1 << 20));
      byte[] chunk = new byte[64 * 1024];
      for (int n; (n = in.read(chunk)) >= 0; ) {
        body.write(chunk, 0, n);
        if (body.size() > maxBytes) {
          discard(in, Long.MAX_VALUE);
          throw new HttpError(413, "request body is over the limit of " + maxBytes + " bytes");
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        if (seconds > BODY_RATE_GRACE_SECONDS && body.size() / seconds < MIN_BODY_BYTES_PER_SECOND) {
          // the idle timeout cuts off a client that stops; this, one that trickles a byte now and then
          throw new HttpError(408, String.format(Locale.ROOT, "the request body is arriving at %.0f bytes/s, below"
              + " the minimum of %d", body.size() / seconds, MIN_BODY_BYTES_PER_SECOND));
        }
      }
      return body.toByteArray();
    }
  }

  /**
   * Reads and drops what is left of a refused body, up to {@link #MAX_DISCARDED_BYTES}: a client still sending
   * when the connection closes may lose the 413 answer to a reset, so it is let finish first. A larger body is
   * cut off with the connection.
   */
  private static void discard(InputStream in, long length) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    long left = Math.min(length, MAX_DISCARDED_BYTES);
    for (int n; left > 0 && (n = in.read(chunk, 0, (int) Math.min(chunk.length, left))) >= 0; ) {
      left -= n;
    }
  }
}
