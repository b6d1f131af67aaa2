package io.wireguardjava.netstack.internal.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;

/**
 * Why a connection ended abnormally. The exception is created when thrown, on the application's
 * thread, so its stack trace is the caller's.
 */
enum ErrorKind {
  REFUSED,
  RESET,
  TIMED_OUT,
  NO_ROUTE,
  CLOSED_LOCALLY;

  /** The exception a blocked connect reports. */
  IOException forConnect() {
    return switch (this) {
      case REFUSED, RESET -> new ConnectException("Connection refused");
      case TIMED_OUT -> new ConnectException("Connection timed out");
      case NO_ROUTE -> new NoRouteToHostException("No route to host");
      case CLOSED_LOCALLY -> new SocketException("Socket closed");
    };
  }

  /** The exception a read or write reports. */
  IOException forTransfer() {
    return switch (this) {
      case REFUSED -> new ConnectException("Connection refused");
      case RESET -> new SocketException("Connection reset");
      case TIMED_OUT -> new SocketException("Connection timed out");
      case NO_ROUTE -> new NoRouteToHostException("No route to host");
      case CLOSED_LOCALLY -> new SocketException("Socket closed");
    };
  }
}
