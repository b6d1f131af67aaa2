package io.wireguardjava.crypto;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Transport data: {@link Keypair#seal}/{@link Keypair#open} (our code: header, padding, counter,
 * replay window, expiry checks) next to the bare {@link ChaCha20Poly1305} backend on the same
 * sizes, so the cost of our own code shows. MB/s = size / (ns/op) * 1000. With {@code -prof gc},
 * {@code gc.alloc.rate.norm} of keypairSeal/keypairOpen minus that of cipherSeal/cipherOpen is
 * what our code allocates per packet (expected: 0).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransportBenchmark {

  private static final int RING = 1024;

  @Param({"64", "1420"})
  public int size;

  @Param({"JDK", "BOUNCY_CASTLE", "CONSCRYPT"})
  public String backend;

  private Keypair sender;
  private Keypair receiver;
  private ChaCha20Poly1305 cipher;
  private ChaCha20Poly1305.Key key;
  private byte[] plain;
  private byte[] out;
  private byte[][] sealedMessages;
  private byte[][] sealedCiphertexts;
  private int next;
  private long counter;

  @Setup
  public void setUp() {
    cipher = ChaCha20Poly1305.of(ChaCha20Poly1305.Backend.valueOf(backend));
    ManualTimeSource time = new ManualTimeSource();
    RandomSource random = RandomSource.secure();
    StaticIdentity a = StaticIdentity.generate(random);
    StaticIdentity b = StaticIdentity.generate(random);
    Handshake ab = Handshake.create(a, b.publicKey(), null, time, random, cipher);
    Handshake ba = Handshake.create(b, a.publicKey(), null, time, random, cipher);
    byte[] msg = new byte[148];
    ab.createInitiation(1, msg, 0);
    Handshake.consumeInitiation(b, msg, 0, 148, k -> ba);
    byte[] resp = new byte[92];
    receiver = ba.createResponse(2, resp, 0);
    sender = ab.consumeResponse(resp, 0, 92).keypair();

    plain = new byte[size];
    out = new byte[Protocol.transportLength(size) + 64];
    sealedMessages = new byte[RING][];
    for (int i = 0; i < RING; i++) {
      byte[] m = new byte[Protocol.transportLength(size)];
      sender.seal(plain, 0, size, m, 0);
      sealedMessages[i] = m;
    }
    byte[] k = new byte[32];
    random.nextBytes(k);
    key = cipher.key(k);
    sealedCiphertexts = new byte[RING][];
    for (int i = 0; i < RING; i++) {
      byte[] c = new byte[16 + size + 16];
      cipher.seal(key, 0, i, null, plain, 0, size, 0, c, 16);
      sealedCiphertexts[i] = c;
    }
  }

  /** Our whole send path: header, padding, counter, checks, AEAD. */
  @Benchmark
  public int keypairSeal() {
    return sender.seal(plain, 0, size, out, 0);
  }

  /** Our whole receive path: checks, AEAD open, replay window. */
  @Benchmark
  public int keypairOpen() {
    int i = next++ & (RING - 1);
    if (i == RING - 1) {
      receiver.resetReplayWindowForBenchmark();
    }
    byte[] m = sealedMessages[i];
    return receiver.open(m, 0, m.length, out, 0);
  }

  /**
   * The backend alone (no header, no padding, no checks), with the same buffer layout as a
   * transport message (ciphertext at offset 16), because SunJCE's allocation depends on offsets.
   */
  @Benchmark
  public int cipherSeal() {
    return cipher.seal(key, 0, counter++, null, plain, 0, size, 0, out, 16);
  }

  /** The backend alone, ciphertext at offset 16 as in a transport message. */
  @Benchmark
  public int cipherOpen() {
    int i = next++ & (RING - 1);
    byte[] c = sealedCiphertexts[i];
    return cipher.open(key, 0, i, null, c, 16, c.length - 16, out, 0);
  }
}
