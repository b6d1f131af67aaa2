package io.wireguardjava.examples.cli;

import io.wireguardjava.PrivateKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code wg-java pubkey}: reads a private key from stdin and writes its public key, exactly as
 * {@code wg pubkey} does: the first 44 bytes are the key (no leading whitespace), after which only
 * whitespace and NUL bytes may follow; the errors are wg's.
 */
@Command(
    name = "pubkey",
    mixinStandardHelpOptions = true,
    description = "Reads a private key from stdin and writes its public key to stdout.")
final class PubKeyCommand implements Callable<Integer> {
  static final String BAD_KEY = "Key is not the correct length or format";
  static final String TRAILING = "Trailing characters found after key";
  private static final int BASE64_LENGTH = 44;

  @Spec private CommandSpec spec;

  @ParentCommand private WgJava parent;

  @Override
  public Integer call() throws IOException {
    InputStream in = parent.stdin();
    byte[] base64 = in.readNBytes(BASE64_LENGTH);
    try {
      if (base64.length != BASE64_LENGTH) {
        return fail(BAD_KEY);
      }
      for (int c = in.read(); c != -1; c = in.read()) {
        if (c != 0 && " \t\n\u000b\f\r".indexOf(c) < 0) {
          return fail(TRAILING);
        }
      }
      PrivateKey key;
      try {
        key = PrivateKey.fromBase64(new String(base64, StandardCharsets.ISO_8859_1));
      } catch (IllegalArgumentException e) {
        return fail(BAD_KEY);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(key.publicKey().toBase64() + "\n");
      out.flush();
      return 0;
    } finally {
      Arrays.fill(base64, (byte) 0);
    }
  }

  private int fail(String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.print("wg-java: " + message + "\n");
    err.flush();
    return WgJava.FAILURE;
  }
}
