/**
 * The cross-platform userspace configuration protocol (UAPI) of WireGuard: the {@code get=1} /
 * {@code set=1} text protocol that {@code wg}, {@code wg-quick} and other tools speak to
 * wireguard-go over {@code /var/run/wireguard/<name>.sock}, over the api's types only.
 *
 * <p>{@link io.wireguardjava.uapi.UapiServer} serves one {@link io.wireguardjava.Tunnel}; a {@code
 * set} is parsed whole and applies all or nothing. {@link io.wireguardjava.uapi.UapiClient} is the
 * other side of the socket ({@code wg-java show}), and gives a device as a {@link
 * io.wireguardjava.uapi.UapiDevice}.
 */
@NullMarked
package io.wireguardjava.uapi;

import org.jspecify.annotations.NullMarked;
