package io.wireguardjava.crypto;

import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.jspecify.annotations.Nullable;

/**
 * ChaCha20-Poly1305 through BouncyCastle's lightweight API, one engine per thread. The parameters
 * object is a reusable subclass (BouncyCastle copies the nonce in {@code init}), so this class
 * allocates nothing per call; BouncyCastle itself allocates a Poly1305 key object.
 */
final class BcChaCha20Poly1305 extends ChaCha20Poly1305 {

  static final BcChaCha20Poly1305 INSTANCE = new BcChaCha20Poly1305();
  private static final byte[] ZEROS = new byte[64];

  private final ThreadLocal<State> state = ThreadLocal.withInitial(State::new);

  private BcChaCha20Poly1305() {}

  @Override
  public Backend backend() {
    return Backend.BOUNCY_CASTLE;
  }

  @Override
  public Key key(byte[] key) {
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("key must be 32 bytes");
    }
    byte[] raw = key.clone();
    return new Key(raw, new KeyParameter(raw));
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
    if (key.destroyed) {
      throw new IllegalStateException("key destroyed");
    }
    State s = state.get();
    s.params.set((KeyParameter) key.handle, noncePrefix, counter);
    org.bouncycastle.crypto.modes.ChaCha20Poly1305 c = s.aead;
    try {
      c.init(true, s.params);
    } catch (IllegalArgumentException sameKeyAndNonce) {
      // BouncyCastle refuses to seal twice in a row with one key and nonce: nonce reuse.
      // Start a fresh engine so this thread is not stuck, and report the misuse.
      s.aead = new org.bouncycastle.crypto.modes.ChaCha20Poly1305();
      throw new IllegalStateException(
          "ChaCha20-Poly1305 seal refused: nonce reuse", sameKeyAndNonce);
    }
    if (ad != null) {
      c.processAADBytes(ad, 0, ad.length);
    }
    // Not padded in place as the JCA backend does: BouncyCastle copies overlapping input.
    int n = c.processBytes(src, srcOff, len, dst, dstOff);
    for (int left = zeroPadding; left > 0; left -= ZEROS.length) {
      n += c.processBytes(ZEROS, 0, Math.min(left, ZEROS.length), dst, dstOff + n);
    }
    try {
      n += c.doFinal(dst, dstOff + n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException(e);
    }
    return n;
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
    s.params.set((KeyParameter) key.handle, noncePrefix, counter);
    org.bouncycastle.crypto.modes.ChaCha20Poly1305 c = s.aead;
    c.init(false, s.params);
    if (ad != null) {
      c.processAADBytes(ad, 0, ad.length);
    }
    int n = c.processBytes(src, srcOff, len, dst, dstOff);
    try {
      return n + c.doFinal(dst, dstOff + n);
    } catch (InvalidCipherTextException e) {
      // BouncyCastle streams plaintext out before the tag is checked: wipe it.
      java.util.Arrays.fill(dst, dstOff, dstOff + len - TAG_LENGTH, (byte) 0);
      c.reset();
      return -1;
    }
  }

  @Override
  public String toString() {
    return "ChaCha20Poly1305[BOUNCY_CASTLE]";
  }

  private static final class State {
    // Not final: replaced after a refused init, which leaves BouncyCastle's engine unusable.
    org.bouncycastle.crypto.modes.ChaCha20Poly1305 aead =
        new org.bouncycastle.crypto.modes.ChaCha20Poly1305();
    final MutableParams params = new MutableParams();
  }

  /** {@link ParametersWithIV} whose key and IV can be changed; BouncyCastle copies both. */
  private static final class MutableParams extends ParametersWithIV {
    private final byte[] iv = new byte[12];
    private @Nullable KeyParameter key;

    MutableParams() {
      super(null, new byte[12]);
    }

    void set(KeyParameter key, int prefix, long counter) {
      this.key = key;
      nonce(iv, prefix, counter);
    }

    @Override
    public byte[] getIV() {
      return iv;
    }

    @Override
    public @Nullable CipherParameters getParameters() {
      return key;
    }
  }
}
