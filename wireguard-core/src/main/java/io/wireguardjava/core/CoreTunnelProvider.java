package io.wireguardjava.core;

import io.wireguardjava.Config;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.TunnelPackets;
import io.wireguardjava.crypto.TimeSource;
import io.wireguardjava.spi.PacketDevice;
import io.wireguardjava.spi.PacketDeviceProvider;
import io.wireguardjava.spi.TunnelProvider;
import io.wireguardjava.uapi.UapiServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** The engine's entry point for {@link Tunnel#open}, registered with {@link ServiceLoader}. */
public final class CoreTunnelProvider implements TunnelProvider {

  /**
   * Numbers the in-process tunnels opened without a name ({@code inproc1}, {@code inproc2}, ...),
   * so that two of them in one JVM have distinct thread names and error texts.
   */
  private static final AtomicInteger UNNAMED_TUNNELS = new AtomicInteger();

  /** For {@link ServiceLoader}. */
  public CoreTunnelProvider() {}

  @Override
  public Tunnel open(Config config, TunnelOptions options) throws IOException {
    FwMarks.checkApplicable(config, options); // before PreUp
    Hooks hooks = new Hooks(config.iface());
    if (options.runHooks()) {
      hooks.preUp(options.interfaceName().orElse(""));
    }
    Engine engine = open(config, options, TimeSource.system());
    Tunnel tunnel = engine;
    if (options.uapiDirectory().isPresent()) {
      try {
        // The engine closes the server with itself, after its PreDown hooks (which may still use
        // the socket, as `PreDown = wg showconf %i > ...` does) and when its device fails.
        engine.attach(UapiServer.start(options.uapiDirectory().get(), engine));
      } catch (IOException | RuntimeException e) {
        engine.close();
        throw e;
      }
    }
    if (options.runHooks()) {
      try {
        hooks.postUp(tunnel.name()); // after the UDP and UAPI sockets: `wg set %i ...` works
      } catch (IOException | RuntimeException e) {
        tunnel.close(); // as wg-quick's del_if: no PreDown/PostDown for a tunnel never up
        throw e;
      }
      engine.setDownHooks(hooks);
    }
    return tunnel;
  }

  static Engine open(Config requested, TunnelOptions options, TimeSource clock) throws IOException {
    FwMarks.checkApplicable(requested, options);
    // the socket first: whether it can be marked decides the routing rules of a full tunnel
    UdpTransport transport =
        new UdpTransport(
            options.bindAddress(),
            requested.iface().listenPort().orElse(0),
            options.portableUdpTransport());
    // Once per JVM. Started now, after our socket is bound (so the warm-up's loopback sockets
    // cannot
    // take its port), the warm-up runs while the device and its interface are set up.
    JitWarmUp.startOnce(transport.portable());
    PacketDevice device;
    Config config;
    @Nullable TunnelPackets appSide = null;
    try {
      config = FwMarks.apply(requested, options, transport); // before the device and its routes
      int mtu = config.iface().mtu().orElse(options.mtu());
      switch (options.deviceKind()) {
        case IN_PROCESS -> {
          InProcessDevice d =
              new InProcessDevice(
                  options.interfaceName().orElseGet(CoreTunnelProvider::defaultName),
                  mtu,
                  Limits.IN_PROCESS_QUEUE_PACKETS);
          device = d;
          appSide = d.appSide();
        }
        case CUSTOM -> device = options.device().orElseThrow();
        case OS -> device = openOsDevice(config, options);
        default -> throw new IllegalArgumentException(options.deviceKind().toString());
      }
    } catch (IOException | RuntimeException e) {
      transport.close();
      throw e;
    }
    try {
      Engine engine = new Engine(config, options, device, appSide, clock, transport);
      engine.start();
      return engine;
    } catch (IOException | RuntimeException e) {
      device.close();
      transport.close();
      throw e;
    }
  }

  private static String defaultName() {
    return "inproc" + UNNAMED_TUNNELS.incrementAndGet();
  }

  private static PacketDevice openOsDevice(Config config, TunnelOptions options)
      throws IOException {
    List<String> causes = new ArrayList<>();
    for (PacketDeviceProvider p : ServiceLoader.load(PacketDeviceProvider.class)) {
      if (p.isAvailable()) {
        return p.open(options.interfaceName(), config);
      }
      causes.add(p.name() + ": " + p.unavailabilityCause().orElse("unavailable"));
    }
    if (causes.isEmpty()) {
      throw new IllegalStateException(
          "No OS packet device on the class path: add io.wireguardjava:wireguard-tun-linux (Linux)"
              + " or io.wireguardjava:wireguard-tun-mac (macOS), or open the tunnel with"
              + " TunnelOptions.inProcessDevice() to exchange packets in the application");
    }
    throw new IllegalStateException(
        "No OS packet device available here ("
            + String.join("; ", causes)
            + "); TunnelOptions.inProcessDevice() needs no privileges");
  }
}
