package io.wireguardjava;

import io.wireguardjava.spi.PacketDevice;
import io.wireguardjava.spi.PacketDeviceProvider;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Tunnel} is opened: which packet device carries its IP packets, and a few switches.
 * Immutable; build with {@link #builder()} or use a factory.
 */
public final class TunnelOptions {

  /** Where the tunnel's IP packets come from and go to. */
  public enum DeviceKind {
    /** A TUN interface of the OS, from a {@link PacketDeviceProvider} on the class path. */
    OS,
    /** An in-process device: the application calls {@link Tunnel#packets()}. No root needed. */
    IN_PROCESS,
    /** A {@link PacketDevice} the application supplies. */
    CUSTOM
  }

  /** The default MTU of an in-process device, the same as wg-quick's default. */
  public static final int DEFAULT_MTU = 1420;

  /**
   * Where a tunnel on an OS device serves the cross-platform configuration protocol (UAPI) by
   * default, as {@code <name>.sock}: the directory {@code wg} looks in, as wireguard-go uses.
   */
  public static final Path DEFAULT_UAPI_DIRECTORY = Path.of("/var/run/wireguard");

  private final DeviceKind deviceKind;
  private final Optional<String> interfaceName;
  private final Optional<PacketDevice> device;
  private final int mtu;
  private final boolean forwarding;
  private final Optional<InetAddress> bindAddress;
  private final Optional<Path> uapiDirectory;
  private final boolean runHooks;
  private final boolean portableUdpTransport;
  private final List<TunnelListener> listeners;

  private TunnelOptions(Builder b) {
    this.listeners = List.copyOf(b.listeners);
    this.runHooks = b.runHooks;
    this.portableUdpTransport = b.portableUdpTransport;
    this.deviceKind = b.deviceKind;
    this.interfaceName = Optional.ofNullable(b.interfaceName);
    this.device = Optional.ofNullable(b.device);
    this.mtu = b.mtu;
    this.forwarding = b.forwarding;
    this.bindAddress = Optional.ofNullable(b.bindAddress);
    this.uapiDirectory =
        b.uapiChosen
            ? Optional.ofNullable(b.uapiDirectory)
            : b.deviceKind == DeviceKind.OS
                ? Optional.of(DEFAULT_UAPI_DIRECTORY)
                : Optional.empty();
  }

  /**
   * The OS TUN device with a name the OS picks (the default of {@link Tunnel#open(Config)}).
   *
   * @return the OS TUN device with a name the OS picks (the default of {@link Tunnel#open(Config)})
   */
  public static TunnelOptions osDevice() {
    return builder().osDevice().build();
  }

  /**
   * The OS TUN device called {@code interfaceName}, such as {@code wg0}.
   *
   * @param interfaceName the interface name
   * @return the OS TUN device called {@code interfaceName}, such as {@code wg0}
   */
  public static TunnelOptions osDevice(String interfaceName) {
    return builder().osDevice(interfaceName).build();
  }

  /**
   * An in-process device: the application exchanges IP packets via {@link Tunnel#packets()}.
   *
   * @return an in-process device: the application exchanges IP packets via {@link Tunnel#packets()}
   */
  public static TunnelOptions inProcessDevice() {
    return builder().inProcessDevice().build();
  }

  /**
   * A builder with the defaults: OS device, MTU {@value #DEFAULT_MTU}, no forwarding.
   *
   * @return a builder with the defaults: OS device, MTU {@value #DEFAULT_MTU}, no forwarding
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Which kind of packet device the tunnel uses.
   *
   * @return which kind of packet device the tunnel uses
   */
  public DeviceKind deviceKind() {
    return deviceKind;
  }

  /**
   * For {@link DeviceKind#OS}, the interface name; for the others, the device's name. An in-process
   * device opened without one is called {@code inproc<n>}, numbered per JVM.
   *
   * @return the interface or device name; empty when the OS or the engine picks one
   */
  public Optional<String> interfaceName() {
    return interfaceName;
  }

  /**
   * For {@link DeviceKind#CUSTOM}, the device.
   *
   * @return the device, present for {@link DeviceKind#CUSTOM} only
   */
  public Optional<PacketDevice> device() {
    return device;
  }

  /**
   * The MTU of an in-process device; the config's MTU, when set, takes precedence.
   *
   * @return the MTU of an in-process device; the config's MTU, when set, takes precedence
   */
  public int mtu() {
    return mtu;
  }

  /**
   * Whether a packet received from one peer and addressed to another peer's allowed IPs is sent on
   * to that peer inside the engine (a bounce server). Off by default, like {@code ip_forward}.
   *
   * @return whether a packet received from one peer and addressed to another peer's allowed IPs is
   *     sent on to that peer inside the engine (a bounce server)
   */
  public boolean forwarding() {
    return forwarding;
  }

  /**
   * The local address the UDP socket binds to; empty: every address, IPv4 and IPv6.
   *
   * @return the local address the UDP socket binds to; empty: every address, IPv4 and IPv6
   */
  public Optional<InetAddress> bindAddress() {
    return bindAddress;
  }

  /**
   * The directory where the tunnel serves the UAPI socket {@code <name>.sock} (so that {@code wg
   * show}, {@code wg set} and friends manage it); empty: no socket. By default {@link
   * #DEFAULT_UAPI_DIRECTORY} for an OS device and none for the other kinds.
   *
   * @return the directory where the tunnel serves the UAPI socket {@code <name>.sock} (so that
   *     {@code wg show}, {@code wg set} and friends manage it); empty: no socket
   */
  public Optional<Path> uapiDirectory() {
    return uapiDirectory;
  }

  /**
   * Whether the config's {@code PreUp}, {@code PostUp}, {@code PreDown} and {@code PostDown} hooks
   * run; off by default. See {@link Builder#runHooks}.
   *
   * @return true when the hooks run
   */
  public boolean runHooks() {
    return runHooks;
  }

  /**
   * Whether the UDP socket is the JDK's portable {@code DatagramChannel} even where an OS transport
   * ({@link io.wireguardjava.spi.DatagramTransportProvider}) is available; see {@link
   * Builder#portableUdpTransport(boolean)}.
   *
   * @return whether the portable transport is forced
   */
  public boolean portableUdpTransport() {
    return portableUdpTransport;
  }

  /**
   * The listeners the tunnel registers before its threads start, in the order they were added.
   * Unlike {@link Tunnel#addListener}, which can only be called once {@link Tunnel#open} has
   * returned, they see every event, also a handshake that completes while the tunnel is still
   * opening (an OS device's first packets, such as IPv6 router solicitations, start one).
   *
   * @return the listeners, possibly none; unmodifiable
   */
  public List<TunnelListener> listeners() {
    return listeners;
  }

  @Override
  public String toString() {
    return "TunnelOptions[device="
        + deviceKind
        + interfaceName.map(n -> " " + n).orElse("")
        + ", forwarding="
        + forwarding
        + bindAddress.map(a -> ", bind=" + a).orElse("")
        + uapiDirectory.map(d -> ", uapi=" + d).orElse("")
        + (runHooks ? ", hooks" : "")
        + (portableUdpTransport ? ", portable UDP" : "")
        + (listeners.isEmpty() ? "" : ", " + listeners.size() + " listener(s)")
        + "]";
  }

  /** Builds {@link TunnelOptions}; the default is the OS device, no forwarding. */
  public static final class Builder {
    private DeviceKind deviceKind = DeviceKind.OS;
    private @org.jspecify.annotations.Nullable String interfaceName;
    private @org.jspecify.annotations.Nullable PacketDevice device;
    private int mtu = DEFAULT_MTU;
    private boolean forwarding;
    private @org.jspecify.annotations.Nullable InetAddress bindAddress;
    private @org.jspecify.annotations.Nullable Path uapiDirectory;
    private boolean uapiChosen;
    private boolean runHooks;
    private boolean portableUdpTransport;
    private final List<TunnelListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a listener that the tunnel registers before its threads start, so that it misses no
     * event (see {@link TunnelOptions#listeners()}). It is called on the tunnel's threads and must
     * return quickly; {@link Tunnel#removeListener} removes it.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder listener(TunnelListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Forces the portable UDP transport, the JDK's {@code DatagramChannel} (off by default). By
     * default the tunnel uses the first available {@link
     * io.wireguardjava.spi.DatagramTransportProvider} on the class path (on Linux, {@code
     * wireguard-tun-linux}'s: many datagrams per system call, UDP GSO/GRO, replies from the address
     * the peer wrote to, and {@code SO_MARK}, which a {@code FwMark} needs) and the portable one
     * only where none is. The portable transport cannot mark packets: a {@code FwMark} is then
     * refused. The system property {@code io.wireguardjava.udp.transport=jdk} forces it too.
     *
     * @param portable true to use the JDK transport even where an OS transport is available
     * @return this builder
     */
    public Builder portableUdpTransport(boolean portable) {
      this.portableUdpTransport = portable;
      return this;
    }

    /**
     * Runs the config's hooks as {@code wg-quick} does (off by default): each {@code PreUp}, {@code
     * PostUp}, {@code PreDown} and {@code PostDown} line through {@code bash -c}, with {@code %i}
     * replaced by the interface name, in this JVM's process, with its privileges. {@code PreUp}
     * runs before the device is created, {@code PostUp} once the UDP socket and the UAPI socket
     * exist (so {@code PostUp = wg set %i private-key ...} works); a failing one undoes the open
     * (without PreDown/PostDown, as wg-quick) and fails it. {@code PreDown} runs first and {@code
     * PostDown} last in {@link Tunnel#close()}. Only turn this on for configs as trusted as a shell
     * script, as {@code wg-java up} does; off, the hooks are ignored, as wireguard-android does.
     *
     * @param run whether to run the hooks
     * @return this builder
     */
    public Builder runHooks(boolean run) {
      this.runHooks = run;
      return this;
    }

    /**
     * Uses an OS TUN device with a name the OS picks (the default).
     *
     * @return this builder
     */
    public Builder osDevice() {
      this.deviceKind = DeviceKind.OS;
      this.device = null;
      return this;
    }

    /**
     * Uses the OS TUN device called {@code interfaceName}, such as {@code wg0}.
     *
     * @param interfaceName the interface name
     * @return this builder
     */
    public Builder osDevice(String interfaceName) {
      osDevice();
      this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
      return this;
    }

    /**
     * Uses an in-process device: the application exchanges packets via {@link Tunnel#packets}.
     *
     * @return this builder
     */
    public Builder inProcessDevice() {
      this.deviceKind = DeviceKind.IN_PROCESS;
      this.device = null;
      return this;
    }

    /**
     * Uses {@code device}; the tunnel closes it when it closes.
     *
     * @param device the device
     * @return this builder
     */
    public Builder device(PacketDevice device) {
      this.deviceKind = DeviceKind.CUSTOM;
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /**
     * The name of an in-process device, or of the OS interface.
     *
     * @param name the name
     * @return the name of an in-process device, or of the OS interface
     */
    public Builder interfaceName(String name) {
      this.interfaceName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * The MTU of an in-process device (default {@value TunnelOptions#DEFAULT_MTU}).
     *
     * @param mtu the MTU, 576..65535
     * @return the MTU of an in-process device (default {@value TunnelOptions#DEFAULT_MTU})
     * @throws IllegalArgumentException unless 576 &le; {@code mtu} &le; 65535
     */
    public Builder mtu(int mtu) {
      if (mtu < 576 || mtu > 65535) {
        throw new IllegalArgumentException("MTU must be in 576..65535, not " + mtu);
      }
      this.mtu = mtu;
      return this;
    }

    /**
     * Whether packets are sent on from peer to peer; see {@link TunnelOptions#forwarding()}.
     *
     * @param forwarding true to forward between peers
     * @return whether packets are sent on from peer to peer; see {@link TunnelOptions#forwarding()}
     */
    public Builder forwarding(boolean forwarding) {
      this.forwarding = forwarding;
      return this;
    }

    /**
     * Binds the UDP socket to {@code address} only (default: every address).
     *
     * @param address the local address
     * @return this builder
     */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Serves the UAPI socket {@code <name>.sock} in {@code directory} (created 0755 if absent).
     *
     * @param directory the socket directory
     * @return this builder
     */
    public Builder uapiDirectory(Path directory) {
      this.uapiDirectory = Objects.requireNonNull(directory, "directory");
      this.uapiChosen = true;
      return this;
    }

    /**
     * Serves no UAPI socket, also for an OS device.
     *
     * @return this builder
     */
    public Builder noUapi() {
      this.uapiDirectory = null;
      this.uapiChosen = true;
      return this;
    }

    /**
     * The options as set so far.
     *
     * @return the options as set so far
     */
    public TunnelOptions build() {
      return new TunnelOptions(this);
    }
  }
}
