package io.wireguardjava.examples.bounce;

import org.junit.jupiter.api.Test;

class BounceServerTest {

  @Test
  void twoNattedPeersReachEachOtherThroughTheRelay() throws Exception {
    BounceServer.demo(); // throws unless the ping and its reply both went through
  }
}
