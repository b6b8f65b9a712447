package io.shepherd.server.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Refuses request bodies over a limit with 413, whether or not they declare their length. Specs live in znodes,
 * which hold at most about 1 MiB, so nothing larger could be stored anyway.
 *
 * <p>Before answering, the rest of a refused body is read and thrown away (up to {@link #MAX_DRAINED_BYTES}): a
 * server that closes a connection with unread bytes in its receive buffer resets it, and the client, still
 * sending, then loses the 413 and sees only a broken connection. Bodies beyond the drain limit are cut off.
 *
 * <p>For the same reason, a body that nothing read (a request refused before its resource ran: no token, a role too
 * low, an unsupported media type) is read and thrown away before the answer goes out: otherwise the server closes
 * the connection after answering, and a client that already sent its next request on it sees no answer at all.
 */
public final class BodyLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {
  public static final int MAX_BODY_BYTES = 256 * 1024;
  static final long MAX_DRAINED_BYTES = 16L * 1024 * 1024;

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > MAX_BODY_BYTES) {
      drain(request.getEntityStream());
      throw tooLarge();
    }
    request.setEntityStream(new Limited(request.getEntityStream()));
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    InputStream body;
    try {
      body = request.getEntityStream();
    } catch (IllegalStateException closedByJersey) {
      return; // its resource read it, and Jersey closed it
    }
    if (!(body instanceof Limited limited && limited.closed)) {
      drain(body);
    }
  }

  private static ApiException tooLarge() {
    return new ApiException(413, "request body is larger than " + MAX_BODY_BYTES + " bytes", Optional.empty());
  }

  private static void drain(InputStream in) {
    try {
      if (in instanceof Limited limited) {
        in = limited.unlimited(); // draining is bounded here, not refused
      }
      byte[] sink = new byte[16 * 1024];
      long drained = 0;
      int n;
      while (drained < MAX_DRAINED_BYTES && (n = in.read(sink)) >= 0) {
        drained += n;
      }
    } catch (IOException clientWentAway) {
      // Nothing to answer to: the 413 is still the outcome if the connection lives.
    }
  }

  private static final class Limited extends FilterInputStream {
    private long read;
    private volatile boolean closed;

    Limited(InputStream in) {
      super(in);
    }

    InputStream unlimited() {
      return in;
    }

    @Override
    public void close() throws IOException {
      closed = true;
      super.close();
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > MAX_BODY_BYTES) {
        drain(in);
        throw tooLarge();
      }
    }
  }
}
