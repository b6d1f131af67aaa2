package io.wireguardjava.crypto;

import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * ChaCha20-Poly1305 (RFC 8439) on {@code byte[]} ranges, with the fastest backend of the running
 * JVM chosen once ({@link #get()}, rule in {@link #defaultBackend}):
 *
 * <ul>
 *   <li>{@link Backend#JDK}: the JDK's {@code Cipher}; on JDK 20+ it has ChaCha20 and Poly1305
 *       intrinsics and is about 4x faster than any pure-Java code.
 *   <li>{@link Backend#CONSCRYPT}: used only if {@code org.conscrypt} is on the class path (never a
 *       required dependency); BoringSSL through JNI, fast on every JDK, little garbage.
 *   <li>{@link Backend#BOUNCY_CASTLE}: BouncyCastle's pure-Java implementation.
 * </ul>
 *
 * <p>The system property {@code wireguardjava.chacha20poly1305} ({@code jdk}, {@code conscrypt},
 * {@code bc}) overrides the choice.
 *
 * <p>The 96-bit nonce is {@code LE32(noncePrefix) || LE64(counter)}; WireGuard always uses prefix 0
 * and the message counter. Instances are thread-safe: each thread gets its own cipher object (a
 * {@code ThreadLocal}), so seal/open allocate nothing in this class per call. What the backend
 * allocates inside {@code init} (SunJCE: ~1-2 KB) is the backend's and is measured by the JMH
 * benchmarks, not hidden.
 *
 * <p>Security guarantees: {@link #open} returns a length only for an authentic ciphertext
 * (constant-time tag check inside each backend); on failure no plaintext is left in {@code dst}.
 * Nonce uniqueness is the caller's duty (WireGuard: the message counter); every backend also
 * refuses to seal twice in a row with one key and nonce on one thread, reported as {@link
 * IllegalStateException}. Opening the same message twice is allowed (the replay window is the
 * caller's).
 *
 * <p>Buffers: the caller owns every array; nothing is kept after a call returns. {@code src} and
 * {@code dst} may be the same array at the same offset (in place); other overlaps are not allowed.
 */
abstract class ChaCha20Poly1305 {

  /** Length of a key. */
  public static final int KEY_LENGTH = 32;

  /** Length of the authentication tag appended by {@link #seal}. */
  public static final int TAG_LENGTH = 16;

  /** The implementations. */
  public enum Backend {
    /** The JDK's {@code Cipher} (SunJCE). */
    JDK,
    /** BouncyCastle's lightweight API. */
    BOUNCY_CASTLE,
    /** Conscrypt (BoringSSL), only when on the class path. */
    CONSCRYPT
  }

  /** The system property that forces a backend. */
  public static final String BACKEND_PROPERTY = "wireguardjava.chacha20poly1305";

  ChaCha20Poly1305() {}

  /** The backend chosen for this runtime (see the class comment). */
  public static ChaCha20Poly1305 get() {
    return Default.INSTANCE;
  }

  /** A specific backend; throws {@link IllegalStateException} if it is not available. */
  public static ChaCha20Poly1305 of(Backend backend) {
    switch (backend) {
      case JDK:
        return JcaChaCha20Poly1305.jdk();
      case BOUNCY_CASTLE:
        return BcChaCha20Poly1305.INSTANCE;
      case CONSCRYPT:
        ChaCha20Poly1305 c = JcaChaCha20Poly1305.conscrypt();
        if (c == null) {
          throw new IllegalStateException("Conscrypt is not on the class path");
        }
        return c;
      default:
        throw new AssertionError(backend);
    }
  }

  /** Whether {@code backend} can be used in this JVM. */
  public static boolean isAvailable(Backend backend) {
    return backend != Backend.CONSCRYPT || JcaChaCha20Poly1305.conscrypt() != null;
  }

  /** Which backend this is. */
  public abstract Backend backend();

  /** Wraps a 32-byte key (copied) in this backend's key object; {@link Key#destroy} wipes it. */
  public abstract Key key(byte[] key);

  /**
   * Encrypts {@code src[srcOff..srcOff+len)} followed by {@code zeroPadding} zero bytes and appends
   * the tag: writes {@code len + zeroPadding + 16} bytes at {@code dst[dstOff]}. With padding, the
   * JCA backends first copy the plaintext to {@code dst}, pad it there and encrypt it in place in
   * one call (1.6 - 2.3x faster on JDK 25 than encrypting the padding apart).
   *
   * @return the number of bytes written
   * @throws IllegalStateException when the backend refuses the key and nonce of this thread's
   *     previous seal (nonce reuse), or the key was destroyed
   */
  public abstract int seal(
      Key key,
      int noncePrefix,
      long counter,
      byte @Nullable [] ad,
      byte[] src,
      int srcOff,
      int len,
      int zeroPadding,
      byte[] dst,
      int dstOff);

  /**
   * Decrypts and authenticates {@code src[srcOff..srcOff+len)} (ciphertext then tag), writing
   * {@code len - 16} bytes at {@code dst[dstOff]}.
   *
   * @return the plaintext length, or -1 when authentication fails (then the plaintext written so
   *     far, if any, has been zeroed)
   */
  public abstract int open(
      Key key,
      int noncePrefix,
      long counter,
      byte @Nullable [] ad,
      byte[] src,
      int srcOff,
      int len,
      byte[] dst,
      int dstOff);

  /** One-shot seal with a raw key, for handshake messages (allocates). */
  public static int seal(
      byte[] key,
      long counter,
      byte @Nullable [] ad,
      byte[] src,
      int srcOff,
      int len,
      byte[] dst,
      int dstOff) {
    ChaCha20Poly1305 c = get();
    Key k = c.key(key);
    try {
      return c.seal(k, 0, counter, ad, src, srcOff, len, 0, dst, dstOff);
    } finally {
      k.destroy();
    }
  }

  /** One-shot open with a raw key, for handshake messages (allocates); -1 when not authentic. */
  public static int open(
      byte[] key,
      long counter,
      byte @Nullable [] ad,
      byte[] src,
      int srcOff,
      int len,
      byte[] dst,
      int dstOff) {
    ChaCha20Poly1305 c = get();
    Key k = c.key(key);
    try {
      return c.open(k, 0, counter, ad, src, srcOff, len, dst, dstOff);
    } finally {
      k.destroy();
    }
  }

  /** Copies {@code src} to {@code dst} (a no-op when already in place) and zero-pads it. */
  static void padInPlace(byte[] src, int srcOff, int len, int zeroPadding, byte[] dst, int dstOff) {
    if (src != dst || srcOff != dstOff) {
      System.arraycopy(src, srcOff, dst, dstOff, len);
    }
    Arrays.fill(dst, dstOff + len, dstOff + len + zeroPadding, (byte) 0);
  }

  /** Writes the 12-byte nonce {@code LE32(prefix) || LE64(counter)}. */
  static void nonce(byte[] out, int prefix, long counter) {
    out[0] = (byte) prefix;
    out[1] = (byte) (prefix >>> 8);
    out[2] = (byte) (prefix >>> 16);
    out[3] = (byte) (prefix >>> 24);
    for (int i = 0; i < 8; i++) {
      out[4 + i] = (byte) (counter >>> (8 * i));
    }
  }

  /**
   * A key prepared for one backend. Holds a copy of the key bytes; {@link #destroy()} zeroes it,
   * and BouncyCastle's copy; a JDK {@code SecretKeySpec} keeps its own copy until collected (it
   * cannot be destroyed on JDK 17 - 25), and SunJCE copies the key on each {@code init}.
   */
  public static final class Key {
    final byte[] raw;
    final Object handle;
    volatile boolean destroyed;

    Key(byte[] raw, Object handle) {
      this.raw = raw;
      this.handle = handle;
    }

    /** Wipes the key; later use fails authentication / throws. */
    public void destroy() {
      destroyed = true;
      Arrays.fill(raw, (byte) 0);
      if (handle instanceof org.bouncycastle.crypto.params.KeyParameter) {
        // BouncyCastle's getKey() returns its own array, not a copy.
        Arrays.fill(((org.bouncycastle.crypto.params.KeyParameter) handle).getKey(), (byte) 0);
      } else if (handle instanceof javax.security.auth.Destroyable) {
        try {
          ((javax.security.auth.Destroyable) handle).destroy();
        } catch (javax.security.auth.DestroyFailedException | RuntimeException e) {
          // SecretKeySpec cannot be destroyed before JDK 26; the GC reclaims its copy.
        }
      }
    }

    @Override
    public String toString() {
      return "ChaCha20Poly1305.Key[redacted]";
    }
  }

  /**
   * The rule behind {@link #get()}. JDK 20+: the JDK's {@code Cipher}, which has ChaCha20 and
   * Poly1305 intrinsics there (JMH, 1420 B, JDK 25: ~1,100 MB/s against BouncyCastle's ~290). JDK
   * 17 - 19: Conscrypt when present (~900 MB/s), else the JDK's {@code Cipher} too: in our quietest
   * JDK 17 run it sealed 1420 B at ~270 MB/s and opened at ~275 against BouncyCastle's ~245 / ~205,
   * and was faster at 64 B as well, although it makes 1.2 KB (seal) / 5.8 KB (open) of garbage per
   * packet against BouncyCastle's 160 / 288 bytes (JMH's times include that garbage's collection).
   * {@code -Dwireguardjava.chacha20poly1305=bc} picks BouncyCastle where garbage matters more than
   * single-thread speed.
   */
  static Backend defaultBackend(int javaFeatureVersion, boolean conscryptPresent) {
    if (javaFeatureVersion >= 20) {
      return Backend.JDK;
    }
    return conscryptPresent ? Backend.CONSCRYPT : Backend.JDK;
  }

  /** Chooses the default once. */
  static final class Default {
    static final ChaCha20Poly1305 INSTANCE = choose();

    private Default() {}

    static ChaCha20Poly1305 choose() {
      String forced = System.getProperty(BACKEND_PROPERTY);
      if (forced != null && !forced.isBlank()) {
        switch (forced.trim().toLowerCase(Locale.ROOT)) {
          case "jdk":
            return of(Backend.JDK);
          case "bc":
          case "bouncycastle":
            return of(Backend.BOUNCY_CASTLE);
          case "conscrypt":
            return of(Backend.CONSCRYPT);
          default:
            throw new IllegalStateException(
                BACKEND_PROPERTY + " must be jdk, bc or conscrypt, not " + forced);
        }
      }
      int feature = Runtime.version().feature();
      // Conscrypt (a native library) is only looked for when it could be chosen.
      return of(defaultBackend(feature, feature < 20 && JcaChaCha20Poly1305.conscrypt() != null));
    }
  }
}
