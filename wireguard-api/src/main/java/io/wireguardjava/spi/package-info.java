/** Service-provider interfaces that the engine and the OS modules implement. */
@NullMarked
package io.wireguardjava.spi;

import org.jspecify.annotations.NullMarked;
