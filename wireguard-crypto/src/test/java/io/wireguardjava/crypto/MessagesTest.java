package io.wireguardjava.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessagesTest {

  @Test
  void lengthsAndTypes() {
    assertThat(Messages.validate(new byte[0], 0, 0)).isEqualTo(Reason.WRONG_LENGTH);
    assertThat(Messages.validate(new byte[] {9}, 0, 1)).isEqualTo(Reason.UNKNOWN_TYPE);
    assertThat(Messages.validate(new byte[] {1}, 0, 1)).isEqualTo(Reason.WRONG_LENGTH);
    for (int[] tl : new int[][] {{1, 148}, {2, 92}, {3, 64}}) {
      byte[] m = new byte[200];
      m[0] = (byte) tl[0];
      assertThat(Messages.validate(m, 0, tl[1])).isEqualTo(Reason.OK);
      assertThat(Messages.validate(m, 0, tl[1] - 1)).isEqualTo(Reason.WRONG_LENGTH);
      assertThat(Messages.validate(m, 0, tl[1] + 1)).isEqualTo(Reason.WRONG_LENGTH);
      for (int i = 1; i < 4; i++) {
        m[i] = 1;
        assertThat(Messages.validate(m, 0, tl[1])).isEqualTo(Reason.NONZERO_RESERVED);
        m[i] = 0;
      }
    }
    byte[] t = new byte[32];
    t[0] = 4;
    assertThat(Messages.validate(t, 0, 32)).isEqualTo(Reason.OK);
    assertThat(Messages.validate(t, 0, 31)).isEqualTo(Reason.WRONG_LENGTH);
    byte[] zero = new byte[148];
    assertThat(Messages.validate(zero, 0, 148)).isEqualTo(Reason.UNKNOWN_TYPE);
  }

  @Test
  void fieldsAreLittleEndian() {
    byte[] m = Hex.b("04000000" + "78563412" + "0100000000000080" + "00".repeat(16));
    assertThat(Messages.receiverIndex(m, 0)).isEqualTo(0x12345678);
    assertThat(Messages.counter(m, 0)).isEqualTo(0x8000000000000001L);
    byte[] r = Hex.b("02000000" + "01000000" + "02000000" + "00".repeat(80));
    assertThat(Messages.senderIndex(r, 0)).isEqualTo(1);
    assertThat(Messages.receiverIndex(r, 0)).isEqualTo(2);
  }

  @Test
  void reasonCodesRoundTrip() {
    for (Reason r : Reason.values()) {
      assertThat(Reason.fromCode(r.code())).isEqualTo(r);
    }
    assertThat(Reason.fromCode(1420)).isEqualTo(Reason.OK);
  }
}
