package io.wireguardjava.examples.cli;

/**
 * A subcommand whose bad arguments get one line naming the argument and exit status {@link
 * #BAD_ARGUMENT}, instead of picocli's message and usage (the long-running commands, whose output
 * scripts read).
 */
interface OneLineUsageErrors {
  /** The exit status of a bad argument, as most Unix tools use. */
  int BAD_ARGUMENT = 2;
}
