package io.wireguardjava.netstack.proxy;

import java.io.Closeable;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one accepted connection holds open, so that closing the listener closes it: the client
 * socket, and whatever the handler opened for it (upstream sockets, UDP sockets).
 */
final class Connection {
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Closeable> resources = new ArrayList<>(2);
  private boolean closed;

  Connection(Socket client) {
    resources.add(client);
  }

  /**
   * Adds {@code c} to what closing the listener closes; closes it at once if the listener already
   * closed.
   *
   * @return false if it was closed at once
   */
  boolean track(Closeable c) {
    lock.lock();
    try {
      if (!closed) {
        resources.add(c);
        return true;
      }
    } finally {
      lock.unlock();
    }
    Sockets.closeQuietly(c);
    return false;
  }

  /** Forgets {@code c}, which its owner closed (an HTTP upstream replaced by another). */
  void untrack(Closeable c) {
    lock.lock();
    try {
      resources.remove(c);
    } finally {
      lock.unlock();
    }
  }

  /** Closes everything; sockets with a reset, as the listener is going away. */
  void closeAll() {
    List<Closeable> copy;
    lock.lock();
    try {
      closed = true;
      copy = new ArrayList<>(resources);
      resources.clear();
    } finally {
      lock.unlock();
    }
    for (Closeable c : copy) {
      if (c instanceof Socket) {
        Sockets.abort((Socket) c);
      } else {
        Sockets.closeQuietly(c);
      }
    }
  }
}
