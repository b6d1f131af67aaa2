package io.wireguardjava.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketBatchTest {

  /** A device with only the single-packet calls: the batch defaults must loop over them. */
  static final class SimpleDevice implements PacketDevice {
    final Deque<byte[]> toRead = new ArrayDeque<>();
    final List<byte[]> written = new ArrayList<>();

    @Override
    public String name() {
      return "simple";
    }

    @Override
    public int mtu() {
      return 1420;
    }

    @Override
    public int read(byte[] buf, int offset, int length) {
      byte[] p = toRead.poll();
      if (p == null) {
        return -1;
      }
      System.arraycopy(p, 0, buf, offset, Math.min(length, p.length));
      return p.length;
    }

    @Override
    public void write(byte[] buf, int offset, int length) throws IOException {
      if (length == 13) {
        throw new IOException("unlucky");
      }
      written.add(Arrays.copyOfRange(buf, offset, offset + length));
    }

    @Override
    public void close() {}
  }

  @Test
  void slotsStartAfterTheHeadroomAndFillInOrder() {
    PacketBatch b = PacketBatch.allocate(3, 16, 100);
    assertThat(b.capacity()).isEqualTo(3);
    assertThat(b.count()).isZero();
    assertThat(b.offset(2)).isEqualTo(16);
    assertThat(b.array(0)).hasSize(116);
    assertThat(b.array(0)).isNotSameAs(b.array(1));
    b.add(10);
    b.add(200); // cut to the slot: its full length is kept, as PacketDevice.read does
    assertThat(b.length(0)).isEqualTo(10);
    assertThat(b.length(1)).isEqualTo(200);
    assertThatThrownBy(() -> b.length(2)).isInstanceOf(IndexOutOfBoundsException.class);
    b.add(0);
    assertThat(b.isFull()).isTrue();
    assertThatThrownBy(() -> b.add(1)).isInstanceOf(IllegalStateException.class);
    b.clear();
    assertThat(b.count()).isZero();
    assertThatThrownBy(() -> b.add(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outOfRangeSizesAreRefusedByName() {
    assertThatThrownBy(() -> PacketBatch.allocate(0, 0, 100)).hasMessageContaining("capacity 0");
    assertThatThrownBy(() -> PacketBatch.allocate(1, -1, 100)).hasMessageContaining("headroom");
    assertThatThrownBy(() -> PacketBatch.allocate(1, 0, 70000)).hasMessageContaining("maxLength");
  }

  @Test
  void defaultBatchCallsLoopOverTheSingleOnes() throws IOException {
    SimpleDevice d = new SimpleDevice();
    d.toRead.add(new byte[] {1, 2, 3});
    d.toRead.add(new byte[] {4});
    PacketBatch b = PacketBatch.allocate(4, 8, 2);
    assertThat(d.readBatch(b)).isEqualTo(1);
    assertThat(b.length(0)).isEqualTo(3); // cut to 2 bytes, full length reported
    assertThat(Arrays.copyOfRange(b.array(0), 8, 10)).containsExactly(1, 2);
    assertThat(d.readBatch(b)).isEqualTo(1);
    assertThat(b.array(0)[8]).isEqualTo((byte) 4);
    assertThat(d.readBatch(b)).isEqualTo(-1);

    PacketBatch w = PacketBatch.allocate(3, 4, 20);
    for (int len : new int[] {5, 7, 13}) {
      Arrays.fill(w.array(w.count()), 4, 4 + len, (byte) len);
      w.add(len);
    }
    assertThatThrownBy(() -> d.writeBatch(w)).hasMessage("unlucky");
    assertThat(d.written).hasSize(2); // those before the failing one
    assertThat(d.written.get(1)).hasSize(7).containsOnly(7);
  }
}
