package io.wireguardjava.examples.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code HOST:PORT} of a listener on this machine: an IPv4 address, {@code [IPv6]}, {@code
 * localhost} or {@code *} (every address), and a port (0 for any free one). A bare {@code PORT}
 * means 127.0.0.1. Names other than localhost are refused: a listener binds an address, and looking
 * one up could leak a name to the host's resolver.
 */
final class HostPort implements ITypeConverter<InetSocketAddress> {
  @Override
  public InetSocketAddress convert(String text) {
    String host;
    String port;
    int colon = text.lastIndexOf(':');
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close != colon - 1) {
        throw new TypeConversionException("expected [IPv6]:PORT, not '" + text + "'");
      }
      host = text.substring(1, close);
      port = text.substring(colon + 1);
    } else if (colon < 0) {
      host = "127.0.0.1";
      port = text;
    } else {
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw new TypeConversionException("an IPv6 address needs brackets: '" + text + "'");
      }
    }
    if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
      throw new TypeConversionException("'" + port + "' in '" + text + "' is not a port (0-65535)");
    }
    return new InetSocketAddress(address(host, text), Integer.parseInt(port));
  }

  private static InetAddress address(String host, String text) {
    if (host.equals("*")) {
      return new InetSocketAddress(0).getAddress();
    }
    if (host.equalsIgnoreCase("localhost")) {
      return InetAddress.getLoopbackAddress();
    }
    boolean literal =
        host.indexOf(':') >= 0
            ? host.matches("[0-9A-Fa-f:.]+")
            : host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    if (literal) {
      try {
        return InetAddress.getByName(host); // a literal: no lookup
      } catch (UnknownHostException e) {
        // falls through to the error below
      }
    }
    throw new TypeConversionException(
        "'" + host + "' in '" + text + "' is not an IP address, localhost or *");
  }
}
