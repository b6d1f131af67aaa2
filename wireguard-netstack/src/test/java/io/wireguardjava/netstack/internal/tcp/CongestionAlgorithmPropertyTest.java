package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.netstack.internal.tcp.TcpSettings.CongestionAlgorithm;
import org.junit.jupiter.api.Test;

class CongestionAlgorithmPropertyTest {

  @Test
  void unsetMeansBbr() {
    assertThat(CongestionAlgorithm.fromProperty(null)).isEqualTo(CongestionAlgorithm.BBR);
    assertThat(CongestionAlgorithm.fromProperty(" ")).isEqualTo(CongestionAlgorithm.BBR);
    assertThat(TcpSettings.defaults().congestionControl()).isEqualTo(CongestionAlgorithm.BBR);
  }

  @Test
  void bbrByName() {
    assertThat(CongestionAlgorithm.fromProperty("bbr")).isEqualTo(CongestionAlgorithm.BBR);
  }

  @Test
  void namesInAnyCase() {
    assertThat(CongestionAlgorithm.fromProperty("BBR")).isEqualTo(CongestionAlgorithm.BBR);
    assertThat(CongestionAlgorithm.fromProperty("cubic")).isEqualTo(CongestionAlgorithm.CUBIC);
    assertThat(CongestionAlgorithm.fromProperty(" NewReno "))
        .isEqualTo(CongestionAlgorithm.NEW_RENO);
  }

  @Test
  void anUnknownNameSaysWhichPropertyAndWhatIsOnOffer() {
    assertThatThrownBy(() -> CongestionAlgorithm.fromProperty("vegas"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(CongestionAlgorithm.PROPERTY + " = vegas: not newreno, cubic or bbr");
  }
}
