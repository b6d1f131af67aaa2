package io.wireguardjava.core;

import java.nio.channels.ClosedChannelException;

/**
 * What {@link io.wireguardjava.TunnelPackets#send} throws once the tunnel is closed: a {@link
 * ClosedChannelException}, as the contract says, that names the tunnel (the JDK's own has no
 * message).
 */
final class TunnelClosedException extends ClosedChannelException {
  private static final long serialVersionUID = 1L;

  private final String tunnelName;

  TunnelClosedException(String tunnelName) {
    this.tunnelName = tunnelName;
  }

  @Override
  public String getMessage() {
    return "tunnel " + tunnelName + " is closed";
  }
}
