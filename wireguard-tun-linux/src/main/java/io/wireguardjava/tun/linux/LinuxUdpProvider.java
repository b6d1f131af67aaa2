package io.wireguardjava.tun.linux;

import io.wireguardjava.spi.DatagramTransport;
import io.wireguardjava.spi.DatagramTransportProvider;
import io.wireguardjava.tun.linux.internal.SocketCalls;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Linux UDP {@link DatagramTransportProvider} ({@code linux-udp}), registered for {@link
 * java.util.ServiceLoader}: {@link LinuxUdpTransport}, with batched system calls, UDP GSO/GRO,
 * sticky source addresses and {@code SO_MARK}. Needs no privileges (forcing socket buffers and
 * setting a mark do; without them the transport uses the sysctl limits and refuses the mark).
 */
public final class LinuxUdpProvider implements DatagramTransportProvider {

  private static volatile @Nullable Optional<String> cause; // null until probed

  /** Public for {@link java.util.ServiceLoader}. */
  public LinuxUdpProvider() {}

  @Override
  public String name() {
    return "linux-udp";
  }

  @Override
  public boolean isAvailable() {
    return unavailabilityCause().isEmpty();
  }

  @Override
  public Optional<String> unavailabilityCause() {
    Optional<String> c = cause;
    if (c == null) {
      c = probe();
      cause = c;
    }
    return c;
  }

  private static Optional<String> probe() {
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
      return Optional.of("linux-udp needs Linux; this is " + os);
    }
    try {
      SocketCalls.get();
    } catch (LinkageError | RuntimeException e) {
      return Optional.of("cannot load libc through JNR-FFI: " + e);
    }
    return Optional.empty();
  }

  @Override
  public DatagramTransport open(Optional<InetAddress> bindAddress, int port) throws IOException {
    Optional<String> c = unavailabilityCause();
    if (c.isPresent()) {
      throw new IOException(c.get());
    }
    return LinuxUdpTransport.open(bindAddress, port);
  }
}
