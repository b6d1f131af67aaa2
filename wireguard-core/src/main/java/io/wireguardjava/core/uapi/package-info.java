/**
 * The cross-platform userspace configuration protocol (UAPI) of WireGuard: the {@code get=1} /
 * {@code set=1} text protocol that {@code wg}, {@code wg-quick} and other tools speak to
 * wireguard-go over {@code /var/run/wireguard/<name>.sock}.
 *
 * <p>{@link io.wireguardjava.core.uapi.UapiServer} serves one tunnel, through the small {@link
 * io.wireguardjava.core.uapi.UapiBackend} interface; {@link io.wireguardjava.core.uapi.SetRequest}
 * is a parsed, validated {@code set} that applies all or nothing; {@link
 * io.wireguardjava.core.uapi.UapiClient} is the other side of the socket.
 */
@NullMarked
package io.wireguardjava.core.uapi;

import org.jspecify.annotations.NullMarked;
