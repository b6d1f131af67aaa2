package io.wireguardjava.examples.cli;

import io.wireguardjava.PresharedKey;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code wg-java genpsk}: a new preshared key in base64 and a newline, as {@code wg genpsk}. */
@Command(
    name = "genpsk",
    mixinStandardHelpOptions = true,
    description = "Generates a new preshared key and writes it to stdout.")
final class GenPskCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(PresharedKey.generate().toBase64() + "\n");
    out.flush();
    return 0;
  }
}
