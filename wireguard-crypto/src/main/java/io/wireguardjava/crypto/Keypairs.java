package io.wireguardjava.crypto;

import org.jspecify.annotations.Nullable;

/**
 * A peer's keypairs: previous, current and next, with the whitepaper's rotation rule (and the
 * kernel's {@code add_new_keypair}): an initiator's new keypair becomes current at once; a
 * responder's new keypair waits as "next" until the first data packet received with it ({@link
 * #receivedWith}) confirms that the initiator has it, because the responder must not send first.
 * Replaced keypairs are destroyed (keys zeroed). Thread-safe.
 */
public final class Keypairs {

  private @Nullable Keypair previous;
  private volatile @Nullable Keypair current;
  private @Nullable Keypair next;

  /**
   * The keypair to send with, or null: none yet, or the responder waits for confirmation.
   *
   * <p>Null rather than {@code Optional}, as are {@link #previous()} and {@link #next()}: the
   * engine reads this on every packet sent and received, and the data path must not allocate.
   *
   * @return the keypair to send with, or null: none yet, or the responder waits for confirmation
   */
  public @Nullable Keypair current() {
    return current;
  }

  /**
   * The previous keypair (still accepted for receiving), or null.
   *
   * @return the previous keypair (still accepted for receiving), or null
   */
  public synchronized @Nullable Keypair previous() {
    return previous;
  }

  /**
   * The responder's unconfirmed keypair, or null.
   *
   * @return the responder's unconfirmed keypair, or null
   */
  public synchronized @Nullable Keypair next() {
    return next;
  }

  /**
   * Installs the keypair of a completed handshake (see the class comment).
   *
   * @param keypair the new session
   */
  public synchronized void install(Keypair keypair) {
    if (keypair.isInitiator()) {
      if (next != null) {
        // A responder's unconfirmed keypair is dropped in favour of ours; the old current goes.
        destroy(previous);
        previous = next;
        next = null;
        destroy(current);
      } else {
        destroy(previous);
        previous = current;
      }
      current = keypair;
    } else {
      destroy(next);
      next = keypair;
      destroy(previous);
      previous = null;
    }
  }

  /**
   * Call after a transport message was authenticated with {@code keypair}. If it is the "next"
   * keypair, it becomes current (the old current becomes previous).
   *
   * @param keypair the keypair that authenticated the message
   * @return true when this confirmed the next keypair (the engine may then send queued packets)
   */
  public boolean receivedWith(Keypair keypair) {
    if (next != keypair) { // racy fast path: next is only ever set under the lock
      return false;
    }
    synchronized (this) {
      if (next != keypair) {
        return false;
      }
      destroy(previous);
      previous = current;
      current = keypair;
      next = null;
      return true;
    }
  }

  /** Destroys all three keypairs (peer removed, or REJECT_AFTER_TIME * 3 without handshake). */
  public synchronized void clear() {
    destroy(previous);
    destroy(current);
    destroy(next);
    previous = null;
    current = null;
    next = null;
  }

  private static void destroy(@Nullable Keypair k) {
    if (k != null) {
      k.destroy();
    }
  }

  @Override
  public synchronized String toString() {
    return "Keypairs[previous=" + previous + ", current=" + current + ", next=" + next + "]";
  }
}
