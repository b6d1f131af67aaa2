package io.wireguardjava.uapi;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One client of the UAPI socket: reads a request whole (up to its blank line, within the limits and
 * the deadline), has it carried out, writes the reply; until EOF, an error or the deadline. A
 * request that ends early (the client went away) or breaks a limit is answered with an errno, or
 * not at all, and changes nothing. No lock is held while reading or writing.
 */
final class Connection {
  private static final System.Logger LOG = System.getLogger(UapiServer.class.getName());

  private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(1);
  private static final int WRITE_SLICE = 64 * 1024;
  private static final Duration LINGER = Duration.ofSeconds(1);

  private final SocketChannel channel;
  private final boolean busy;
  private final UapiServer.Limits limits;
  private final Requests requests;
  private final BooleanSupplier serverClosed;
  private final ByteBuffer in = ByteBuffer.allocate(8192);
  private byte[] line = new byte[256];
  private volatile @Nullable Selector selector;
  private long deadline;
  private long requestBytes;
  private @Nullable ReplyWriter writer;
  private boolean lingering;

  /**
   * @param busy whether this client is over the limit and only gets {@code errno=-11}
   * @param serverClosed whether the server is closing: ends the connection at its next wait
   */
  Connection(
      SocketChannel channel,
      boolean busy,
      UapiServer.Limits limits,
      Requests requests,
      BooleanSupplier serverClosed) {
    this.channel = channel;
    this.busy = busy;
    this.limits = limits;
    this.requests = requests;
    this.serverClosed = serverClosed;
    in.flip(); // empty, ready to read from
  }

  /** Ends this connection from another thread (server close). */
  void abort() {
    closeQuietly(channel);
    Selector sel = selector;
    if (sel != null) {
      sel.wakeup();
    }
  }

  /** Serves requests until EOF, an error, the deadline or the server's close. */
  void serve() {
    try (Selector sel = Selector.open()) {
      selector = sel;
      if (serverClosed.getAsBoolean()) {
        return;
      }
      channel.configureBlocking(false);
      channel.register(sel, SelectionKey.OP_READ);
      while (!serverClosed.getAsBoolean()) {
        startRequest();
        String op = readLine(true);
        if (op == null) {
          return; // clean EOF between requests
        }
        String reply;
        boolean keepOpen = true;
        if (busy) {
          skipRequest(op);
          reply = "errno=" + Errno.BUSY + "\n\n";
          keepOpen = false;
        } else if (op.equals("get=1")) {
          String next = readLine(false);
          if (!Objects.requireNonNull(next).isEmpty()) {
            reply = "errno=" + Errno.INVALID + "\n\n";
            keepOpen = false;
          } else {
            ReplyWriter w = replyWriter();
            try {
              requests.get(w); // streamed, errno line included
            } finally {
              w.wipe();
            }
            continue;
          }
        } else if (op.equals("set=1")) {
          reply = "errno=" + set() + "\n\n";
        } else {
          LOG.log(Level.DEBUG, "invalid UAPI operation: {0}", UapiText.describe(op));
          reply = "errno=" + Errno.PROTOCOL + "\n\n";
          keepOpen = false;
        }
        write(reply);
        if (!keepOpen) {
          linger();
          return;
        }
      }
    } catch (Abort a) {
      LOG.log(Level.DEBUG, "UAPI client on {0}: {1}", requests.name(), a.getMessage());
      try {
        write("errno=" + a.errno + "\n\n");
        linger();
      } catch (IOException | Abort e) {
        // the client is gone or not reading; it is closed next
      }
    } catch (ClosedChannelException e) {
      // closed by close() or the client
    } catch (IOException | RuntimeException e) {
      if (!serverClosed.getAsBoolean()) {
        LOG.log(Level.DEBUG, "UAPI client on " + requests.name() + " failed", e);
      }
    }
  }

  private void startRequest() {
    Duration timeout = limits.requestTimeout();
    if (busy && timeout.compareTo(BUSY_TIMEOUT) > 0) {
      timeout = BUSY_TIMEOUT; // the one thread that turns clients away must not wait long
    }
    deadline = System.nanoTime() + timeout.toNanos();
    requestBytes = 0;
  }

  /** Reads the rest of a request we are not going to carry out. */
  private void skipRequest(String op) throws IOException, Abort {
    if (op.equals("get=1")) {
      readLine(false);
    } else if (op.equals("set=1")) {
      while (!Objects.requireNonNull(readLine(false)).isEmpty()) {
        // skip
      }
    }
  }

  /**
   * Before closing after an error: stops writing and reads what the client still sends (up to a
   * limit, for at most a second), so that it sees our reply rather than a reset.
   */
  private void linger() {
    try {
      channel.shutdownOutput();
      lingering = true;
      deadline = System.nanoTime() + LINGER.toNanos();
      long total = in.remaining();
      while (total < limits.maxRequestBytes()) {
        in.clear();
        int n = readSome();
        if (n < 0) {
          break;
        }
        total += n;
      }
    } catch (IOException | Abort e) {
      // closing anyway
    }
  }

