/**
 * The public API of wireguard-java: keys, configurations (wg-quick and {@code wg setconf} formats)
 * and, in the {@code Tunnel*} types, the tunnel itself.
 *
 * <p>Every value type here is immutable, built by a builder or a static factory, and never returns
 * {@code null}: an absent optional setting is an empty {@link java.util.Optional}.
 */
@NullMarked
package io.wireguardjava;

import org.jspecify.annotations.NullMarked;
