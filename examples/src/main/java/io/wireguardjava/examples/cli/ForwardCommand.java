package io.wireguardjava.examples.cli;

import io.wireguardjava.netstack.TunnelNetwork;
import io.wireguardjava.netstack.proxy.ForwardSpec;
import io.wireguardjava.netstack.proxy.PortForward;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code wg-java forward CONF -L [udp:][BIND:]PORT:HOST:HOSTPORT ... -R
 * [udp:]TUNNELPORT:HOST:HOSTPORT ...}: port forwards between this machine and the tunnel, like
 * {@code ssh -L/-R}, through an in-process tunnel and its userspace TCP/IP stack (no root, no TUN).
 * Stays in the foreground: one line per forward with its bound address, one per handshake; Ctrl-C
 * or SIGTERM stops it.
 */
@Command(
    name = "forward",
    mixinStandardHelpOptions = true,
    description = {
      "Forwards ports between this machine and the tunnel of a wg-quick file, like ssh -L/-R,"
          + " in userspace: no root, no TUN device.",
      "-L listens here (BIND defaults to 127.0.0.1) and connects to HOST:HOSTPORT in the tunnel"
          + " (HOST may be a name for the tunnel's DNS);",
      "-R listens in the tunnel on the interface addresses and connects to HOST:HOSTPORT here.",
      "udp: forwards UDP flows, closed after --udp-timeout without traffic."
    })
final class ForwardCommand implements Callable<Integer>, OneLineUsageErrors {
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "CONF",
      description = "a wg-quick file, or NAME for /etc/wireguard/NAME.conf")
  String config = "";

  @Option(
      names = "-L",
      paramLabel = "[udp:][BIND:]PORT:HOST:HOSTPORT",
      converter = LocalSpec.class,
      description = "from here into the tunnel (repeatable)")
  List<ForwardSpec> local = new ArrayList<>();

  @Option(
      names = "-R",
      paramLabel = "[udp:]TUNNELPORT:HOST:HOSTPORT",
      converter = RemoteSpec.class,
      description = "from the tunnel to here (repeatable)")
  List<ForwardSpec> remote = new ArrayList<>();

  @Option(
      names = "--udp-timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "close a UDP flow after this long without traffic (default: ${DEFAULT-VALUE})")
  int udpTimeoutSeconds;

  /** Set while running, so tests can stop it as a signal would. */
  volatile @Nullable Foreground foreground;

  /** {@code -L}'s syntax. */
  static final class LocalSpec implements ITypeConverter<ForwardSpec> {
    @Override
    public ForwardSpec convert(String value) {
      try {
        return ForwardSpec.parseLocal(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code -R}'s syntax. */
  static final class RemoteSpec implements ITypeConverter<ForwardSpec> {
    @Override
    public ForwardSpec convert(String value) {
      try {
        return ForwardSpec.parseRemote(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  public Integer call() {
    if (local.isEmpty() && remote.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "at least one -L or -R is needed");
    }
    if (udpTimeoutSeconds < 1) {
      throw new ParameterException(
          spec.commandLine(), "--udp-timeout must be at least 1 second, not " + udpTimeoutSeconds);
    }
    PrintWriter err = spec.commandLine().getErr();
    Foreground fg = new Foreground(spec.commandLine().getOut());
    Optional<TunnelNetwork> opened =
        NetworkOpener.open("wg-java forward", config, err, fg.handshakeLog());
    if (opened.isEmpty()) {
      return WgJava.FAILURE;
    }
    TunnelNetwork network = opened.get();
    List<PortForward> running = new ArrayList<>();
    List<ForwardSpec> all = new ArrayList<>(local);
    all.addAll(remote);
    for (ForwardSpec f : all) {
      try {
        PortForward p =
            PortForward.builder(network, f)
                .udpIdleTimeout(Duration.ofSeconds(udpTimeoutSeconds))
                .start();
        running.add(p);
        fg.log(
            f
                + " listening on "
                + Foreground.format(p.address())
                + (f.direction() == ForwardSpec.Direction.TUNNEL_TO_LOCAL
                    ? " in the tunnel " + network.addresses()
                    : ""));
      } catch (IOException | RuntimeException e) {
        err.println("wg-java forward: " + f + ": cannot listen: " + e.getMessage());
        err.flush();
        running.forEach(PortForward::close);
        network.close();
        return WgJava.FAILURE;
      }
    }
    fg.log("tunnel " + network.addresses() + " up; Ctrl-C to stop");
    foreground = fg;
    fg.runUntilStopped(
        () -> {
          running.forEach(PortForward::close);
          network.close();
        });
    return 0;
  }
}
