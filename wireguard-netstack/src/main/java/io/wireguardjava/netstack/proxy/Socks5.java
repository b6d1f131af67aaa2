package io.wireguardjava.netstack.proxy;

/** The numbers of RFC 1928 (SOCKS5) and RFC 1929 (username/password), and the reply mapping. */
final class Socks5 {
  private Socks5() {}

  static final int VERSION = 0x05;

  // RFC 1928 §3: methods
  static final int METHOD_NO_AUTH = 0x00;
  static final int METHOD_USER_PASS = 0x02;
  static final int METHOD_NONE_ACCEPTABLE = 0xff;

  // RFC 1928 §4: commands
  static final int CMD_CONNECT = 0x01;
  static final int CMD_BIND = 0x02;
  static final int CMD_UDP_ASSOCIATE = 0x03;

  // RFC 1928 §5: address types
  static final int ATYP_IPV4 = 0x01;
  static final int ATYP_DOMAIN = 0x03;
  static final int ATYP_IPV6 = 0x04;

  // RFC 1928 §6: replies
  static final int REP_SUCCEEDED = 0x00;
  static final int REP_GENERAL_FAILURE = 0x01;
  static final int REP_NOT_ALLOWED = 0x02;
  static final int REP_NETWORK_UNREACHABLE = 0x03;
  static final int REP_HOST_UNREACHABLE = 0x04;
  static final int REP_CONNECTION_REFUSED = 0x05;
  static final int REP_TTL_EXPIRED = 0x06;
  static final int REP_COMMAND_NOT_SUPPORTED = 0x07;
  static final int REP_ADDRESS_TYPE_NOT_SUPPORTED = 0x08;

  // RFC 1929 §2
  static final int USER_PASS_VERSION = 0x01;
  static final int USER_PASS_SUCCESS = 0x00;
  static final int USER_PASS_FAILURE = 0x01;

  /** The reply code for a failed destination. */
  static int reply(Failure f) {
    switch (f) {
      case NOT_ALLOWED:
        return REP_NOT_ALLOWED;
      case NETWORK_UNREACHABLE:
        return REP_NETWORK_UNREACHABLE;
      case HOST_UNREACHABLE:
      case TIMEOUT: // no answer at all: what curl and browsers show as "host unreachable"
        return REP_HOST_UNREACHABLE;
      case REFUSED:
        return REP_CONNECTION_REFUSED;
      case BAD_NAME:
      case GENERAL:
      default:
        return REP_GENERAL_FAILURE;
    }
  }
}
