package io.wireguardjava.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many threads sealing and opening with one keypair: every counter once, every packet intact. */
class ConcurrencyTest {

  @ParameterizedTest
  @EnumSource(ChaCha20Poly1305.Backend.class)
  void parallelSealAndOpen(ChaCha20Poly1305.Backend backend) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(ChaCha20Poly1305.isAvailable(backend));
    ManualTimeSource time = new ManualTimeSource();
    SeededRandom random = new SeededRandom(31);
    StaticIdentity a = StaticIdentity.generate(random);
    StaticIdentity b = StaticIdentity.generate(random);
    ChaCha20Poly1305 c = ChaCha20Poly1305.of(backend);
    Handshake ab = Handshake.create(a, b.publicKey(), null, time, random, c);
    Handshake ba = Handshake.create(b, a.publicKey(), null, time, random, c);
    byte[] init = new byte[148];
    ab.createInitiation(1, init, 0);
    Handshake.consumeInitiation(b, init, 0, 148, k -> ba);
    byte[] resp = new byte[92];
    Keypair receiver = ba.createResponse(2, resp, 0);
    Keypair sender = ab.consumeResponse(resp, 0, 92).keypair();

    int threads = 4;
    int perThread = 500;
    ConcurrentLinkedQueue<byte[]> wire = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    byte[] p = new byte[100];
                    p[0] = (byte) id;
                    p[1] = (byte) i;
                    p[2] = (byte) (i >>> 8);
                    byte[] m = new byte[Protocol.transportLength(100)];
                    assertThat(sender.seal(p, 0, 100, m, 0)).isEqualTo(m.length);
                    wire.add(m);
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      assertThat(sender.sendCounter()).isEqualTo(threads * perThread);
      AtomicInteger ok = new AtomicInteger();
      boolean[][] seen = new boolean[threads][perThread];
      fs.clear();
      for (int t = 0; t < threads; t++) {
        fs.add(
            pool.submit(
                () -> {
                  byte[] out = new byte[200];
                  byte[] m;
                  while ((m = wire.poll()) != null) {
                    int n = receiver.open(m, 0, m.length, out, 0);
                    assertThat(n).isEqualTo(112);
                    synchronized (seen) {
                      int i = (out[1] & 0xff) | (out[2] & 0xff) << 8;
                      assertThat(seen[out[0]][i]).isFalse();
                      seen[out[0]][i] = true;
                    }
                    ok.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      assertThat(ok.get()).isEqualTo(threads * perThread);
    } finally {
      pool.shutdownNow();
    }
  }
}
