package io.wireguardjava.spi;

/**
 * A reusable, preallocated vector of IP packets, moved through a {@link PacketDevice} in one call
 * ({@link PacketDevice#readBatch}, {@link PacketDevice#writeBatch}).
 *
 * <p>A batch has {@link #capacity()} slots; slot {@code i} is {@link #array(int) array(i)}{@code
 * [}{@link #offset(int) offset(i)}{@code ..offset(i) + }{@link #maxLength()}{@code )}. Every slot
 * starts {@link #headroom()} bytes into its own array, so a caller can build a header in front of
 * the packet in place (the engine seals a packet into a WireGuard datagram that way). The first
 * {@link #count()} slots hold packets, slot {@code i} of {@link #length(int) length(i)} bytes.
 *
 * <p>Filling a batch: write the bytes of the next packet into slot {@link #count()}, then call
 * {@link #add(int)} with its length. Nothing is allocated after construction.
 *
 * <p>Ownership: the batch belongs to the caller of the device. A device fills or reads it during
 * the call and keeps no reference to it, nor to its arrays, after returning. Not thread-safe: one
 * thread uses a batch at a time.
 */
public final class PacketBatch {

  private final byte[][] arrays;
  private final int[] lengths;
  private final int headroom;
  private final int maxLength;
  private int count;

  private PacketBatch(int capacity, int headroom, int maxLength) {
    this.arrays = new byte[capacity][headroom + maxLength];
    this.lengths = new int[capacity];
    this.headroom = headroom;
    this.maxLength = maxLength;
  }

  /**
   * Allocates a batch of {@code capacity} slots, each with room for a packet of {@code maxLength}
   * bytes after {@code headroom} free bytes.
   *
   * @param capacity the number of packets it holds, 1 to 65536
   * @param headroom the free bytes before each packet, 0 to 65536
   * @param maxLength the largest packet a slot holds, 1 to 65536
   * @return the new, empty batch
   * @throws IllegalArgumentException when an argument is out of its range
   */
  public static PacketBatch allocate(int capacity, int headroom, int maxLength) {
    check("capacity", capacity, 1);
    check("headroom", headroom, 0);
    check("maxLength", maxLength, 1);
    return new PacketBatch(capacity, headroom, maxLength);
  }

  private static void check(String what, int value, int min) {
    if (value < min || value > 65536) {
      throw new IllegalArgumentException(
          "PacketBatch " + what + " " + value + " not in " + min + "..65536");
    }
  }

  /**
   * The number of slots.
   *
   * @return the number of slots
   */
  public int capacity() {
    return arrays.length;
  }

  /**
   * The number of packets held: slots {@code 0..count()-1}.
   *
   * @return the number of packets held
   */
  public int count() {
    return count;
  }

  /**
   * Whether every slot holds a packet.
   *
   * @return whether {@code count() == capacity()}
   */
  public boolean isFull() {
    return count == arrays.length;
  }

  /**
   * The free bytes in front of each packet.
   *
   * @return the headroom given at allocation
   */
  public int headroom() {
    return headroom;
  }

  /**
   * The largest packet a slot holds.
   *
   * @return the room of each slot in bytes
   */
  public int maxLength() {
    return maxLength;
  }

  /**
   * The array of slot {@code i}, to read a packet from or write one into.
   *
   * @param i the slot, {@code 0 <= i < capacity()}
   * @return the slot's array (the batch's own, not a copy)
   * @throws IndexOutOfBoundsException when {@code i} is not a slot
   */
  public byte[] array(int i) {
    return arrays[i];
  }

  /**
   * Where the packet of slot {@code i} starts in {@link #array(int) array(i)}: {@link #headroom()}.
   *
   * @param i the slot, {@code 0 <= i < capacity()}
   * @return the offset of the packet
   * @throws IndexOutOfBoundsException when {@code i} is not a slot
   */
  public int offset(int i) {
    java.util.Objects.checkIndex(i, arrays.length);
    return headroom;
  }

  /**
   * The length of packet {@code i}. As for {@link PacketDevice#read}, a length above {@link
   * #maxLength()} means the packet was longer than the slot: only its first {@code maxLength()}
   * bytes are there, and the caller counts it as too large.
   *
   * @param i the packet, {@code 0 <= i < count()}
   * @return its length in bytes
   * @throws IndexOutOfBoundsException when {@code i} is not a packet of the batch
   */
  public int length(int i) {
    java.util.Objects.checkIndex(i, count);
    return lengths[i];
  }

  /**
   * Appends the packet already written into slot {@link #count()}.
   *
   * @param length its length in bytes (above {@link #maxLength()}: it was cut to the slot)
   * @throws IllegalStateException when the batch is full
   * @throws IllegalArgumentException when {@code length} is negative
   */
  public void add(int length) {
    if (count == arrays.length) {
      throw new IllegalStateException("PacketBatch full (" + arrays.length + " packets)");
    }
    if (length < 0) {
      throw new IllegalArgumentException("packet length " + length + " is negative");
    }
    lengths[count++] = length;
  }

  /** Empties the batch; the slots stay allocated. */
  public void clear() {
    count = 0;
  }

  @Override
  public String toString() {
    return "PacketBatch[" + count + "/" + arrays.length + " packets of up to " + maxLength + " B]";
  }
}
