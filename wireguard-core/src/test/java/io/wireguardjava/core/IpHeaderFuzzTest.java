package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.util.List;

/**
 * Fuzzes the IP header checks of both paths ({@link IpPackets}, as {@link SendLoop} and {@link
 * ReceiveLoop} use them) and the ICMP "unreachable" answer built from a packet with no route: any
 * bytes are either refused (version 0) or have every field the engine reads inside the packet, and
 * an answer, when there is one, is a well-formed packet of the same family. Seeds: {@code
 * src/test/resources/io/wireguardjava/core/IpHeaderFuzzTestInputs}.
 */
class IpHeaderFuzzTest {
  /** Moved a second per input, so the answer's rate limit never hides a packet. */
  private static final ManualClock CLOCK = new ManualClock();

  private static final IcmpUnreachable ICMP =
      new IcmpUnreachable(List.of(address("10.0.0.1"), address("fd00::1")), CLOCK);

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @FuzzTest(maxDuration = "10s")
  void headerChecksReadOnlyInsideThePacket(byte[] packet) {
    int n = packet.length;
    int version = IpPackets.version(packet, 0, n);
    if (version == 0) {
      return;
    }
    assertThat(version).isIn(4, 6);
    int addr = IpPackets.addressLength(version);
    assertThat(IpPackets.sourceOffset(version) + addr).isLessThanOrEqualTo(n);
    assertThat(IpPackets.destinationOffset(version) + addr).isLessThanOrEqualTo(n);
    int declared = IpPackets.declaredLength(packet, 0, version);
    assertThat(declared).isBetween(0, 65535 + IpPackets.IPV6_HEADER);

    CLOCK.advance(java.time.Duration.ofSeconds(1));
    int m = ICMP.answer(packet, n, version);
    if (m > 0) {
      byte[] reply = java.util.Arrays.copyOf(ICMP.buffer(), m);
      assertThat(IpPackets.version(reply, 0, m)).isEqualTo(version);
      assertThat(IpPackets.declaredLength(reply, 0, version)).isEqualTo(m);
    }
  }
}