  /** Reads the rest of a set request; the errno to answer. */
  private int set() throws IOException, Abort {
    SetRequest.Parser parser = new SetRequest.Parser();
    @Nullable UapiException error = null;
    while (true) {
      int length = readLineBytes(false);
      if (length == 0) {
        break;
      }
      if (error == null) {
        try {
          parser.line(line, length); // from the bytes: most lines of a big request make no text
        } catch (UapiException e) {
          error = e; // keep reading up to the blank line, so the reply comes in turn
        }
      }
    }
    if (error != null) {
      // A client's mistake, answered with its errno: nothing for the application's log.
      LOG.log(Level.DEBUG, "UAPI set on {0} rejected: {1}", requests.name(), error.getMessage());
      return error.errno();
    }
    return requests.set(parser.finish());
  }

  /**
   * The next line without its {@code \n}, bytes taken as ISO-8859-1 (so binary input turns into
   * keys that match nothing); {@code null} at EOF before the first byte when {@code eofOk}.
   */
  private @Nullable String readLine(boolean eofOk) throws IOException, Abort {
    int len = readLineBytes(eofOk);
    return len < 0 ? null : new String(line, 0, len, StandardCharsets.ISO_8859_1);
  }

  /**
   * Reads the next line into {@link #line}, without its {@code \n}: its length, or -1 at EOF before
   * the first byte when {@code eofOk}.
   */
  private int readLineBytes(boolean eofOk) throws IOException, Abort {
    int len = 0;
    while (true) {
      while (in.hasRemaining()) {
        byte b = in.get();
        if (++requestBytes > limits.maxRequestBytes()) {
          throw new Abort(Errno.TOO_LARGE, "request over " + limits.maxRequestBytes() + " bytes");
        }
        if (b == '\n') {
          return len;
        }
        if (len == limits.maxLineBytes()) {
          throw new Abort(Errno.IO, "line over " + limits.maxLineBytes() + " bytes");
        }
        if (len == line.length) {
          line = java.util.Arrays.copyOf(line, Math.min(2 * len, limits.maxLineBytes()));
        }
        line[len++] = b;
      }
      in.clear();
      int n = readSome();
      in.flip();
      if (n < 0) {
        if (eofOk && len == 0) {
          return -1;
        }
        throw new Abort(Errno.PROTOCOL, "request ended before its blank line");
      }
    }
  }

  private int readSome() throws IOException, Abort {
    Selector sel = Objects.requireNonNull(selector);
    while (true) {
      int n = channel.read(in);
      if (n > 0 && !busy && !lingering) {
        // The timeout is for silence, not for the whole request: a setconf of a million prefixes
        // takes longer than 10 s to send on a loaded machine, and is not a slow client.
        deadline = System.nanoTime() + limits.requestTimeout().toNanos();
      }
      if (n != 0) {
        return n;
      }
      waitFor(sel, SelectionKey.OP_READ);
    }
  }

  /** The get reply's writer: 64 KiB at a time to the channel, each with its own deadline. */
  private ReplyWriter replyWriter() {
    ReplyWriter w = writer;
    if (w == null) {
      w = new ReplyWriter(ByteBuffer.allocate(WRITE_SLICE), this::writeFully);
      writer = w;
    }
    return w;
  }

  private void writeFully(ByteBuffer out) throws IOException {
    Selector sel = Objects.requireNonNull(selector);
    deadline = System.nanoTime() + limits.requestTimeout().toNanos();
    try {
      while (out.hasRemaining()) {
        if (channel.write(out) == 0) {
          waitFor(sel, SelectionKey.OP_WRITE);
        }
      }
    } catch (Abort a) {
      throw new java.io.InterruptedIOException("get reply: " + a.getMessage());
    }
  }

  private void write(String reply) throws IOException, Abort {
    Selector sel = Objects.requireNonNull(selector);
    byte[] bytes = reply.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer out = ByteBuffer.wrap(bytes);
    // A reply gets its own deadline: a slow reader is closed, never waited on for ever.
    deadline = System.nanoTime() + limits.requestTimeout().toNanos();
    while (out.hasRemaining()) {
      // In slices: the JDK copies a heap buffer into a temporary direct buffer of its whole
      // remaining size on every write, so a 30 MB get (65,536 peers) written at once cost
      // gigabytes of zeroing and 15 seconds; 64 KiB slices reuse one cached buffer.
      out.limit(Math.min(bytes.length, out.position() + WRITE_SLICE));
      if (channel.write(out) == 0) {
        waitFor(sel, SelectionKey.OP_WRITE);
      }
      out.limit(bytes.length);
    }
  }

  private void waitFor(Selector sel, int ops) throws IOException, Abort {
    SelectionKey key = Objects.requireNonNull(channel.keyFor(sel));
    key.interestOps(ops);
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new Abort(Errno.TIMED_OUT, "client too slow");
    }
    sel.select(Math.max(1, left / 1_000_000));
    sel.selectedKeys().clear();
    if (serverClosed.getAsBoolean() || !channel.isOpen()) {
      throw new ClosedChannelException();
    }
  }

  static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}

/** Why a connection is being ended with an errno. */
final class Abort extends Exception {
  private static final long serialVersionUID = 1L;
  final int errno;

  Abort(int errno, String message) {
    super(message, null, false, false);
    this.errno = errno;
  }
}
