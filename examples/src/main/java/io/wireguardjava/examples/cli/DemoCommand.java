package io.wireguardjava.examples.cli;

import io.wireguardjava.examples.demo.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wg-java demo}: two tunnels in this process, a handshake and pings; no root needed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Opens two WireGuard tunnels in this process on 127.0.0.1, completes a "
            + "handshake and pings through them both ways. Needs no root.")
final class DemoCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = {"-c", "--count"},
      defaultValue = "100",
      description = "Pings in each direction (default: ${DEFAULT-VALUE}).")
  private int count;

  @Override
  public Integer call() throws Exception {
    if (count < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--count must be >= 1");
    }
    return new Demo(spec.commandLine().getOut(), count).run();
  }
}
