/** The no-root demo: two tunnels in one process, a handshake and pings both ways. */
@NullMarked
package io.wireguardjava.examples.demo;

import org.jspecify.annotations.NullMarked;
