package io.wireguardjava.examples.cli;

import io.wireguardjava.Config;
import io.wireguardjava.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wg-java strip <file>}: checks a wg-quick file and prints it without the wg-quick-only
 * keys, the text {@code wg setconf} accepts (as {@code wg-quick strip} does, in normal form:
 * comments and layout are not kept). On a bad file: the one-line error on stderr, status 1.
 */
@Command(
    name = "strip",
    mixinStandardHelpOptions = true,
    description = "Prints a wg-quick configuration without its wg-quick-only keys.")
final class StripCommand implements Callable<Integer> {
  /** wg-quick's rule: an interface name stands for /etc/wireguard/NAME.conf. */
  private static final Pattern INTERFACE_NAME = Pattern.compile("[a-zA-Z0-9_=+.-]{1,15}");

  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "<file>",
      description =
          "A wg-quick configuration file, or an interface name for "
              + "/etc/wireguard/<name>.conf.")
  private String file = "";

  @Override
  public Integer call() {
    Path path = Path.of(file);
    if (!Files.exists(path) && INTERFACE_NAME.matcher(file).matches()) {
      path = Path.of("/etc/wireguard", file + ".conf");
    }
    PrintWriter err = spec.commandLine().getErr();
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      err.print("wg-java: `" + path + "' does not exist\n");
      err.flush();
      return WgJava.FAILURE;
    } catch (CharacterCodingException e) {
      err.print("wg-java: " + path + " is not UTF-8 text\n");
      err.flush();
      return WgJava.FAILURE;
    } catch (IOException e) {
      err.print("wg-java: cannot read " + path + ": " + e.getMessage() + "\n");
      err.flush();
      return WgJava.FAILURE;
    }
    Config config;
    try {
      config = Config.parse(text);
    } catch (ConfigException e) {
      err.print(e.getMessage() + "\n");
      err.flush();
      return WgJava.FAILURE;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(config.toSetconfString());
    out.flush();
    return 0;
  }
}
