/** Internal native bindings of wireguard-tun-linux; not API, may change without notice. */
@NullMarked
package io.wireguardjava.tun.linux.internal;

import org.jspecify.annotations.NullMarked;
