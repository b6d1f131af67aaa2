package io.wireguardjava.examples.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The test driver that runs inside a lab namespace (usually as the unprivileged user): it opens a
 * {@link Net} once and then executes commands, one per stdin line {@code ID COMMAND ARGS...}, each
 * on its own thread, answering {@code ID ok RESULT...} or {@code ID err MESSAGE} (servers first say
 * {@code ID listening}). Commands:
 *
 * <pre>
 * send HOST PORT BYTES|SECONDSs    connect, write pattern bytes, half-close, read to EOF
 *                                  -> ok BYTES SHA256 MILLIS
 * recv HOST PORT                   connect, read to EOF              -> ok BYTES SHA256 MILLIS
 * serve-recv PORT                  accept one connection, read to EOF -> ok BYTES SHA256 MILLIS
 * serve-send PORT BYTES            accept one, write pattern bytes, close -> ok BYTES SHA256 MILLIS
 * udp-echo PORT COUNT              echo datagrams numbered 0..COUNT-1 -> ok COUNT
 * udp-ping HOST PORT COUNT SIZE    COUNT datagrams, each echoed intact -> ok COUNT
 * resolve NAME                     -> ok ADDRESS...
 * ping HOST TIMEOUT_MS             -> ok MICROS
 * user                             -> ok USER_NAME (the tests check it is nobody)
 * http-get URL PROXY_HOST PORT     the JDK HttpClient through an HTTP proxy -> ok BYTES SHA256 MILLIS
 * socks5-dns PROXY_HOST PORT DNS_IP NAME   an A query through SOCKS5 UDP ASSOCIATE -> ok ADDRESS...
 * </pre>
 *
 * Usage: {@code LabAgent kernel} or {@code LabAgent tunnel CONF} (the wg-quick file of the
 * in-process tunnel). With {@code once COMMAND...} after the mode, runs one command and prints its
 * result (the benchmark's bulk tool). MILLIS counts from connect/accept to EOF.
 */
public final class LabAgent {
  private static final int CHUNK = 64 * 1024;
  private static final long SEED = 0x5EED_0F_1AB5L;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration IO_TIMEOUT = Duration.ofSeconds(60);

  private final Net net;
  private final PrintStream out;

  private LabAgent(Net net, PrintStream out) {
    this.net = net;
    this.out = out;
  }

  /**
   * Runs the agent.
   *
   * @param args {@code kernel|tunnel CONF [once COMMAND ARGS...]}
   * @throws Exception when the network cannot be opened
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: LabAgent kernel|tunnel CONF [once COMMAND ARGS...]");
      System.exit(2);
    }
    int next = 1;
    Net net;
    if (args[0].equals("kernel")) {
      net = new KernelNet();
    } else if (args[0].equals("tunnel") && args.length > 1) {
      net = TunnelNet.open(Path.of(args[1]));
      next = 2;
    } else {
      System.err.println("LabAgent: unknown mode " + args[0]);
      System.exit(2);
      return;
    }
    try (net) {
      LabAgent agent = new LabAgent(net, System.out);
      if (args.length > next && args[next].equals("once")) {
        String line = String.join(" ", List.of(args).subList(next + 1, args.length));
        boolean ok = agent.execute("0 " + line);
        if (net instanceof TunnelNet t) {
          System.err.println(t.statsLine()); // the benchmark sets these against the path's drops
        }
        System.exit(ok ? 0 : 1);
      }
      System.out.println("ready");
      agent.serve(System.in);
    }
  }

  private void serve(InputStream in) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      if (line.equals("quit")) {
        return;
      }
      String cmd = line;
      Thread t = new Thread(() -> execute(cmd), "lab-agent-" + cmd.split(" ", 2)[0]);
      t.setDaemon(true);
      t.start();
    }
  }

  /** Runs one command line {@code ID COMMAND ARGS...}; true when it answered ok. */
  private boolean execute(String line) {
    String[] w = line.trim().split("\\s+");
    String id = w[0];
    try {
      String result =
          switch (w.length > 1 ? w[1] : "") {
            case "send" -> send(net.address(w[2], port(w[3])), w[4]);
            case "recv" -> recv(net.address(w[2], port(w[3])));
            case "serve-recv" -> serveRecv(id, port(w[2]));
            case "serve-send" -> serveSend(id, port(w[2]), Long.parseLong(w[3]));
            case "udp-echo" -> udpEcho(id, port(w[2]), Integer.parseInt(w[3]));
            case "udp-ping" ->
                udpPing(
                    net.address(w[2], port(w[3])), Integer.parseInt(w[4]), Integer.parseInt(w[5]));
            case "resolve" ->
                net.resolve(w[2]).stream()
                    .map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(" "));
            case "ping" ->
                Long.toString(
                    net.ping(net.resolve(w[2]).get(0), Duration.ofMillis(Long.parseLong(w[3])))
                            .toNanos()
                        / 1000);
            case "user" -> System.getProperty("user.name");
            case "http-get" -> httpGet(URI.create(w[2]), new InetSocketAddress(w[3], port(w[4])));
            case "socks5-dns" ->
                Socks5UdpDns.queryA(
                        new InetSocketAddress(w[2], port(w[3])),
                        new InetSocketAddress(w[4], 53),
                        w[5])
                    .stream()
                    .map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(" "));
            default -> throw new IllegalArgumentException("unknown command: " + line);
          };
      out.println(id + " ok " + result);
      return true;
    } catch (Exception | AssertionError e) {
      out.println(id + " err " + e.toString().replace('\n', ' '));
      return false;
    }
  }

  private static int port(String s) {
    return Integer.parseInt(s);
  }

  private String send(InetSocketAddress to, String amount) throws IOException {
    long start = System.nanoTime();
    try (Socket s = net.connect(to, CONNECT_TIMEOUT)) {
      s.setSoTimeout(Math.toIntExact(IO_TIMEOUT.toMillis()));
      Transfer t =
          amount.endsWith("s")
              ? write(
                  s.getOutputStream(),
                  Long.MAX_VALUE,
                  start + Long.parseLong(amount.replace("s", "")) * 1_000_000_000L)
              : write(s.getOutputStream(), Long.parseLong(amount), Long.MAX_VALUE);
      s.shutdownOutput();
      drain(s.getInputStream());
      return t.result(start);
    }
  }

  private String recv(InetSocketAddress from) throws IOException {
    long start = System.nanoTime();
    try (Socket s = net.connect(from, CONNECT_TIMEOUT)) {
      s.setSoTimeout(Math.toIntExact(IO_TIMEOUT.toMillis()));
      return read(s.getInputStream()).result(start);
    }
  }

  private String serveRecv(String id, int port) throws IOException {
    try (ServerSocket server = net.listen(port)) {
      out.println(id + " listening");
      try (Socket s = server.accept()) {
        long start = System.nanoTime();
        s.setSoTimeout(Math.toIntExact(IO_TIMEOUT.toMillis()));
        return read(s.getInputStream()).result(start);
      }
    }
  }

  private String serveSend(String id, int port, long bytes) throws IOException {
    try (ServerSocket server = net.listen(port)) {
      out.println(id + " listening");
      try (Socket s = server.accept()) {
        long start = System.nanoTime();
        s.setSoTimeout(Math.toIntExact(IO_TIMEOUT.toMillis()));
        Transfer t = write(s.getOutputStream(), bytes, Long.MAX_VALUE);
        s.shutdownOutput();
        drain(s.getInputStream()); // the peer has all of it once it closes
        return t.result(start);
      }
    }
  }

  /**
   * Echoes every datagram back. Done once {@code count} different datagram numbers were seen and
   * then nothing came for a second (the pinger resends when an echo was lost on the way back).
   */
  private String udpEcho(String id, int port, int count) throws IOException {
    try (Net.Datagrams d = net.openDatagram(port)) {
      d.setSoTimeout(IO_TIMEOUT);
      out.println(id + " listening");
      ByteBuffer buf = ByteBuffer.allocate(65536);
      BitSet seen = new BitSet();
      while (true) {
        buf.clear();
        InetSocketAddress from;
        try {
          from = d.receive(buf);
        } catch (SocketTimeoutException e) {
          if (seen.cardinality() >= count) {
            return Integer.toString(seen.cardinality());
          }
          throw e;
        }
        buf.flip();
        if (buf.remaining() >= 4 && buf.getInt(0) >= 0) {
          seen.set(buf.getInt(0));
        }
        d.send(buf, from);
        if (seen.cardinality() >= count) {
          d.setSoTimeout(Duration.ofSeconds(1));
        }
      }
    }
  }

  /** Each datagram carries its number; a reply must come back byte for byte (retried on loss). */
  private String udpPing(InetSocketAddress to, int count, int size) throws IOException {
    try (Net.Datagrams d = net.openDatagram(0)) {
      d.setSoTimeout(Duration.ofMillis(500));
      byte[] payload = new byte[size];
      ByteBuffer in = ByteBuffer.allocate(65536);
      PatternBytes pattern = new PatternBytes(SEED);
      for (int i = 0; i < count; i++) {
        pattern.fill(payload, 0, size);
        ByteBuffer.wrap(payload).putInt(0, i);
        boolean answered = false;
        for (int attempt = 0; attempt < 10 && !answered; attempt++) {
          d.send(ByteBuffer.wrap(payload), to);
          try {
            while (!answered) {
              in.clear();
              d.receive(in);
              in.flip();
              if (in.remaining() == size && in.getInt(0) == i) {
                byte[] got = new byte[size];
                in.get(got);
                if (!Arrays.equals(got, payload)) {
                  throw new IOException("datagram " + i + " came back altered");
                }
                answered = true;
              } // else a late duplicate of an earlier datagram: ignore
            }
          } catch (SocketTimeoutException e) {
            // lost one way or the other: send it again
          }
        }
        if (!answered) {
          throw new SocketTimeoutException(
              "no echo of datagram " + i + " of " + count + " from " + to);
        }
      }
      return Integer.toString(count);
    }
  }

  /**
   * GET through an HTTP proxy with the JDK's HttpClient (absolute-form for http, CONNECT for
   * https).
   */
  private static String httpGet(URI uri, InetSocketAddress proxy)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    HttpClient client =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(proxy))
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
    HttpResponse<InputStream> r =
        client.send(
            HttpRequest.newBuilder(uri).timeout(IO_TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode() + " for " + uri);
    }
    try (InputStream body = r.body()) {
      return read(body).result(start);
    }
  }

  /** What was written or read: a byte count and the SHA-256 of the bytes. */
  private record Transfer(long bytes, byte[] sha256) {
    String result(long startNanos) {
      long millis = Math.max(1, (System.nanoTime() - startNanos) / 1_000_000);
      return bytes + " " + HexFormat.of().formatHex(sha256) + " " + millis;
    }
  }

  private static Transfer write(OutputStream o, long bytes, long deadlineNanos) throws IOException {
    MessageDigest sha = sha256();
    PatternBytes pattern = new PatternBytes(SEED);
    byte[] buf = new byte[CHUNK];
    long sent = 0;
    while (sent < bytes && System.nanoTime() < deadlineNanos) {
      int n = (int) Math.min(buf.length, bytes - sent);
      pattern.fill(buf, 0, n);
      o.write(buf, 0, n);
      sha.update(buf, 0, n);
      sent += n;
    }
    o.flush();
    return new Transfer(sent, sha.digest());
  }

  private static Transfer read(InputStream in) throws IOException {
    MessageDigest sha = sha256();
    byte[] buf = new byte[CHUNK];
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      sha.update(buf, 0, n);
      total += n;
    }
    return new Transfer(total, sha.digest());
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buf = new byte[4096];
    while (in.read(buf) >= 0) {
      // the peer sends nothing back; EOF means it read everything and closed
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
