package io.wireguardjava.examples.cli;

import io.wireguardjava.PrivateKey;
import io.wireguardjava.core.uapi.DeviceState;
import io.wireguardjava.core.uapi.IpText;
import io.wireguardjava.core.uapi.PeerRuntime;
import io.wireguardjava.core.uapi.PeerSettings;
import io.wireguardjava.core.uapi.Prefix;
import io.wireguardjava.core.uapi.UapiClient;
import io.wireguardjava.core.uapi.UapiException;
import io.wireguardjava.core.uapi.UapiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wg-java show [<interface> | all | interfaces] [dump]}: asks a running tunnel over its UAPI
 * socket and prints what {@code wg show} would, for machines without wireguard-tools.
 */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Shows running tunnels as `wg show` does, through their UAPI sockets.",
      "With no interface, shows every tunnel that answers on the socket directory."
    })
public final class ShowCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<interface>",
      description = "An interface name, `all` (the default) or `interfaces` (names only).")
  @Nullable String name;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "dump",
      description = "`dump`: tab-separated, one line per peer, as `wg show <interface> dump`.")
  @Nullable String mode;

  @Option(
      names = "--socket-dir",
      paramLabel = "<dir>",
      description = "Where the UAPI sockets are (default: ${DEFAULT-VALUE}).")
  Path socketDirectory = UapiServer.DEFAULT_DIRECTORY;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean dump = false;
    if (mode != null) {
      if (!mode.equals("dump")) {
        err.println("Usage: wg-java show { <interface> | all | interfaces } [dump]");
        return 1;
      }
      dump = true;
    }
    UapiClient client = new UapiClient(socketDirectory);
    String target = name == null ? "all" : name;
    try {
      if (target.equals("interfaces")) {
        out.println(String.join(" ", client.interfaces()));
        out.flush();
        return 0;
      }
      List<String> names = target.equals("all") ? client.interfaces() : List.of(target);
      long now = System.currentTimeMillis() / 1000;
      boolean first = true;
      for (String n : names) {
        DeviceState state;
        try {
          state = client.get(n);
        } catch (IOException | UapiException e) {
          err.println("Unable to access interface " + n + ": " + message(e));
          return 1;
        }
        if (dump) {
          out.print(dump(n, state, names.size() > 1 || name == null));
        } else {
          if (!first) {
            out.println();
          }
          out.print(pretty(n, state, now));
        }
        first = false;
      }
      out.flush();
      return 0;
    } catch (IOException e) {
      err.println("Unable to list interfaces: " + message(e));
      return 1;
    }
  }

  private static String message(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.net.SocketException) {
      return "No such device (" + e.getMessage() + ")";
    }
    return String.valueOf(e.getMessage());
  }

  /** Peers as {@code wg show} orders them: latest handshake first, never-handshaken last. */
  static List<PeerSettings> sorted(DeviceState state) {
    List<PeerSettings> peers = new ArrayList<>(state.settings().peers());
    peers.sort(
        Comparator.comparingLong(
                (PeerSettings p) -> state.runtime(p.publicKey()).lastHandshakeEpochNanos())
            .reversed()); // zero (never) is the smallest value, so it sorts last
    return peers;
  }

  /** The {@code wg show <interface>} text, without colours; {@code now} in epoch seconds. */
  static String pretty(String name, DeviceState state, long now) {
    StringBuilder sb = new StringBuilder();
    sb.append("interface: ").append(name).append('\n');
    state
        .settings()
        .privateKey()
        .ifPresent(
            k -> {
              sb.append("  public key: ").append(k.publicKey().toBase64()).append('\n');
              sb.append("  private key: ").append(masked(k.toBase64())).append('\n');
            });
    if (state.boundListenPort() != 0) {
      sb.append("  listening port: ").append(state.boundListenPort()).append('\n');
    }
    if (state.settings().fwmark() != 0) {
      sb.append("  fwmark: 0x").append(Integer.toHexString(state.settings().fwmark())).append('\n');
    }
    List<PeerSettings> peers = sorted(state);
    if (!peers.isEmpty()) {
      sb.append('\n');
    }
    for (int i = 0; i < peers.size(); i++) {
      PeerSettings p = peers.get(i);
      PeerRuntime r = state.runtime(p.publicKey());
      sb.append("peer: ").append(p.publicKey().toBase64()).append('\n');
      p.presharedKey()
          .ifPresent(k -> sb.append("  preshared key: ").append(masked(k.toBase64())).append('\n'));
      r.endpoint()
          .or(p::endpoint)
          .ifPresent(e -> sb.append("  endpoint: ").append(endpoint(e)).append('\n'));
      sb.append("  allowed ips: ").append(allowedIps(p, ", ")).append('\n');
      long sec = r.lastHandshakeEpochNanos() / 1_000_000_000L;
      if (sec != 0) {
        sb.append("  latest handshake: ").append(ago(sec, now)).append('\n');
      }
      if (r.rxBytes() != 0 || r.txBytes() != 0) {
        sb.append("  transfer: ")
            .append(bytes(r.rxBytes()))
            .append(" received, ")
            .append(bytes(r.txBytes()))
            .append(" sent\n");
      }
      if (p.persistentKeepalive() != 0) {
        sb.append("  persistent keepalive: every ")
            .append(prettyTime(p.persistentKeepalive()))
            .append('\n');
      }
      if (i + 1 < peers.size()) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** The {@code wg show <interface> dump} text. */
  static String dump(String name, DeviceState state, boolean withInterface) {
    StringBuilder sb = new StringBuilder();
    String prefix = withInterface ? name + "\t" : "";
    sb.append(prefix);
    sb.append(state.settings().privateKey().map(PrivateKey::toBase64).orElse("(none)"))
        .append('\t');
    sb.append(state.settings().privateKey().map(k -> k.publicKey().toBase64()).orElse("(none)"))
        .append('\t');
    sb.append(state.boundListenPort()).append('\t');
    int fwmark = state.settings().fwmark();
    sb.append(fwmark == 0 ? "off" : "0x" + Integer.toHexString(fwmark)).append('\n');
    for (PeerSettings p : state.settings().peers()) {
      PeerRuntime r = state.runtime(p.publicKey());
      sb.append(prefix);
      sb.append(p.publicKey().toBase64()).append('\t');
      sb.append(p.presharedKey().map(k -> k.toBase64()).orElse("(none)")).append('\t');
      sb.append(r.endpoint().or(p::endpoint).map(ShowCommand::endpoint).orElse("(none)"))
          .append('\t');
      sb.append(allowedIps(p, ",")).append('\t');
      sb.append(r.lastHandshakeEpochNanos() / 1_000_000_000L).append('\t');
      sb.append(Long.toUnsignedString(r.rxBytes())).append('\t');
      sb.append(Long.toUnsignedString(r.txBytes())).append('\t');
      sb.append(p.persistentKeepalive() == 0 ? "off" : Integer.toString(p.persistentKeepalive()));
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String allowedIps(PeerSettings p, String separator) {
    if (p.allowedIps().isEmpty()) {
      return "(none)";
    }
    return p.allowedIps().stream().map(Prefix::toString).collect(Collectors.joining(separator));
  }

  private static String masked(String key) {
    return "never".equals(System.getenv("WG_HIDE_KEYS")) ? key : "(hidden)";
  }

  static String endpoint(InetSocketAddress e) {
    return IpText.formatEndpoint(e);
  }

  static String ago(long then, long now) {
    if (now == then) {
      return "Now";
    }
    if (now < then) {
      return "(System clock wound backward; connection problems may ensue.)";
    }
    return prettyTime(now - then) + " ago";
  }

  static String prettyTime(long left) {
    long years = left / (365 * 24 * 3600L);
    left %= 365 * 24 * 3600L;
    long days = left / (24 * 3600L);
    left %= 24 * 3600L;
    long hours = left / 3600;
    left %= 3600;
    long minutes = left / 60;
    long seconds = left % 60;
    List<String> parts = new ArrayList<>();
    unit(parts, years, "year");
    unit(parts, days, "day");
    unit(parts, hours, "hour");
    unit(parts, minutes, "minute");
    unit(parts, seconds, "second");
    return String.join(", ", parts);
  }

  private static void unit(List<String> parts, long n, String unit) {
    if (n != 0) {
      parts.add(n + " " + unit + (n == 1 ? "" : "s"));
    }
  }

  static String bytes(long b) {
    if (Long.compareUnsigned(b, 1024L) < 0) {
      return b + " B";
    }
    double d = b < 0 ? b + 0x1p64 : b;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = d / 1024;
    int i = 0;
    while (i < units.length - 1 && v >= 1024) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.2f %s", v, units[i]);
  }
}
