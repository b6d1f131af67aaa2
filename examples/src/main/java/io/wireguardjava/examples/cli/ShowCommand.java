package io.wireguardjava.examples.cli;

import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.uapi.UapiClient;
import io.wireguardjava.uapi.UapiDevice;
import io.wireguardjava.uapi.UapiException;
import io.wireguardjava.uapi.UapiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
        UapiDevice state;
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

  /** A peer of a get reply with its statistics. */
  record Row(Peer peer, PeerStats stats) {
    long handshakeSeconds() {
      return stats.lastHandshake().map(java.time.Instant::getEpochSecond).orElse(0L);
    }

    Optional<InetSocketAddress> endpoint() {
      return stats
          .endpoint()
          .or(
              () ->
                  peer.endpoint()
                      .flatMap(
                          e -> e.literalAddress().map(a -> new InetSocketAddress(a, e.port()))));
    }
  }

  /** The peers of {@code state} with their statistics, in the order of the reply. */
  static List<Row> rows(UapiDevice state) {
    List<Peer> peers = state.config().peers();
    List<Row> rows = new ArrayList<>(peers.size());
    for (int i = 0; i < peers.size(); i++) {
      Peer p = peers.get(i);
      PeerStats s =
          i < state.peerStats().size() && state.peerStats().get(i).publicKey().equals(p.publicKey())
              ? state.peerStats().get(i)
              : state
                  .stats(p.publicKey())
                  .orElseGet(
                      () ->
                          new PeerStats(
                              p.publicKey(), Optional.empty(), Optional.empty(), 0, 0, 0));
      rows.add(new Row(p, s));
    }
    return rows;
  }

  /** Peers as {@code wg show} orders them: latest handshake first, never-handshaken last. */
  static List<Row> sorted(UapiDevice state) {
    List<Row> peers = rows(state);
    peers.sort(
        Comparator.comparingLong(
                (Row r) ->
                    r.stats()
                        .lastHandshake()
                        .map(t -> t.getEpochSecond() * 1_000_000_000L + t.getNano())
                        .orElse(0L))
            .reversed()); // zero (never) is the smallest value, so it sorts last
    return peers;
  }

  /** The {@code wg show <interface>} text, without colours; {@code now} in epoch seconds. */
  static String pretty(String name, UapiDevice state, long now) {
    StringBuilder sb = new StringBuilder();
    Interface iface = state.config().iface();
    sb.append("interface: ").append(name).append('\n');
    iface
        .privateKey()
        .ifPresent(
            k -> {
              sb.append("  public key: ").append(k.publicKey().toBase64()).append('\n');
              sb.append("  private key: ").append(masked(k.toBase64())).append('\n');
            });
    if (state.listenPort() != 0) {
      sb.append("  listening port: ").append(state.listenPort()).append('\n');
    }
    int fwmark = iface.fwMark().orElse(0);
    if (fwmark != 0) {
      sb.append("  fwmark: 0x").append(Integer.toHexString(fwmark)).append('\n');
    }
    List<Row> peers = sorted(state);
    if (!peers.isEmpty()) {
      sb.append('\n');
    }
    for (int i = 0; i < peers.size(); i++) {
      Peer p = peers.get(i).peer();
      PeerStats r = peers.get(i).stats();
      sb.append("peer: ").append(p.publicKey().toBase64()).append('\n');
      p.presharedKey()
          .ifPresent(k -> sb.append("  preshared key: ").append(masked(k.toBase64())).append('\n'));
      peers
          .get(i)
          .endpoint()
          .ifPresent(e -> sb.append("  endpoint: ").append(endpoint(e)).append('\n'));
      sb.append("  allowed ips: ").append(allowedIps(p, ", ")).append('\n');
      long sec = peers.get(i).handshakeSeconds();
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
      int keepalive = p.persistentKeepalive().orElse(0);
      if (keepalive != 0) {
        sb.append("  persistent keepalive: every ").append(prettyTime(keepalive)).append('\n');
      }
      if (i + 1 < peers.size()) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** The {@code wg show <interface> dump} text. */
  static String dump(String name, UapiDevice state, boolean withInterface) {
    StringBuilder sb = new StringBuilder();
    String prefix = withInterface ? name + "\t" : "";
    Interface iface = state.config().iface();
    sb.append(prefix);
    sb.append(iface.privateKey().map(PrivateKey::toBase64).orElse("(none)")).append('\t');
    sb.append(iface.privateKey().map(k -> k.publicKey().toBase64()).orElse("(none)")).append('\t');
    sb.append(state.listenPort()).append('\t');
    int fwmark = iface.fwMark().orElse(0);
    sb.append(fwmark == 0 ? "off" : "0x" + Integer.toHexString(fwmark)).append('\n');
    for (Row row : rows(state)) {
      Peer p = row.peer();
      PeerStats r = row.stats();
      sb.append(prefix);
      sb.append(p.publicKey().toBase64()).append('\t');
      sb.append(p.presharedKey().map(k -> k.toBase64()).orElse("(none)")).append('\t');
      sb.append(row.endpoint().map(ShowCommand::endpoint).orElse("(none)")).append('\t');
      sb.append(allowedIps(p, ",")).append('\t');
      sb.append(row.handshakeSeconds()).append('\t');
      sb.append(Long.toUnsignedString(r.rxBytes())).append('\t');
      sb.append(Long.toUnsignedString(r.txBytes())).append('\t');
      int keepalive = p.persistentKeepalive().orElse(0);
      sb.append(keepalive == 0 ? "off" : Integer.toString(keepalive));
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String allowedIps(Peer p, String separator) {
    if (p.allowedIps().isEmpty()) {
      return "(none)";
    }
    return p.allowedIps().stream()
        .map(InetNetwork::toString)
        .collect(Collectors.joining(separator));
  }

  private static String masked(String key) {
    return "never".equals(System.getenv("WG_HIDE_KEYS")) ? key : "(hidden)";
  }

  static String endpoint(InetSocketAddress e) {
    return Endpoint.of(e).toString();
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
