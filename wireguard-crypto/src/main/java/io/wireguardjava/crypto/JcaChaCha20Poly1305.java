package io.wireguardjava.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Provider;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * ChaCha20-Poly1305 through a JCA {@link Cipher}: the JDK's SunJCE, or Conscrypt when present.
 *
 * <p>A JCA AEAD cipher must be {@code init}ed for every nonce. To allocate nothing ourselves per
 * packet, the nonce is passed in a reusable {@link IvParameterSpec} subclass (see {@link
 * ReusableIv}): the providers compare a new nonce with the previous one (to refuse reuse) and keep
 * a reference to it, so the array given last must not change until the next {@code init}.
 */
final class JcaChaCha20Poly1305 extends ChaCha20Poly1305 {

  private static final String TRANSFORMATION = "ChaCha20-Poly1305";
  private static final JcaChaCha20Poly1305 JDK = new JcaChaCha20Poly1305(Backend.JDK, null);

  private final Backend backend;
  private final @Nullable Provider provider;
  private final ThreadLocal<State> state;

  private JcaChaCha20Poly1305(Backend backend, @Nullable Provider provider) {
    this.backend = backend;
    this.provider = provider;
    this.state = ThreadLocal.withInitial(this::newState);
  }

  static JcaChaCha20Poly1305 jdk() {
    return JDK;
  }

  /** Conscrypt, loaded on first use only (it loads a native library). */
  static @Nullable JcaChaCha20Poly1305 conscrypt() {
    return ConscryptHolder.INSTANCE;
  }

  private static final class ConscryptHolder {
    static final @Nullable JcaChaCha20Poly1305 INSTANCE = loadConscrypt();

    private ConscryptHolder() {}
  }

  private static @Nullable JcaChaCha20Poly1305 loadConscrypt() {
    try {
      Class<?> c = Class.forName("org.conscrypt.Conscrypt");
      Object available = c.getMethod("isAvailable").invoke(null);
      if (!Boolean.TRUE.equals(available)) {
        return null;
      }
      Provider p = (Provider) c.getMethod("newProvider").invoke(null);
      JcaChaCha20Poly1305 impl = new JcaChaCha20Poly1305(Backend.CONSCRYPT, p);
      impl.newState(); // fails here, not later, if the provider lacks the algorithm
      return impl;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }

  private State newState() {
    try {
      return new State(newCipher(), newCipher());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(TRANSFORMATION + " unavailable from " + backend, e);
    }
  }

  private Cipher newCipher() throws GeneralSecurityException {
    return provider == null
        ? Cipher.getInstance(TRANSFORMATION)
        : Cipher.getInstance("ChaCha20/Poly1305/NoPadding", provider);
  }

  @Override
  public Backend backend() {
    return backend;
  }

  @Override
  public Key key(byte[] key) {
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("key must be 32 bytes");
    }
    byte[] raw = key.clone();
    return new Key(raw, new SecretKeySpec(raw, "ChaCha20"));
  }

  @Override
  public int seal(
      Key key,
      int noncePrefix,
      long counter,
      byte @Nullable [] ad,
      byte[] src,
      int srcOff,
      int len,
      int zeroPadding,
      byte[] dst,
      int dstOff) {
    State s = state.get();
    try {
      Cipher c = s.sealer;
      init(c, Cipher.ENCRYPT_MODE, key, s.sealIv, noncePrefix, counter);
      if (ad != null) {
        c.updateAAD(ad);
      }
      if (zeroPadding == 0) {
        return c.doFinal(src, srcOff, len, dst, dstOff);
      }
      // One doFinal over whole 16-byte blocks, in place, is the fastest path: on JDK 25 it is
      // 1.6x faster than update + doFinal(padding) for 1420 bytes (JMH PaddingProbeBenchmark).
      padInPlace(src, srcOff, len, zeroPadding, dst, dstOff);
      return c.doFinal(dst, dstOff, len + zeroPadding, dst, dstOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 seal failed", e);
    }
  }

  @Override
  public int open(
      Key key,
      int noncePrefix,
      long counter,
      byte @Nullable [] ad,
      byte[] src,
      int srcOff,
      int len,
      byte[] dst,
      int dstOff) {
    if (len < TAG_LENGTH || key.destroyed) {
      return -1;
    }
    State s = state.get();
    Cipher c = s.opener;
    try {
      init(c, Cipher.DECRYPT_MODE, key, s.openIv, noncePrefix, counter);
      if (ad != null) {
        c.updateAAD(ad);
      }
      return c.doFinal(src, srcOff, len, dst, dstOff);
    } catch (AEADBadTagException e) {
      return -1;
    } catch (GeneralSecurityException e) {
      if (key.destroyed) {
        return -1;
      }
      throw new IllegalStateException("ChaCha20-Poly1305 open failed", e);
    }
  }

  /**
   * {@code init} for one nonce. The providers refuse to init with the key and nonce of their
   * previous init (JDK 17 even for decryption). For sealing that refusal stands (it is nonce reuse,
   * and surfaces as {@link IllegalStateException}). For opening it only means the same thread opens
   * the same message twice (a replayed packet): an init with another nonce in between resolves it.
   * Sealing and opening use separate ciphers, so a loopback seal-then-open never meets it.
   */
  private static void init(Cipher c, int mode, Key key, ReusableIv iv, int prefix, long counter)
      throws GeneralSecurityException {
    if (key.destroyed) {
      throw new InvalidKeyException("key destroyed");
    }
    SecretKeySpec k = (SecretKeySpec) key.handle;
    try {
      c.init(mode, k, iv.next(prefix, counter));
    } catch (InvalidKeyException | InvalidAlgorithmParameterException sameKeyAndNonce) {
      // SunJCE throws the former, Conscrypt the latter.
      if (mode == Cipher.ENCRYPT_MODE) {
        throw sameKeyAndNonce;
      }
      c.init(mode, k, iv.next(prefix, ~counter));
      c.init(mode, k, iv.next(prefix, counter));
    }
  }

  @Override
  public String toString() {
    return "ChaCha20Poly1305[" + backend + "]";
  }

  /** Per-thread cipher and nonce holder. */
  private static final class State {
    final Cipher sealer;
    final Cipher opener;
    final ReusableIv sealIv = new ReusableIv();
    final ReusableIv openIv = new ReusableIv();

    State(Cipher sealer, Cipher opener) {
      this.sealer = sealer;
      this.opener = opener;
    }
  }

  /**
   * An {@link IvParameterSpec} for one {@link Cipher}, whose 12-byte IV rotates through three owned
   * arrays. The provider keeps the array of its last successful {@code init} and compares the next
   * nonce with it; with three arrays the one written next is never the one it holds, even when one
   * {@code init} in between was refused.
   */
  static final class ReusableIv extends IvParameterSpec {
    private final byte[][] arrays = {new byte[12], new byte[12], new byte[12]};
    private int i;
    private byte[] current = arrays[0];

    ReusableIv() {
      super(new byte[12]);
    }

    ReusableIv next(int prefix, long counter) {
      i = i == 2 ? 0 : i + 1;
      current = arrays[i];
      nonce(current, prefix, counter);
      return this;
    }

    @Override
    public byte[] getIV() {
      return current;
    }

    @Override
    public String toString() {
      return "ReusableIv" + Arrays.toString(current);
    }
  }
}
