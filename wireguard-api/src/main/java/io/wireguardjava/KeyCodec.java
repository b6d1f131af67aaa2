package io.wireguardjava;

/**
 * Encoding and strict decoding of 32-byte keys, in base64 (44 characters, as {@code wg} prints
 * them) and lowercase hex (64 characters, as the UAPI carries them).
 *
 * <p>Decoding follows {@code wg}'s {@code encoding.c}: the work done does not depend on the key's
 * bytes, only on its length, so that decoding a secret does not leak it through timing.
 */
final class KeyCodec {
  static final int KEY_LENGTH = 32;
  static final int BASE64_LENGTH = 44;
  static final int HEX_LENGTH = 64;

  private KeyCodec() {}

  static String toBase64(byte[] key) {
    char[] out = new char[BASE64_LENGTH];
    int i;
    for (i = 0; i < KEY_LENGTH / 3; i++) {
      encodeGroup(out, i * 4, key[i * 3], key[i * 3 + 1], key[i * 3 + 2]);
    }
    encodeGroup(out, i * 4, key[i * 3], key[i * 3 + 1], (byte) 0);
    out[BASE64_LENGTH - 1] = '=';
    return new String(out);
  }

  private static void encodeGroup(char[] out, int at, byte b0, byte b1, byte b2) {
    out[at] = encodeSixBits(((b0 & 0xff) >>> 2) & 63);
    out[at + 1] = encodeSixBits((((b0 & 0xff) << 4) | ((b1 & 0xff) >>> 4)) & 63);
    out[at + 2] = encodeSixBits((((b1 & 0xff) << 2) | ((b2 & 0xff) >>> 6)) & 63);
    out[at + 3] = encodeSixBits(b2 & 63);
  }

  /** Branch-free mapping of 0..63 to the base64 alphabet (from wg's encoding.c). */
  private static char encodeSixBits(int i) {
    return (char)
        (i
            + 'A'
            + (((25 - i) >> 8) & 6)
            - (((51 - i) >> 8) & 75)
            - (((61 - i) >> 8) & 15)
            + (((62 - i) >> 8) & 3));
  }

  /**
   * Decodes a base64 key.
   *
   * @throws IllegalArgumentException unless {@code text} is 44 base64 characters ending in {@code
   *     =} that decode canonically to 32 bytes
   */
  static byte[] fromBase64(String text) {
    if (text.length() != BASE64_LENGTH || text.charAt(BASE64_LENGTH - 1) != '=') {
      throw new IllegalArgumentException(
          "a key in base64 has 44 characters ending in '=', not " + text.length());
    }
    requireAscii(text);
    byte[] key = new byte[KEY_LENGTH];
    int bad = 0;
    int i;
    for (i = 0; i < KEY_LENGTH / 3; i++) {
      int val =
          decodeGroup(
              text.charAt(i * 4),
              text.charAt(i * 4 + 1),
              text.charAt(i * 4 + 2),
              text.charAt(i * 4 + 3));
      bad |= val >>> 31;
      key[i * 3] = (byte) (val >> 16);
      key[i * 3 + 1] = (byte) (val >> 8);
      key[i * 3 + 2] = (byte) val;
    }
    int val = decodeGroup(text.charAt(i * 4), text.charAt(i * 4 + 1), text.charAt(i * 4 + 2), 'A');
    // The last group carries 16 bits in 18: the 2 spare bits must be zero (canonical encoding).
    bad |= (val >>> 31) | (val & 0xff);
    key[i * 3] = (byte) (val >> 16);
    key[i * 3 + 1] = (byte) (val >> 8);
    if (bad != 0) {
      java.util.Arrays.fill(key, (byte) 0);
      throw new IllegalArgumentException("not a canonical base64 encoding of 32 bytes");
    }
    return key;
  }

  /**
   * The branch-free character decoders assume 7-bit input; this check reveals through timing only
   * whether some character is outside ASCII, never which one.
   */
  private static void requireAscii(String text) {
    int all = 0;
    for (int i = 0; i < text.length(); i++) {
      all |= text.charAt(i);
    }
    if (all > 0x7f) {
      throw new IllegalArgumentException("a key contains a non-ASCII character");
    }
  }

  /** Decodes 4 base64 characters into 24 bits, or a negative number if one is not base64. */
  private static int decodeGroup(char c0, char c1, char c2, char c3) {
    return (decodeChar(c0) << 18) | (decodeChar(c1) << 12) | (decodeChar(c2) << 6) | decodeChar(c3);
  }

  /** Branch-free: 0..63 for a base64 character, -1 (all bits set) otherwise. */
  private static int decodeChar(char ch) {
    int c = ch;
    return -1
        + ((((('A' - 1) - c) & (c - ('Z' + 1))) >> 8) & (c - 64))
        + ((((('a' - 1) - c) & (c - ('z' + 1))) >> 8) & (c - 70))
        + ((((('0' - 1) - c) & (c - ('9' + 1))) >> 8) & (c + 5))
        + ((((('+' - 1) - c) & (c - ('+' + 1))) >> 8) & 63)
        + ((((('/' - 1) - c) & (c - ('/' + 1))) >> 8) & 64);
  }

  static String toHex(byte[] key) {
    char[] out = new char[HEX_LENGTH];
    for (int i = 0; i < KEY_LENGTH; i++) {
      out[i * 2] = hexDigit((key[i] >> 4) & 0xf);
      out[i * 2 + 1] = hexDigit(key[i] & 0xf);
    }
    return new String(out);
  }

  /** Branch-free 0..15 to '0'..'9', 'a'..'f'. */
  private static char hexDigit(int n) {
    return (char) (87 + n + (((n - 10) >> 8) & ~38));
  }

  /**
   * Decodes a key in lowercase hex.
   *
   * @throws IllegalArgumentException unless {@code text} is 64 characters of {@code [0-9a-f]}
   */
  static byte[] fromHex(String text) {
    if (text.length() != HEX_LENGTH) {
      throw new IllegalArgumentException("a key in hex has 64 characters, not " + text.length());
    }
    requireAscii(text);
    byte[] key = new byte[KEY_LENGTH];
    int bad = 0;
    for (int i = 0; i < KEY_LENGTH; i++) {
      int hi = decodeHexChar(text.charAt(i * 2));
      int lo = decodeHexChar(text.charAt(i * 2 + 1));
      bad |= hi | lo;
      key[i] = (byte) ((hi << 4) | lo);
    }
    if (bad < 0) {
      java.util.Arrays.fill(key, (byte) 0);
      throw new IllegalArgumentException("not 64 lowercase hex digits");
    }
    return key;
  }

  /** Branch-free: 0..15 for a lowercase hex digit, a negative number otherwise. */
  private static int decodeHexChar(char ch) {
    int c = ch;
    int isDigit = ((('0' - 1) - c) & (c - ('9' + 1))) >> 8; // -1 if '0'..'9', else 0
    int isLower = ((('a' - 1) - c) & (c - ('f' + 1))) >> 8; // -1 if 'a'..'f', else 0
    return -1 + (isDigit & (c - '0' + 1)) + (isLower & (c - 'a' + 11));
  }
}
