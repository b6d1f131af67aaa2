package io.wireguardjava.crypto;

import java.util.HexFormat;

final class Hex {
  private Hex() {}

  static byte[] b(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("[\\s:]", ""));
  }

  static String s(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
