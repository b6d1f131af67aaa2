package io.wireguardjava.netstack.proxy;

/**
 * A SOCKS5 request (RFC 1928 §4): the command and the destination as the client sent it.
 *
 * @param command {@code CMD}, unchecked
 * @param addressType {@code ATYP}: IPv4, domain name or IPv6
 * @param host the literal address, or the domain name exactly as sent
 * @param port 0 to 65535
 */
record Socks5Request(int command, int addressType, String host, int port) {}
