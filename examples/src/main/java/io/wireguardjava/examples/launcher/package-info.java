/**
 * {@code wireguard-java}: a launcher with wireguard-go's command line, so that {@code wg-quick} can
 * use wireguard-java as its userspace implementation.
 */
@NullMarked
package io.wireguardjava.examples.launcher;

import org.jspecify.annotations.NullMarked;
