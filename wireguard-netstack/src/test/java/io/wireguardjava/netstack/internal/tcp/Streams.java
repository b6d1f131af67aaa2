package io.wireguardjava.netstack.internal.tcp;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/** Non-blocking sender and receiver of a pseudo-random byte stream, hashing what they move. */
final class Streams {
  private Streams() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Writes {@code total} pseudo-random bytes, then shuts output down. */
  static final class Source {
    final TcpSocket socket;
    final long total;
    final MessageDigest digest = sha256();
    private final SplittableRandom random;
    private final byte[] chunk;
    private int chunkPos;
    long written;
    boolean finished;

    Source(TcpSocket socket, long total, long seed) {
      this.socket = socket;
      this.total = total;
      this.random = new SplittableRandom(seed);
      this.chunk = new byte[(int) Math.max(1, Math.min(32 * 1024, total))];
      this.chunkPos = chunk.length;
    }

    boolean step() throws IOException {
      boolean any = false;
      while (written < total) {
        if (chunkPos == chunk.length) {
          random.nextBytes(chunk);
          chunkPos = 0;
        }
        int want = (int) Math.min(chunk.length - chunkPos, total - written);
        int n = socket.writeNow(chunk, chunkPos, want);
        if (n == 0) {
          return any;
        }
        digest.update(chunk, chunkPos, n);
        chunkPos += n;
        written += n;
        any = true;
      }
      if (!finished) {
        socket.shutdownOutput();
        finished = true;
        any = true;
      }
      return any;
    }

    byte[] hash() {
      return digest.digest();
    }
  }

  /** Reads until the end of the stream. */
  static final class Sink {
    final TcpSocket socket;
    final MessageDigest digest = sha256();
    private static final byte[] SCRATCH = new byte[64 * 1024]; // tests are single-threaded
    private final byte[] buf = SCRATCH;
    long read;
    boolean eof;

    Sink(TcpSocket socket) {
      this.socket = socket;
    }

    boolean step() throws IOException {
      boolean any = false;
      while (!eof) {
        int n = socket.readNow(buf, 0, buf.length);
        if (n == 0) {
          return any;
        }
        any = true;
        if (n < 0) {
          eof = true;
        } else {
          digest.update(buf, 0, n);
          read += n;
        }
      }
      return any;
    }

    byte[] hash() {
      return digest.digest();
    }
  }
}
