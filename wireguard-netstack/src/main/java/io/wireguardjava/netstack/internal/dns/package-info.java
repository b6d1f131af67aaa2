/**
 * The DNS stub resolver of the tunnel network: message encoding and strict parsing ({@link
 * io.wireguardjava.netstack.internal.dns.DnsMessage}), the resolver with search domains, UDP with
 * TCP fallback and a TTL-honouring cache ({@link
 * io.wireguardjava.netstack.internal.dns.DnsResolver}). It only ever asks the configured servers,
 * through the tunnel. Internal: no compatibility promise.
 */
@NullMarked
package io.wireguardjava.netstack.internal.dns;

import org.jspecify.annotations.NullMarked;
