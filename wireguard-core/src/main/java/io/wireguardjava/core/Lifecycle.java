package io.wireguardjava.core;

/**
 * What a tunnel thread needs to know of the tunnel's life: whether it is closing, and how to close
 * it when the device or socket under the thread fails. The engine is the real one.
 */
interface Lifecycle {
  /** Whether the tunnel is closed or closing: the thread's loop ends. */
  boolean closed();

  /** Closes the tunnel because {@code cause} broke the thread's device or socket. */
  void fail(Throwable cause);
}
