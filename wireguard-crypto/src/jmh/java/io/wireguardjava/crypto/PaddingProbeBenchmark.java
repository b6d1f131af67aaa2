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

@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PaddingProbeBenchmark {
  @Param({"64", "1420"})
  public int size;
  private ChaCha20Poly1305 cipher;
  private ChaCha20Poly1305.Key key;
  private byte[] plain;
  private byte[] out;
  private long counter;

  @Setup
  public void setUp() {
    cipher = ChaCha20Poly1305.of(ChaCha20Poly1305.Backend.JDK);
    key = cipher.key(new byte[32]);
    plain = new byte[size];
    out = new byte[size + 64];
  }

  @Benchmark
  public int noPad() {
    return cipher.seal(key, 0, counter++, null, plain, 0, size, 0, out, 16);
  }

  @Benchmark
  public int padSeparately() {
    int pad = Protocol.paddedLength(size) - size;
    return cipher.seal(key, 0, counter++, null, plain, 0, size, pad, out, 16);
  }

  @Benchmark
  public int copyPadInPlace() {
    int padded = Protocol.paddedLength(size);
    System.arraycopy(plain, 0, out, 16, size);
    java.util.Arrays.fill(out, 16 + size, 16 + padded, (byte) 0);
    return cipher.seal(key, 0, counter++, null, out, 16, padded, 0, out, 16);
  }
}
