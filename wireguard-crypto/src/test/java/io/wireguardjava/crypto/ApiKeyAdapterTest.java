package io.wireguardjava.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import org.junit.jupiter.api.Test;

/** The overloads that take the API's Key, PrivateKey and PresharedKey values. */
class ApiKeyAdapterTest {

  @Test
  void handshakeWithApiKeyValues() {
    PrivateKey pa = PrivateKey.generate();
    PrivateKey pb = PrivateKey.generate();
    PresharedKey psk = PresharedKey.generate();
    StaticIdentity a = StaticIdentity.of(pa);
    StaticIdentity b = StaticIdentity.of(pb);
    assertThat(a.key()).isEqualTo(pa.publicKey());
    ManualTimeSource time = new ManualTimeSource();
    RandomSource random = RandomSource.secure();
    Handshake ab = Handshake.create(a, pb.publicKey(), psk, time, random);
    Handshake ba = Handshake.create(b, pa.publicKey(), psk, time, random);
    assertThat(ab.remoteKey()).isEqualTo(pb.publicKey());
    byte[] init = new byte[148];
    ab.createInitiation(1, init, 0);
    assertThat(
            Handshake.consumeInitiation(
                    b,
                    init,
                    0,
                    148,
                    k -> io.wireguardjava.Key.fromBytes(k).equals(pa.publicKey()) ? ba : null)
                .reason())
        .isEqualTo(Reason.OK);
    byte[] resp = new byte[92];
    ba.createResponse(2, resp, 0);
    assertThat(ab.consumeResponse(resp, 0, 92).reason()).isEqualTo(Reason.OK);
  }
}
