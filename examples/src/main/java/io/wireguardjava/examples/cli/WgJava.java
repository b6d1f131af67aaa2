package io.wireguardjava.examples.cli;

import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code wg-java}: the command line of wireguard-java, mirroring wg(8) and wg-quick(8).
 *
 * <p>Each subcommand is one class in this package; register a new one by adding its class to {@code
 * subcommands} below. Subcommands write through {@code spec.commandLine().getOut()} and {@code
 * getErr()} and read standard input through {@link #stdin()}, so tests can run them in process with
 * {@link #commandLine(InputStream)}.
 */
@Command(
    name = "wg-java",
    mixinStandardHelpOptions = true,
    versionProvider = WgJava.Version.class,
    description = "A pure-Java WireGuard: keys, configurations and tunnels.",
    subcommands = {
      GenKeyCommand.class,
      PubKeyCommand.class,
      GenPskCommand.class,
      StripCommand.class,
      UpCommand.class,
      ShowCommand.class,
      DownCommand.class,
      DemoCommand.class,
      ProxyCommand.class,
      ForwardCommand.class,
    })
public final class WgJava implements Callable<Integer> {
  /** The exit status of a failed command, as {@code wg} uses. */
  public static final int FAILURE = 1;

  private final InputStream stdin;

  @Spec private CommandSpec spec;

  /** The command reading {@link System#in}. */
  public WgJava() {
    this(System.in);
  }

  /** The command reading {@code stdin} as its standard input. */
  public WgJava(InputStream stdin) {
    this.stdin = Objects.requireNonNull(stdin, "stdin");
  }

  /** The standard input for subcommands that read it. */
  public InputStream stdin() {
    return stdin;
  }

  /** Without a subcommand: print the usage to stderr and fail, as {@code wg foo} does. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return FAILURE;
  }

  /**
   * The command line, configured as {@code main} runs it: invalid arguments exit with 1. Tests set
   * their own streams with {@link CommandLine#setOut} and {@link CommandLine#setErr}.
   */
  public static CommandLine commandLine(InputStream stdin) {
    CommandLine cl = new CommandLine(new WgJava(stdin));
    useFailureExitCodes(cl);
    CommandLine.IParameterExceptionHandler usual = cl.getParameterExceptionHandler();
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine where = ex.getCommandLine();
          if (!(where.getCommand() instanceof OneLineUsageErrors)) {
            return usual.handleParseException(ex, args);
          }
          // one line naming the argument, for the commands whose output scripts read
          where.getErr().println("wg-java " + where.getCommandName() + ": " + ex.getMessage());
          where.getErr().flush();
          return OneLineUsageErrors.BAD_ARGUMENT;
        });
    return cl;
  }

  private static void useFailureExitCodes(CommandLine cl) {
    cl.getCommandSpec().exitCodeOnInvalidInput(FAILURE).exitCodeOnExecutionException(FAILURE);
    cl.getSubcommands().values().forEach(WgJava::useFailureExitCodes);
  }

  /** Entry point of {@code java -jar wg-java.jar}. */
  public static void main(String[] args) {
    System.exit(commandLine(System.in).execute(args));
  }

  /** The version from the jar's manifest, when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = WgJava.class.getPackage().getImplementationVersion();
      return new String[] {"wg-java " + (v == null ? "(development build)" : v)};
    }
  }
}
