/** The {@code wg-java} command line: one class per subcommand, registered in {@link WgJava}. */
@NullMarked
package io.wireguardjava.examples.cli;

import org.jspecify.annotations.NullMarked;
