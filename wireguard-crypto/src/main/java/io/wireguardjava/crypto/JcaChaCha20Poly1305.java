package io.wireguardjava.crypto;

import java.security.GeneralSecurityException;
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
 * packet, the nonce is passed in a reusable {@link IvParameterSpec} subclass that hands out one
 * of two arrays in turn: the providers compare a new encryption nonce with the previous one (to
 * refuse reuse) and keep a reference to it, so the array given last must not change until the
 * next {@code init}; alternating two arrays guarantees that.
 */
final class JcaChaCha20Poly1305 extends ChaCha20Poly1305 {

  private static final String TRANSFORMATION = "ChaCha20-Poly1305";
  private static final JcaChaCha20Poly1305 JDK = new JcaChaCha20Poly1305(Backend.JDK, null);
  private static final @Nullable JcaChaCha20Poly1305 CONSCRYPT = loadConscrypt();

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

  static @Nullable JcaChaCha20Poly1305 conscrypt() {
    return CONSCRYPT;
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
      Cipher c = provider == null
          ? Cipher.getInstance(TRANSFORMATION)
          : Cipher.getInstance("ChaCha20/Poly1305/NoPadding", provider);
      return new State(c);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(TRANSFORMATION + " unavailable from " + backend, e);
    }
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
  public int seal(Key key, int noncePrefix, long counter, byte @Nullable [] ad, byte[] src,
      int srcOff, int len, int zeroPadding, byte[] dst, int dstOff) {
    State s = state.get();
    ReusableIv iv = s.iv.next(noncePrefix, counter);
    try {
      Cipher c = s.cipher;
      try {
        c.init(Cipher.ENCRYPT_MODE, (SecretKeySpec) key.handle, iv);
      } catch (InvalidKeyException sameKeyAndNonce) {
        // The provider refuses the key and nonce of its previous encryption (only ever seen when
        // a caller seals the same counter twice, e.g. in tests): use a fresh Cipher.
        if (key.destroyed) {
          throw new IllegalStateException("key destroyed");
        }
        s.cipher = newState().cipher;
        c = s.cipher;
        c.init(Cipher.ENCRYPT_MODE, (SecretKeySpec) key.handle, iv);
      }
      if (ad != null) {
        c.updateAAD(ad);
      }
      int n = c.update(src, srcOff, len, dst, dstOff);
      n += c.doFinal(ZEROS, 0, zeroPadding, dst, dstOff + n);
      return n;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 seal failed", e);
    }
  }

  @Override
  public int open(Key key, int noncePrefix, long counter, byte @Nullable [] ad, byte[] src,
      int srcOff, int len, byte[] dst, int dstOff) {
    if (len < TAG_LENGTH) {
      return -1;
    }
    State s = state.get();
    ReusableIv iv = s.iv.next(noncePrefix, counter);
    Cipher c = s.cipher;
    try {
      c.init(Cipher.DECRYPT_MODE, (SecretKeySpec) key.handle, iv);
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

  @Override
  public String toString() {
    return "ChaCha20Poly1305[" + backend + "]";
  }

  /** Per-thread cipher and nonce holder. */
  private static final class State {
    Cipher cipher;
    final ReusableIv iv = new ReusableIv();

    State(Cipher cipher) {
      this.cipher = cipher;
    }
  }

  /**
   * An {@link IvParameterSpec} whose 12-byte IV rotates through three owned arrays. The provider
   * keeps a reference to the IV of its last successful init; with two arrays, one refused init
   * (a repeated nonce) made the next packet's IV overwrite that array and be refused too.
   */
  static final class ReusableIv extends IvParameterSpec {
    private final byte[] a = new byte[12];
    private final byte[] b = new byte[12];
    private final byte[] c = new byte[12];
    private byte[] current = a;

    ReusableIv() {
      super(new byte[12]);
    }

    ReusableIv next(int prefix, long counter) {
      current = current == a ? b : current == b ? c : a;
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
