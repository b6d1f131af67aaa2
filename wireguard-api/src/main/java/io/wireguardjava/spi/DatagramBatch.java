package io.wireguardjava.spi;

import java.util.Objects;

/**
 * A vector of datagrams in one preallocated buffer: datagram {@code i} is {@code
 * data()[offset(i)..offset(i)+length(i))}, with its peer in {@link #address(int)}. The transport
 * fills it on {@link DatagramTransport#receive}; the engine fills it (data only) before {@link
 * DatagramTransport#send(DatagramBatch, DatagramAddress)}.
 *
 * <p>Everything is allocated once, in the constructor: the buffer, the offset and length arrays,
 * and one {@link DatagramAddress} per slot. Datagrams are packed back to back in {@link #data()},
 * so a GRO super-datagram of the OS is split by offsets, without a copy. Ownership: the batch
 * belongs to the one thread that uses it; a transport writes into it only during a {@code receive}
 * call and reads it only during a {@code send} call, and keeps no reference afterwards. Not
 * thread-safe.
 */
public final class DatagramBatch {
  private final byte[] data;
  private final int[] offsets;
  private final int[] lengths;
  private final DatagramAddress[] addresses;
  private int count;
  private int end;

  /**
   * A batch of at most {@code maxDatagrams} datagrams totalling at most {@code bufferBytes}.
   *
   * @param maxDatagrams how many datagrams fit, at least 1
   * @param bufferBytes the size of the shared buffer, at least 1
   * @throws IllegalArgumentException when either is below 1
   */
  public DatagramBatch(int maxDatagrams, int bufferBytes) {
    if (maxDatagrams < 1 || bufferBytes < 1) {
      throw new IllegalArgumentException(
          "a datagram batch needs room: " + maxDatagrams + " datagrams, " + bufferBytes + " bytes");
    }
    data = new byte[bufferBytes];
    offsets = new int[maxDatagrams];
    lengths = new int[maxDatagrams];
    addresses = new DatagramAddress[maxDatagrams];
    for (int i = 0; i < maxDatagrams; i++) {
      addresses[i] = new DatagramAddress();
    }
  }

  /**
   * The shared buffer that holds every datagram.
   *
   * @return the buffer (not a copy)
   */
  public byte[] data() {
    return data;
  }

  /**
   * How many datagrams the batch holds now.
   *
   * @return the count
   */
  public int count() {
    return count;
  }

  /**
   * How many datagrams fit.
   *
   * @return the capacity in datagrams
   */
  public int maxDatagrams() {
    return offsets.length;
  }

  /**
   * Where in {@link #data()} the next datagram may start: just past the last one added.
   *
   * @return the first free byte of the buffer
   */
  public int end() {
    return end;
  }

  /**
   * How many bytes are left after {@link #end()}.
   *
   * @return the free bytes at the end of the buffer
   */
  public int remainingBytes() {
    return data.length - end;
  }

  /**
   * Whether no more datagram can be added.
   *
   * @return whether the batch is full (in datagrams)
   */
  public boolean isFull() {
    return count == offsets.length;
  }

  /**
   * Where datagram {@code i} starts in {@link #data()}.
   *
   * @param i the datagram's index, below {@link #count()}
   * @return its offset
   * @throws IndexOutOfBoundsException when {@code i} is not below {@link #count()}
   */
  public int offset(int i) {
    return offsets[Objects.checkIndex(i, count)];
  }

  /**
   * The length of datagram {@code i}.
   *
   * @param i the datagram's index, below {@link #count()}
   * @return its length in bytes
   * @throws IndexOutOfBoundsException when {@code i} is not below {@link #count()}
   */
  public int length(int i) {
    return lengths[Objects.checkIndex(i, count)];
  }

  /**
   * The peer of datagram {@code i}: on receive, its source (and the local address it arrived on).
   * Any slot up to {@link #maxDatagrams()} may be filled before the datagram is added.
   *
   * @param i the slot, below {@link #maxDatagrams()}
   * @return the slot's holder, owned by the batch
   * @throws IndexOutOfBoundsException when {@code i} is not below {@link #maxDatagrams()}
   */
  public DatagramAddress address(int i) {
    return addresses[i];
  }

  /** Empties the batch; the buffer is reused from its start. */
  public void clear() {
    count = 0;
    end = 0;
  }

  /**
   * Appends the datagram of {@code length} bytes already written at {@link #end()}.
   *
   * @param length its length, at least 0 and at most {@link #remainingBytes()}
   * @return its index
   * @throws IllegalStateException when the batch is full
   * @throws IndexOutOfBoundsException when the length does not fit the buffer
   */
  public int add(int length) {
    if (count == offsets.length) {
      throw new IllegalStateException("datagram batch full (" + count + ")");
    }
    Objects.checkFromIndexSize(end, length, data.length);
    offsets[count] = end;
    lengths[count] = length;
    end += length;
    return count++;
  }
}
