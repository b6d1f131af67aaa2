/** A bounce server: a public relay between two NATed peers, without root. */
@NullMarked
package io.wireguardjava.examples.bounce;

import org.jspecify.annotations.NullMarked;
