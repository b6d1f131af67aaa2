package io.wireguardjava.tun.linux;

import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Peer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wg-quick's MTU when the config sets none ({@code set_mtu_up}): the largest MTU of the routes to
 * the peers' endpoints ({@code ip route get}: the route's own {@code mtu}, else its device's), else
 * of the default route, else 1500; minus 80, the most WireGuard over IPv6 adds (40 IPv6 + 8 UDP +
 * 32 WireGuard).
 */
final class AutoMtu {
  private AutoMtu() {}

  /** IPv6 (40) + UDP (8) + WireGuard data header and tag (32). */
  static final int OVERHEAD = 80;

  static final int FALLBACK_LINK_MTU = 1500;

  private static final Pattern ROUTE_MTU = Pattern.compile("\\bmtu (?:lock )?(\\d+)");
  private static final Pattern ROUTE_DEV = Pattern.compile("\\bdev (\\S+)");

  /** Runs {@code ip} with arguments and returns its output, empty when it fails. */
  interface Ip {
    String run(List<String> args);
  }

  /** The MTU for an interface whose peers are {@code peers}, asking the system. */
  static int of(List<Peer> peers) {
    return of(peers, AutoMtu::ip, dev -> linkMtu(dev, AutoMtu::ip));
  }

  /** The MTU, with {@code ip} and the link MTU lookup given (tests). */
  static int of(List<Peer> peers, Ip ip, Function<String, OptionalInt> linkMtu) {
    int best = 0;
    for (Peer p : peers) {
      Optional<InetAddress> a = p.endpoint().flatMap(AutoMtu::address);
      if (a.isEmpty()) {
        continue;
      }
      String out = ip.run(List.of("route", "get", InetNetwork.addressText(a.get())));
      best = Math.max(best, routeMtu(out, linkMtu).orElse(0));
    }
    if (best == 0) {
      String out = ip.run(List.of("route", "show", "default"));
      String first = out.lines().findFirst().orElse("");
      best = routeMtu(first, linkMtu).orElse(0);
    }
    return (best > 0 ? best : FALLBACK_LINK_MTU) - OVERHEAD;
  }

  /** The endpoint's address; a host name is resolved, as {@code wg setconf} would resolve it. */
  private static Optional<InetAddress> address(Endpoint e) {
    if (e.literalAddress().isPresent()) {
      return e.literalAddress();
    }
    try {
      return Optional.ofNullable(e.resolve().getAddress());
    } catch (java.net.UnknownHostException ex) {
      return Optional.empty(); // wg-quick skips an endpoint it cannot see too
    }
  }

  /** The MTU of a route line: its own {@code mtu}, else its {@code dev}'s. */
  static OptionalInt routeMtu(String route, Function<String, OptionalInt> linkMtu) {
    Matcher m = ROUTE_MTU.matcher(route);
    if (m.find()) {
      return OptionalInt.of(Integer.parseInt(m.group(1)));
    }
    Matcher d = ROUTE_DEV.matcher(route);
    return d.find() ? linkMtu.apply(d.group(1)) : OptionalInt.empty();
  }

  /**
   * A link's MTU from {@code ip -o link show dev}, as wg-quick reads it (not /sys/class/net, which
   * shows the namespace sysfs was mounted in, not necessarily ours).
   */
  static OptionalInt linkMtu(String dev, Ip ip) {
    Matcher m = ROUTE_MTU.matcher(ip.run(List.of("-o", "link", "show", "dev", dev)));
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  private static String ip(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("ip");
    cmd.addAll(args);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return "";
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
