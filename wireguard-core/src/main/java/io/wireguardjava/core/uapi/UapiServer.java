package io.wireguardjava.core.uapi;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Serves the UAPI of one device on {@code <directory>/<name>.sock}, as wireguard-go does on {@code
 * /var/run/wireguard/<name>.sock}.
 *
 * <p>The directory is created with mode 0755 if missing; the socket is bound inside a private 0700
 * directory, set to 0600 and only then renamed into place, so no other user can ever connect. A
 * socket file left by a dead process is replaced; one that still answers is not ("unix socket in
 * use"). {@link #close()} removes the socket file if it is still ours.
 *
 * <p>Each connection is served by its own short-lived thread, at most {@link Limits#maxClients} at
 * once (more get {@code errno=-11} and are closed). A request must arrive whole within {@link
 * Limits#requestTimeout}, with lines of at most {@link Limits#maxLineBytes} and at most {@link
 * Limits#maxRequestBytes} in all; otherwise the client gets an errno ({@code -110}, {@code -5},
 * {@code -90}) and is closed, and nothing is changed. A client that never reads its reply is closed
 * at the same deadline. No client can hold a lock the tunnel or other clients need.
 */
public final class UapiServer implements Closeable {

  /** Where wireguard-go and {@code wg} look for sockets. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/var/run/wireguard");

  private static final System.Logger LOG = System.getLogger(UapiServer.class.getName());

  private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(1);
  private static final int WRITE_SLICE = 64 * 1024;
  private static final Duration LINGER = Duration.ofSeconds(1);

  /** Bounds on what one client may send and how long it may take. */
  public record Limits(
      int maxLineBytes, int maxRequestBytes, Duration requestTimeout, int maxClients) {

    /**
     * 4 KiB lines (a valid line is under 200 bytes), requests as large as an eighth of the heap (at
     * least 16 MiB; 24 MB carry a peer with a million prefixes, 12 MB a {@code setconf} of 65,536
     * peers), 10 seconds, 32 clients. Only the socket's owner can connect (mode 0600), so the
     * request size is bounded by what the owner sends and the memory it gave the JVM, not by a
     * small constant; a request is still parsed whole before anything is applied.
     */
    public static final Limits DEFAULT =
        new Limits(
            4096,
            requestBytesForHeap(Runtime.getRuntime().maxMemory()),
            Duration.ofSeconds(10),
            32);

    /** An eighth of {@code maxHeap}, at least 16 MiB, at most 1 GiB. */
    static int requestBytesForHeap(long maxHeap) {
      return (int) Math.max(16L << 20, Math.min(1L << 30, maxHeap / 8));
    }

    /**
     * Checks that the limits leave room for a valid request.
     *
     * @param maxLineBytes the longest line accepted
     * @param maxRequestBytes the largest request accepted
     * @param requestTimeout how long one request may take
     * @param maxClients how many clients are served at once
     */
    public Limits {
      if (maxLineBytes < 128 || maxRequestBytes < maxLineBytes || maxClients < 1) {
        throw new IllegalArgumentException("limits too small");
      }
      Objects.requireNonNull(requestTimeout);
    }
  }

  private final String name;
  private final Path socketPath;
  private final @Nullable Object fileKey;
  private final UapiBackend backend;
  private final Limits limits;
  private final ServerSocketChannel server;
  private final Thread acceptor;
  private final Semaphore slots;
  private final Set<Connection> clients = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connectionCount = new AtomicInteger();

  /** One thread that answers clients over the limit with errno=-11, a few at a time. */
  private final ThreadPoolExecutor busyResponder;

  private volatile boolean closed;

  private UapiServer(
      String name,
      Path socketPath,
      @Nullable Object fileKey,
      ServerSocketChannel server,
      UapiBackend backend,
      Limits limits) {
    this.name = name;
    this.socketPath = socketPath;
    this.fileKey = fileKey;
    this.server = server;
    this.backend = backend;
    this.limits = limits;
    this.slots = new Semaphore(limits.maxClients());
    this.acceptor = new Thread(this::acceptLoop, "wg-uapi-" + name + "-accept");
    acceptor.setDaemon(true);
    this.busyResponder =
        new ThreadPoolExecutor(
            1,
            1,
            10,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(16),
            r -> {
              Thread t = new Thread(r, "wg-uapi-" + name + "-busy");
              t.setDaemon(true);
              return t;
            });
    busyResponder.allowCoreThreadTimeOut(true);
  }

  /**
   * Starts serving {@code backend} on {@code /var/run/wireguard/<name>.sock}.
   *
   * @param name the interface name
   * @param backend the device to serve
   * @return the running server; closing it removes the socket
   * @throws java.io.IOException when the socket cannot be created
   */
  public static UapiServer start(String name, UapiBackend backend) throws IOException {
    return start(DEFAULT_DIRECTORY, name, backend, Limits.DEFAULT);
  }

  /**
   * Starts serving {@code backend} on {@code <directory>/<name>.sock}.
   *
   * @param directory the socket directory
   * @param name the interface name
   * @param backend the device to serve
   * @param limits the bounds on each client
   * @return the running server; closing it removes the socket
   * @throws IOException when the directory cannot be created, the name is not a valid interface
   *     name, or another live process serves that socket ("unix socket in use")
   */
  public static UapiServer start(Path directory, String name, UapiBackend backend, Limits limits)
      throws IOException {
    checkName(name);
    ensureDirectory(directory);
    Path socketPath = directory.resolve(name + ".sock");
    removeStaleSocket(socketPath);

    Path privateDir =
        Files.createTempDirectory(
            directory,
            "." + name + ".",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path tmpSocket = privateDir.resolve("s");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    Object fileKey;
    try {
      server.bind(UnixDomainSocketAddress.of(tmpSocket), 64);
      Files.setPosixFilePermissions(tmpSocket, PosixFilePermissions.fromString("rw-------"));
      fileKey = Files.readAttributes(tmpSocket, BasicFileAttributes.class).fileKey();
      // A rename keeps the bound socket: clients connect to the inode the path names.
      Files.move(tmpSocket, socketPath, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      server.close();
      Files.deleteIfExists(tmpSocket);
      throw e;
    } finally {
      Files.deleteIfExists(privateDir);
    }
    UapiServer s = new UapiServer(name, socketPath, fileKey, server, backend, limits);
    s.acceptor.start();
    LOG.log(Level.DEBUG, "UAPI listening on {0}", socketPath);
    return s;
  }

  /**
   * The socket file, {@code <directory>/<name>.sock}.
   *
   * @return the socket file, {@code <directory>/<name>.sock}
   */
  public Path socketPath() {
    return socketPath;
  }

  /**
   * Whether our socket file is still in place: false once someone removed or replaced it, which
   * newer {@code wg-quick down} does to stop a userspace daemon.
   *
   * @return whether our socket file is still in place: false once someone removed or replaced it,
   *     which newer {@code wg-quick down} does to stop a userspace daemon
   */
  public boolean isSocketPresent() {
    try {
      Object key =
          Files.readAttributes(socketPath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .fileKey();
      return fileKey == null || fileKey.equals(key);
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops accepting, disconnects every client, and removes the socket file if it is ours. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean ours = isSocketPresent();
    try {
      server.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing UAPI server socket", e);
    }
    for (Connection c : clients) {
      c.abort();
    }
    busyResponder.shutdownNow();
    if (ours) {
      try {
        Files.deleteIfExists(socketPath);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot remove " + socketPath, e);
      }
    }
    if (Thread.currentThread() != acceptor) {
      try {
        acceptor.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel c;
      try {
        c = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.log(Level.WARNING, "UAPI accept failed on " + socketPath, e);
        }
        return;
      }
      if (!slots.tryAcquire()) {
        Connection busy = new Connection(c, true);
        try {
          busyResponder.execute(
              () -> {
                try {
                  busy.serve();
                } finally {
                  closeQuietly(c);
                }
              });
        } catch (RejectedExecutionException e) {
          closeQuietly(c); // even the queue of clients to turn away is full
        }
        continue;
      }
      Connection conn = new Connection(c, false);
      clients.add(conn);
      Thread t =
          new Thread(
              () -> {
                try {
                  conn.serve();
                } finally {
                  clients.remove(conn);
                  closeQuietly(c);
                  slots.release();
                }
              },
              "wg-uapi-" + name + "-" + connectionCount.incrementAndGet());
      t.setDaemon(true);
      t.start();
      if (closed) {
        conn.abort();
      }
    }
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  /** Why a connection is being ended with an errno. */
  private static final class Abort extends Exception {
    private static final long serialVersionUID = 1L;
    final int errno;

    Abort(int errno, String message) {
      super(message, null, false, false);
      this.errno = errno;
    }
  }

  /** One client: reads requests, answers each, until EOF, an error or the deadline. */
  private final class Connection {
    private final SocketChannel channel;
    private final boolean busy;
    private final ByteBuffer in = ByteBuffer.allocate(8192);
    private byte[] line = new byte[256];
    private volatile @Nullable Selector selector;
    private long deadline;
    private long requestBytes;

    Connection(SocketChannel channel, boolean busy) {
      this.channel = channel;
      this.busy = busy;
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

    void serve() {
      try (Selector sel = Selector.open()) {
        selector = sel;
        if (closed) {
          return;
        }
        channel.configureBlocking(false);
        channel.register(sel, SelectionKey.OP_READ);
        while (!closed) {
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
              reply = get();
            }
          } else if (op.equals("set=1")) {
            reply = "errno=" + set() + "\n\n";
          } else {
            LOG.log(Level.DEBUG, "invalid UAPI operation: {0}", SetRequest.describe(op));
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
        LOG.log(Level.DEBUG, "UAPI client on {0}: {1}", socketPath, a.getMessage());
        try {
          write("errno=" + a.errno + "\n\n");
          linger();
        } catch (IOException | Abort e) {
          // the client is gone or not reading; it is closed next
        }
      } catch (ClosedChannelException e) {
        // closed by close() or the client
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.log(Level.DEBUG, "UAPI client on " + socketPath + " failed", e);
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
        String l = readLine(false);
        if (Objects.requireNonNull(l).isEmpty()) {
          break;
        }
        if (error == null) {
          try {
            parser.line(l);
          } catch (UapiException e) {
            error = e; // keep reading up to the blank line, so the reply comes in turn
          }
        }
      }
      if (error != null) {
        // A client's mistake, answered with its errno: nothing for the application's log.
        LOG.log(Level.DEBUG, "UAPI set on {0} rejected: {1}", name, error.getMessage());
        return error.errno();
      }
      SetRequest request = parser.finish();
      try {
        backend.update(request::applyTo);
        return Errno.OK;
      } catch (UapiException e) {
        LOG.log(Level.DEBUG, "UAPI set on {0} failed: {1}", name, e.getMessage());
        return e.errno();
      } catch (IllegalArgumentException e) {
        LOG.log(Level.WARNING, "UAPI set on " + name + " refused by the tunnel", e);
        return Errno.INVALID;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "UAPI set on " + name + " failed", e);
        return Errno.IO;
      }
    }

    /** The whole reply to a get; a tunnel that fails to answer gives {@code errno=-5}. */
    private String get() {
      try {
        return DeviceState.of(backend).render() + "errno=0\n\n";
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "UAPI get on " + name + " failed", e);
        return "errno=" + Errno.IO + "\n\n";
      }
    }

    /**
     * The next line without its {@code \n}, bytes taken as ISO-8859-1 (so binary input turns into
     * keys that match nothing); {@code null} at EOF before the first byte when {@code eofOk}.
     */
    private @Nullable String readLine(boolean eofOk) throws IOException, Abort {
      int len = 0;
      while (true) {
        while (in.hasRemaining()) {
          byte b = in.get();
          if (++requestBytes > limits.maxRequestBytes()) {
            throw new Abort(Errno.TOO_LARGE, "request over " + limits.maxRequestBytes() + " bytes");
          }
          if (b == '\n') {
            return new String(line, 0, len, StandardCharsets.ISO_8859_1);
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
            return null;
          }
          throw new Abort(Errno.PROTOCOL, "request ended before its blank line");
        }
      }
    }

    private int readSome() throws IOException, Abort {
      Selector sel = Objects.requireNonNull(selector);
      while (true) {
        int n = channel.read(in);
        if (n != 0) {
          return n;
        }
        waitFor(sel, SelectionKey.OP_READ);
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
      if (closed || !channel.isOpen()) {
        throw new ClosedChannelException();
      }
    }
  }

  private static void checkName(String name) throws IOException {
    // Linux IFNAMSIZ is 16 with the NUL; wg refuses names with '/'.
    if (name.isEmpty() || name.length() > 15 || name.equals(".") || name.equals("..")) {
      throw new IOException("invalid interface name: " + SetRequest.quote(name));
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c <= ' ' || c >= 0x7f || c == ':') {
        throw new IOException("invalid interface name: " + SetRequest.quote(name));
      }
    }
  }

  private static void ensureDirectory(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    Path parent = directory.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(directory);
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(directory)) {
        throw e;
      }
    }
  }

  /** Removes {@code path} if it is a socket nobody answers on (a daemon that died). */
  @SuppressWarnings("try") // the probe connection is opened only to see whether it can be
  private static void removeStaleSocket(Path path) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if (!attrs.isOther()) {
      throw new IOException(path + " exists and is not a socket");
    }
    boolean live;
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      live = probe.isConnected(); // open(address) connects: someone still listens
    } catch (IOException e) {
      live = false; // ECONNREFUSED: nobody listens any more
    }
    if (live) {
      throw new IOException("unix socket in use: " + path);
    }
    Files.deleteIfExists(path);
  }
}
