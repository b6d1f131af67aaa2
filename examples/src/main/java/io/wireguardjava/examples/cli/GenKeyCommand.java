package io.wireguardjava.examples.cli;

import io.wireguardjava.PrivateKey;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code wg-java genkey}: a new private key in base64 and a newline, as {@code wg genkey}. */
@Command(
    name = "genkey",
    mixinStandardHelpOptions = true,
    description = "Generates a new private key and writes it to stdout.")
final class GenKeyCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(PrivateKey.generate().toBase64() + "\n");
    out.flush();
    return 0;
  }
}
