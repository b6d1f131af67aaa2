package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wireguardjava.crypto.Keypair;
import io.wireguardjava.crypto.Messages;
import io.wireguardjava.crypto.Reason;
import io.wireguardjava.crypto.TimeSource;
import io.wireguardjava.spi.DatagramAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the receive path with datagrams from anyone: {@link Messages#validate} and then {@link
 * ReceiveLoop#handle} of a live tunnel that has a session with one peer. No datagram may throw,
 * none may be delivered (the fuzzer cannot forge Poly1305), and the receive thread's work allocates
 * no more than a constant per datagram (the JDK cipher's garbage).
 *
 * <p>Input: the first byte picks the shape, the rest is the datagram. {@code 0}: as is; {@code 1}:
 * typed as transport data addressed to the live session's index, so it reaches decryption; {@code
 * 2}: a copy of the last real datagram with the input's bytes XORed into it. Seeds: {@code
 * src/test/resources/io/wireguardjava/core/DatagramFuzzTestInputs}.
 */
class DatagramFuzzTest {
  /** Two tunnels with a session between them, made on first use (the fuzzer calls often). */
  private static final class Live {
    static final TestNet NET = new TestNet();
    static final TestNet.Node A;
    static final TestNet.Node B;
    static final ReceiveLoop LOOP;
    static final DatagramAddress FROM =
        DatagramAddress.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));
    static final byte[] REAL;

    static {
      try {
        A = NET.node(1);
        B = NET.node(2);
        TestNet.link(A, B, null);
        TestNet.roundTrip(A, B, A.v4(), B.v4(), "hello".getBytes());
        LOOP =
            new ReceiveLoop(
                B.engine.path,
                B.engine.handshakes.indices,
                B.engine.handshakeThread.gate(),
                new IcmpUnreachable(java.util.List.of(), TimeSource.system()));
        // A transport datagram as B would receive it: sealed by A's current keypair.
        Keypair kp = A.engine.peer(B.key.publicKey()).keypairs.current();
        byte[] plain = TestPackets.ip(A.v4(), B.v4(), "seed".getBytes());
        REAL = new byte[plain.length + 32 + 16];
        int n = kp.seal(plain, 0, plain.length, REAL, 0);
        assertThat(n).isPositive();
      } catch (Exception e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    static int liveIndex() {
      return B.engine.peer(A.key.publicKey()).keypairs.current().localIndex();
    }
  }

  @AfterAll
  static void closeTunnels() {
    if (Live.NET != null) {
      Live.NET.close();
    }
  }

  @FuzzTest(maxDuration = "10s")
  void anyDatagramIsDroppedAndCountedNeverThrown(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] datagram = shape(input);
    Reason valid = Messages.validate(datagram, 0, datagram.length);
    assertThat(valid).isNotNull();
    long deliveredBefore = delivered();
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    Live.LOOP.handle(datagram.clone(), 0, datagram.length, Live.FROM); // first time: class loading
    Live.LOOP.endBatch();
    long before = mx.getCurrentThreadAllocatedBytes();
    Live.LOOP.handle(datagram, 0, datagram.length, Live.FROM);
    Live.LOOP.endBatch();
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    // Handshake messages are copied into preallocated slots and data is opened in place: what
    // is left is the JDK cipher's own garbage, a constant that does not grow with the datagram
    // or the traffic. For a forged datagram on a live session it is about 11 KB on JDK 17 (the
    // cipher init, and the AEADBadTagException the JDK throws with its stack trace).
    assertThat(allocated).as("bytes allocated handling one datagram").isLessThan(16_384);
    assertThat(delivered()).as("forged datagrams delivered").isEqualTo(deliveredBefore);
  }

  private static long delivered() {
    return Live.B.engine.stats().peers().get(0).rxBytes();
  }

  private static byte[] shape(byte[] input) {
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    switch (input[0] & 3) {
      case 1:
        {
          byte[] d = Arrays.copyOf(rest, Math.max(rest.length, 32));
          d[0] = 4;
          d[1] = 0;
          d[2] = 0;
          d[3] = 0;
          int index = Live.liveIndex(); // receiver index, little-endian
          for (int i = 0; i < 4; i++) {
            d[4 + i] = (byte) (index >>> (8 * i));
          }
          return d;
        }
      case 2:
        {
          byte[] d = Live.REAL.clone();
          boolean changed = false;
          for (int i = 0; i < rest.length && i < d.length; i++) {
            d[i] ^= rest[i];
            changed |= rest[i] != 0;
          }
          if (!changed) {
            d[d.length - 1] ^= 1; // the real datagram itself would be delivered (or replayed)
          }
          return d;
        }
      default:
        return rest;
    }
  }
}
