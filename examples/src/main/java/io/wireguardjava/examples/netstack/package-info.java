/** Using the tunnel network (wireguard-netstack) from an unprivileged program: HTTP and HTTPS. */
package io.wireguardjava.examples.netstack;
