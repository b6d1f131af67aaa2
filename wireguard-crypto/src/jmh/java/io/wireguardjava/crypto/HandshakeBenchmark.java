package io.wireguardjava.crypto;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A whole handshake per operation: initiation create + consume (MAC1, 2 DH, AEADs), response
 * create + consume, keypairs derived on both sides. Four X25519 per side plus key generation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBenchmark {

  private ManualTimeSource time;
  private StaticIdentity a;
  private StaticIdentity b;
  private Handshake ab;
  private Handshake ba;
  private final byte[] init = new byte[148];
  private final byte[] resp = new byte[92];
  private int index;

  @Setup
  public void setUp() {
    time = new ManualTimeSource();
    RandomSource random = RandomSource.secure();
    a = StaticIdentity.generate(random);
    b = StaticIdentity.generate(random);
    ab = Handshake.create(a, b.publicKey(), null, time, random);
    ba = Handshake.create(b, a.publicKey(), null, time, random);
  }

  @Benchmark
  public Keypair fullHandshake() {
    time.advance(Duration.ofMillis(50)); // timestamps must grow; 50/s per peer at most
    ab.createInitiation(++index, init, 0);
    Handshake.InitiationResult r = Handshake.consumeInitiation(b, init, 0, 148, k -> ba);
    if (r.reason() != Reason.OK) {
      throw new IllegalStateException(r.reason().toString());
    }
    Keypair kb = ba.createResponse(++index, resp, 0);
    Keypair ka = ab.consumeResponse(resp, 0, 92).keypair();
    kb.destroy();
    return ka;
  }
}
