package io.wireguardjava.netstack.proxy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/** Why a destination could not be reached, in the terms both proxies reply with. */
enum Failure {
  /** The policy of the listener refuses the destination. */
  NOT_ALLOWED,
  /** No route to the destination's network. */
  NETWORK_UNREACHABLE,
  /** No answer from the host, an ICMP host unreachable, or an unknown name. */
  HOST_UNREACHABLE,
  /** A reset in answer to the SYN. */
  REFUSED,
  /** No answer within the connect timeout. */
  TIMEOUT,
  /** The client sent a name that is not one. */
  BAD_NAME,
  /** Anything else. */
  GENERAL;

  /** Classifies an exception of {@link Network#connect} or {@link Network#resolve}. */
  static Failure of(IOException e) {
    if (e instanceof DialException) {
      return ((DialException) e).failure();
    }
    if (e instanceof UnknownHostException || e instanceof NoRouteToHostException) {
      return HOST_UNREACHABLE;
    }
    if (e instanceof SocketTimeoutException) {
      return TIMEOUT;
    }
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (e instanceof ConnectException) {
      // Linux reports ETIMEDOUT (SYN retries exhausted) as a ConnectException too
      return m.contains("timed out") ? TIMEOUT : REFUSED;
    }
    if (m.contains("network is unreachable")) {
      return NETWORK_UNREACHABLE;
    }
    if (m.contains("unreachable")) {
      return HOST_UNREACHABLE;
    }
    return GENERAL;
  }
}
