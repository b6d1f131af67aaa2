/** Embedding a tunnel in an application: a Config built in code, packets in and out. */
@NullMarked
package io.wireguardjava.examples.embed;

import org.jspecify.annotations.NullMarked;
