package io.wireguardjava.netstack.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The splice between two loopback connections: client {@code a} <-> ({@code a2} splice {@code b2})
 * <-> server {@code b}. Socket buffers are set small so the bytes in flight are the proxy's own.
 */
@Timeout(60)
class SpliceTest {
  static final int SMALL_BUFFER = 32 * 1024;

  final ExecutorService pool = Executors.newCachedThreadPool();
  final Counters counters = new Counters();
  Socket a;
  Socket a2;
  Socket b;
  Socket b2;
  Future<?> splice;

  @BeforeEach
  void setUp() throws IOException {
    Socket[] left = pair();
    Socket[] right = pair();
    a = left[0];
    a2 = left[1];
    b2 = right[0];
    b = right[1];
    splice = pool.submit(() -> new Splice(a2, input(a2), b2, counters).run(pool));
  }

  @AfterEach
  void tearDown() throws IOException {
    a.close();
    b.close();
    pool.shutdownNow();
  }

  static InputStream input(Socket s) {
    try {
      return s.getInputStream();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A connected pair with small buffers on both ends (no autotuning). */
  static Socket[] pair() throws IOException {
    try (ServerSocket server = new ServerSocket()) {
      server.setReceiveBufferSize(SMALL_BUFFER);
      server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Socket c = new Socket();
      c.setReceiveBufferSize(SMALL_BUFFER);
      c.setSendBufferSize(SMALL_BUFFER);
      c.connect(server.getLocalSocketAddress());
      Socket s = server.accept();
      s.setSendBufferSize(SMALL_BUFFER);
      c.setSoTimeout(10_000);
      s.setSoTimeout(10_000);
      return new Socket[] {c, s};
    }
  }

  @Test
  void bytesArriveInOrderBothWaysAtOnce() throws Exception {
    Future<byte[]> up = pool.submit(() -> sendRandom(a, 8 << 20, 1));
    Future<byte[]> down = pool.submit(() -> sendRandom(b, 8 << 20, 2));
    byte[] upSeen = digestUntilEof(b);
    byte[] downSeen = digestUntilEof(a);
    assertThat(upSeen).isEqualTo(up.get());
    assertThat(downSeen).isEqualTo(down.get());
    splice.get(10, TimeUnit.SECONDS);
    assertThat(counters.bytesOut.sum()).isEqualTo(8 << 20);
    assertThat(counters.bytesIn.sum()).isEqualTo(8 << 20);
    assertThat(counters.resets.sum()).isZero();
  }

  @Test
  void aStalledReaderStallsTheWriterWithLittleInFlight() throws Exception {
    AtomicLong written = new AtomicLong();
    byte[] chunk = new byte[16 * 1024];
    Future<?> writer =
        pool.submit(
            () -> {
              OutputStream out = a.getOutputStream();
              for (int i = 0; i < 64 * 64; i++) { // 64 MiB, far more than can be in flight
                out.write(chunk);
                written.addAndGet(chunk.length);
              }
              a.shutdownOutput();
              return null;
            });
    // b reads nothing: the writer must block once the buffers on the way are full
    long before;
    long after = written.get();
    do {
      before = after;
      Thread.sleep(300);
      after = written.get();
    } while (after != before);
    long inFlightCap = 4L * 1024 * 1024; // two small socket pairs, two splice buffers, slack
    assertThat(after)
        .as("bytes accepted from the writer while the reader stalls")
        .isLessThan(inFlightCap);
    assertThat(writer.isDone()).isFalse();
    // the reader resumes, slowly at first: everything arrives, nothing was lost
    InputStream in = b.getInputStream();
    byte[] buf = new byte[4096];
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      total += n;
      if (total < (1 << 20)) {
        Thread.sleep(1);
      }
    }
    writer.get();
    assertThat(total).isEqualTo(64L << 20);
  }

  @Test
  void halfCloseIsPassedOnAndTheOtherDirectionGoesOn() throws Exception {
    a.getOutputStream().write(new byte[] {1, 2, 3});
    a.shutdownOutput();
    InputStream bin = b.getInputStream();
    assertThat(bin.readNBytes(3)).containsExactly(1, 2, 3);
    assertThat(bin.read()).as("FIN passed on").isEqualTo(-1);
    // the server still answers after the client's FIN
    b.getOutputStream().write(new byte[] {4, 5});
    assertThat(a.getInputStream().readNBytes(2)).containsExactly(4, 5);
    assertThat(splice.isDone()).isFalse();
    b.shutdownOutput();
    assertThat(a.getInputStream().read()).isEqualTo(-1);
    splice.get(10, TimeUnit.SECONDS);
    assertThat(counters.resets.sum()).isZero();
  }

  @Test
  void aResetFromTheServerReachesTheClientAsAReset() throws Exception {
    a.getOutputStream().write(1);
    assertThat(b.getInputStream().read()).isEqualTo(1);
    Sockets.abort(b);
    splice.get(10, TimeUnit.SECONDS);
    assertReset(a);
    assertThat(counters.resets.sum()).isEqualTo(1);
  }

  @Test
  void aResetFromTheClientReachesTheServerAsAReset() throws Exception {
    b.getOutputStream().write(1);
    assertThat(a.getInputStream().read()).isEqualTo(1);
    Sockets.abort(a);
    splice.get(10, TimeUnit.SECONDS);
    assertReset(b);
  }

  @Test
  void aResetAfterAHalfCloseIsStillAReset() throws Exception {
    a.shutdownOutput();
    assertThat(b.getInputStream().read()).isEqualTo(-1);
    Sockets.abort(b);
    splice.get(10, TimeUnit.SECONDS);
    assertReset(a);
  }

  static void assertReset(Socket s) {
    assertThatThrownBy(
            () -> {
              InputStream in = s.getInputStream();
              while (in.read() >= 0) {
                // data sent before the reset may come first
              }
              throw new IOException("a clean FIN instead of a reset");
            })
        .isInstanceOf(SocketException.class)
        .hasMessageContaining("reset");
  }

  static byte[] sendRandom(Socket s, int length, long seed) throws Exception {
    Random r = new Random(seed);
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[10_000];
    OutputStream out = s.getOutputStream();
    for (int left = length; left > 0; ) {
      int n = Math.min(left, buf.length);
      r.nextBytes(buf);
      out.write(buf, 0, n);
      d.update(buf, 0, n);
      left -= n;
    }
    s.shutdownOutput();
    return d.digest();
  }

  static byte[] digestUntilEof(Socket s) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    InputStream in = s.getInputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      d.update(buf, 0, n);
    }
    return d.digest();
  }
}
