package io.wireguardjava.tun.mac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.tun.mac.Native.LibC;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Runs {@link UtunDevice} on Linux over an {@code AF_UNIX} datagram socketpair standing in for the
 * utun socket: the JNR bindings (including the variadic ioctl/fcntl), the framing on the wire,
 * non-blocking reads, the wake pipe and close. Only the descriptor is different on a Mac.
 */
@EnabledOnOs(OS.LINUX)
class UtunDeviceOnLinuxTest {

  /** Linux's numbers for what {@link FdConstants} abstracts: EINTR, EAGAIN, O_NONBLOCK. */
  static final FdConstants LINUX = new FdConstants(4, 11, 0x800);

  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  private static final long FIONREAD = 0x541BL;

  /** socketpair(2), only needed by the tests. */
  public interface TestLibC {
    int socketpair(int domain, int type, int protocol, Pointer sv);
  }

  private static final TestLibC TEST_LIBC = LibraryLoader.create(TestLibC.class).load("c");

  private final LibC libc = LibC.get();
  private final AtomicInteger teardowns = new AtomicInteger();
  private int peer;
  private int deviceFd;
  private UtunDevice device;

  @BeforeEach
  void open() throws Exception {
    Pointer sv = LibC.allocate(8);
    assertThat(TEST_LIBC.socketpair(AF_UNIX, SOCK_DGRAM, 0, sv)).isZero();
    deviceFd = sv.getInt(0);
    peer = sv.getInt(4);
    device = UtunDevice.wrap(libc, LINUX, deviceFd, "utun9", 1420, teardowns::incrementAndGet);
  }

  @AfterEach
  void close() {
    device.close();
    libc.close(peer);
  }

  @Test
  void writesFramesWithTheAddressFamilyHeader() throws Exception {
    byte[] v4 = {0x45, 0, 0, 20, 1, 2, 3};
    device.write(v4, 0, v4.length);
    assertThat(readPeer()).containsExactly(0, 0, 0, 2, 0x45, 0, 0, 20, 1, 2, 3);

    byte[] v6 = {0, 0x60, 1, 2};
    device.write(v6, 1, 3);
    assertThat(readPeer()).containsExactly(0, 0, 0, 30, 0x60, 1, 2);
  }

  @Test
  void readsPacketsWithoutTheHeaderAndDropsBadFrames() throws Exception {
    writePeer(new byte[] {0, 0, 0, 2, 0x60, 9}); // header says v4, packet is v6: dropped
    writePeer(new byte[] {0, 0, 0, 30, 0x60, 7, 7});
    byte[] buf = new byte[1500];
    int n = device.read(buf, 10, 1490);
    assertThat(n).isEqualTo(3);
    assertThat(Arrays.copyOfRange(buf, 10, 13)).containsExactly(0x60, 7, 7);
  }

  @Test
  void theVariadicIoctlBindingPassesItsArgument() throws Exception {
    writePeer(new byte[] {0, 0, 0, 2, 0x45, 1, 2, 3, 4});
    Pointer count = LibC.allocate(4);
    // FIONREAD on the device's end of the pair: the size of the pending datagram
    assertThat(libc.ioctl(deviceFd, FIONREAD, count)).isZero();
    assertThat(count.getInt(0)).isEqualTo(9);
  }

  @Test
  void closeWakesABlockedReaderAndUndoesTheSetupOnce() throws Exception {
    CompletableFuture<Integer> reader =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return device.read(new byte[1500], 0, 1500);
              } catch (java.io.IOException e) {
                throw new RuntimeException(e);
              }
            });
    device.close();
    assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    assertThat(teardowns).hasValue(1);

    device.close();
    assertThat(teardowns).hasValue(1);
    assertThat(device.read(new byte[10], 0, 10)).isEqualTo(-1);
    assertThatThrownBy(() -> device.write(new byte[] {0x45}, 0, 1))
        .isInstanceOf(ClosedChannelException.class);
  }

  @Test
  void writesWhileAReaderIsBlocked() throws Exception {
    CompletableFuture<byte[]> reader =
        CompletableFuture.supplyAsync(
            () -> {
              byte[] buf = new byte[100];
              try {
                int n = device.read(buf, 0, buf.length);
                return Arrays.copyOf(buf, n);
              } catch (java.io.IOException e) {
                throw new RuntimeException(e);
              }
            });
    byte[] v4 = {0x45, 1, 2};
    device.write(v4, 0, v4.length);
    assertThat(readPeer()).containsExactly(0, 0, 0, 2, 0x45, 1, 2);
    writePeer(new byte[] {0, 0, 0, 2, 0x45, 3, 4});
    assertThat(reader.get(10, TimeUnit.SECONDS)).containsExactly(0x45, 3, 4);
  }

  @Test
  void rejectsNonIpPacketsOnWrite() {
    assertThatThrownBy(() -> device.write(new byte[] {0x10, 0}, 0, 2))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("utun9");
  }

  @Test
  void reportsNameAndMtu() {
    assertThat(device.name()).isEqualTo("utun9");
    assertThat(device.mtu()).isEqualTo(1420);
  }

  private byte[] readPeer() {
    Pointer p = LibC.allocate(2048);
    long n = libc.read(peer, p, 2048);
    assertThat(n).isPositive();
    byte[] out = new byte[(int) n];
    p.get(0, out, 0, out.length);
    return out;
  }

  private void writePeer(byte[] frame) {
    assertThat(libc.write(peer, LibC.copyOf(frame), frame.length)).isEqualTo(frame.length);
  }
}
