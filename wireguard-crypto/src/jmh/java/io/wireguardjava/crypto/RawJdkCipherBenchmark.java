package io.wireguardjava.crypto;

import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JDK's ChaCha20-Poly1305 used the textbook way ({@code new IvParameterSpec} and {@code
 * init} per packet, {@code doFinal}): the floor under {@link TransportBenchmark}'s JDK backend.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RawJdkCipherBenchmark {

  @Param({"64", "1420"})
  public int size;

  private Cipher cipher;
  private SecretKeySpec key;
  private byte[] plain;
  private byte[] out;
  private final byte[] nonce = new byte[12];
  private long counter;

  @Setup
  public void setUp() throws GeneralSecurityException {
    cipher = Cipher.getInstance("ChaCha20-Poly1305");
    key = new SecretKeySpec(new byte[32], "ChaCha20");
    plain = new byte[size];
    out = new byte[size + 16];
  }

  @Benchmark
  public int jdkSeal() throws GeneralSecurityException {
    long c = counter++;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (c >>> (8 * i));
    }
    cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
    return cipher.doFinal(plain, 0, size, out, 0);
  }
}
