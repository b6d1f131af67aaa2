package io.wireguardjava.examples.cli;

import io.wireguardjava.Config;
import io.wireguardjava.ConfigException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads a wg-quick file named on the command line the way {@code strip} does: a path, or a bare
 * interface name for {@code /etc/wireguard/NAME.conf}; every failure is one line.
 */
final class ConfigFiles {
  /** wg-quick's rule: an interface name stands for /etc/wireguard/NAME.conf. */
  private static final Pattern INTERFACE_NAME = Pattern.compile("[a-zA-Z0-9_=+.-]{1,15}");

  /** A config that could not be read or parsed: {@link #getMessage()} is the line to print. */
  static final class BadConfig extends Exception {
    private static final long serialVersionUID = 1L;

    BadConfig(String line) {
      super(line);
    }
  }

  private ConfigFiles() {}

  /** The file {@code target} stands for. */
  static Path pathOf(String target) {
    Path path = Path.of(target);
    if (!Files.exists(path) && INTERFACE_NAME.matcher(target).matches()) {
      return Path.of("/etc/wireguard", target + ".conf");
    }
    return path;
  }

  /**
   * Reads and parses.
   *
   * @throws BadConfig with the one-line message {@code strip} prints
   */
  static Config read(String target) throws BadConfig {
    Path path = pathOf(target);
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw new BadConfig("wg-java: `" + path + "' does not exist");
    } catch (CharacterCodingException e) {
      throw new BadConfig("wg-java: " + path + " is not UTF-8 text");
    } catch (IOException e) {
      throw new BadConfig("wg-java: cannot read " + path + ": " + e.getMessage());
    }
    try {
      return Config.parse(text);
    } catch (ConfigException e) {
      throw new BadConfig(String.valueOf(e.getMessage()));
    }
  }
}
