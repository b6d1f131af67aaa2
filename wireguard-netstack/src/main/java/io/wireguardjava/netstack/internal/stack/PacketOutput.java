package io.wireguardjava.netstack.internal.stack;

/** Where the stack puts the IP packets it sends: the tunnel, or a test's list. */
@FunctionalInterface
public interface PacketOutput {
  /**
   * Sends one IP packet. Called on the stack thread only. The stack owns {@code packet} and reuses
   * it once this returns: the implementation copies what it keeps.
   *
   * @param packet the buffer
   * @param offset where the packet starts
   * @param length its length
   * @return false when it could not be sent (counted; TCP retransmits, UDP is lost)
   */
  boolean emit(byte[] packet, int offset, int length);
}
