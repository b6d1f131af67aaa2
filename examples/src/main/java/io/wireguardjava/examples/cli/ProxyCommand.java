package io.wireguardjava.examples.cli;

import io.wireguardjava.netstack.TunnelNetwork;
import io.wireguardjava.netstack.proxy.HttpProxyServer;
import io.wireguardjava.netstack.proxy.Socks5Credentials;
import io.wireguardjava.netstack.proxy.Socks5Server;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wg-java proxy CONF [--socks5 HOST:PORT] [--http HOST:PORT] [--socks5-user USER
 * --socks5-password-file FILE]}: a SOCKS5 and/or HTTP proxy on this machine whose connections go
 * through an in-process tunnel and its userspace TCP/IP stack. No root, no TUN. Stays in the
 * foreground: one line per listener (with the bound address, so port 0 can be used), one per
 * handshake; Ctrl-C or SIGTERM stops it.
 */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a SOCKS5 and/or HTTP proxy whose connections go through the tunnel of a wg-quick"
          + " file, in userspace: no root, no TUN device.",
      "Names are resolved by the tunnel's DNS (the file's DNS =). Ctrl-C or SIGTERM stops it."
    })
final class ProxyCommand implements Callable<Integer>, OneLineUsageErrors {
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "CONF",
      description = "a wg-quick file, or NAME for /etc/wireguard/NAME.conf")
  String config = "";

  @Option(
      names = "--socks5",
      paramLabel = "HOST:PORT",
      converter = HostPort.class,
      description = "listen for SOCKS5 (CONNECT, UDP ASSOCIATE) here, e.g. 127.0.0.1:1080")
  InetSocketAddress socks5;

  @Option(
      names = "--http",
      paramLabel = "HOST:PORT",
      converter = HostPort.class,
      description = "listen for HTTP proxy requests (CONNECT, GET http://) here")
  InetSocketAddress http;

  @Option(
      names = "--socks5-user",
      paramLabel = "USER",
      description = "require this SOCKS5 username (RFC 1929)")
  String user;

  @Option(
      names = "--socks5-password-file",
      paramLabel = "FILE",
      description = "the SOCKS5 password: the first line of FILE")
  Path passwordFile;

  /** Set while running, so tests can stop it as a signal would. */
  volatile @Nullable Foreground foreground;

  @Override
  public Integer call() {
    if (socks5 == null && http == null) {
      throw bad("at least one of --socks5 HOST:PORT and --http HOST:PORT is needed");
    }
    if ((user == null) != (passwordFile == null)) {
      throw bad("--socks5-user and --socks5-password-file go together");
    }
    if (user != null && socks5 == null) {
      throw bad("--socks5-user needs --socks5");
    }
    Socks5Credentials credentials = user == null ? null : credentials();
    PrintWriter err = spec.commandLine().getErr();
    Foreground fg = new Foreground(spec.commandLine().getOut());
    Optional<TunnelNetwork> opened =
        NetworkOpener.open("wg-java proxy", config, err, fg.handshakeLog());
    if (opened.isEmpty()) {
      return WgJava.FAILURE;
    }
    TunnelNetwork network = opened.get();
    Socks5Server socksServer = null;
    HttpProxyServer httpServer = null;
    try {
      if (socks5 != null) {
        Socks5Server.Builder b = Socks5Server.builder(network).bind(socks5);
        if (credentials != null) {
          b.credentials(credentials);
        }
        socksServer = b.start();
        fg.log(
            "socks5 proxy listening on "
                + Foreground.format(socksServer.address())
                + (credentials == null ? "" : " (username/password required)"));
      }
      if (http != null) {
        httpServer = HttpProxyServer.builder(network).bind(http).start();
        fg.log("http proxy listening on " + Foreground.format(httpServer.address()));
      }
    } catch (IOException e) {
      err.println(
          "wg-java proxy: cannot listen on "
              + Foreground.format(socksServer == null && socks5 != null ? socks5 : http)
              + ": "
              + e.getMessage());
      err.flush();
      if (socksServer != null) {
        socksServer.close();
      }
      network.close();
      return WgJava.FAILURE;
    }
    fg.log("tunnel " + network.addresses() + " up; Ctrl-C to stop");
    Socks5Server s = socksServer;
    HttpProxyServer h = httpServer;
    foreground = fg;
    fg.runUntilStopped(
        () -> {
          if (s != null) {
            s.close();
          }
          if (h != null) {
            h.close();
          }
          network.close();
        });
    return 0;
  }

  private Socks5Credentials credentials() {
    byte[] all;
    try {
      all = Files.readAllBytes(passwordFile);
    } catch (IOException e) {
      throw bad(
          "--socks5-password-file "
              + passwordFile
              + ": cannot read it ("
              + e.getClass().getSimpleName()
              + ")");
    }
    int end = 0;
    while (end < all.length && all[end] != '\n' && all[end] != '\r') {
      end++;
    }
    byte[] password = Arrays.copyOf(all, end);
    Arrays.fill(all, (byte) 0);
    try {
      return Socks5Credentials.of(user, password);
    } catch (IllegalArgumentException e) {
      throw bad(
          (String.valueOf(e.getMessage()).contains("password")
                  ? "--socks5-password-file " + passwordFile
                  : "--socks5-user")
              + ": "
              + e.getMessage());
    } finally {
      Arrays.fill(password, (byte) 0);
    }
  }

  private ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
