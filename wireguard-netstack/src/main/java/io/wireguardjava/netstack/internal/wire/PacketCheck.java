package io.wireguardjava.netstack.internal.wire;

/** Why a packet failed a header check; {@link #OK} when it passed. Constants: no allocation. */
public enum PacketCheck {
  /** The header is well formed. */
  OK,
  /** Shorter than its headers or than the length its header states. */
  TRUNCATED,
  /** IP version neither 4 nor 6. */
  BAD_VERSION,
  /** A header length field out of range. */
  BAD_HEADER_LENGTH,
  /** The checksum does not verify. */
  BAD_CHECKSUM,
  /** A length field that contradicts the packet. */
  BAD_LENGTH,
  /** A header this stack does not handle (IPv6 fragments, routing headers). */
  UNSUPPORTED
}
