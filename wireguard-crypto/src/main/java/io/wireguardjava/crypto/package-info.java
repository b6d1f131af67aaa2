/**
 * WireGuard's cryptography and protocol state machines, without I/O: bytes in, a decision and bytes
 * out. Nothing here owns a socket, a thread or a clock; time and randomness are passed in ({@link
 * io.wireguardjava.crypto.TimeSource}, {@link io.wireguardjava.crypto.RandomSource}), so every
 * timer rule is testable without sleeping.
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>{@link io.wireguardjava.crypto.Protocol}: all constants, named as in the whitepaper.
 *   <li>Primitives: {@link io.wireguardjava.crypto.X25519}, {@link io.wireguardjava.crypto.Blake2s}
 *       (hash, MAC, HMAC, KDF), {@link io.wireguardjava.crypto.ChaCha20Poly1305} (the fastest
 *       backend of the runtime), {@link io.wireguardjava.crypto.XChaCha20Poly1305}, {@link
 *       io.wireguardjava.crypto.Tai64n}.
 *   <li>{@link io.wireguardjava.crypto.Messages}: strict parsing; every rejection is a {@link
 *       io.wireguardjava.crypto.Reason}, never an exception.
 *   <li>{@link io.wireguardjava.crypto.StaticIdentity} (the device's static key), {@link
 *       io.wireguardjava.crypto.Handshake} (one per peer: Noise IKpsk2, timestamps, flood limit,
 *       the peer's cookie), {@link io.wireguardjava.crypto.CookieChecker} (device-wide MAC1/MAC2
 *       check and cookie replies).
 *   <li>{@link io.wireguardjava.crypto.Keypair} (one session: zero-allocation seal/open of
 *       transport data), {@link io.wireguardjava.crypto.Keypairs} (previous/current/next), {@link
 *       io.wireguardjava.crypto.ReplayWindow}.
 * </ul>
 *
 * <h2>How the engine drives it</h2>
 *
 * <pre>{@code
 * TimeSource time = TimeSource.system();
 * RandomSource random = RandomSource.secure();
 * StaticIdentity me = StaticIdentity.of(privateKeyBytes);
 * CookieChecker checker = new CookieChecker(me, time, random);
 * Handshake peer = Handshake.create(me, peerPublicKey, pskOrNull, time, random);
 * Keypairs keypairs = new Keypairs();
 *
 * // Initiate (local index chosen and registered by the engine):
 * int n = peer.createInitiation(localIndex, buf, 0);          // 148 bytes, MAC1 and MAC2 set
 *
 * // Any datagram arriving:
 * switch (Messages.type(pkt, 0, len)) {
 *   case Protocol.TYPE_INITIATION -> {
 *     if (Messages.validate(pkt, 0, len) != Reason.OK) drop();
 *     switch (checker.check(pkt, 0, len, srcAddr, srcPort, underLoad)) {
 *       case INVALID_MAC1 -> drop();
 *       case NEEDS_COOKIE -> send(buf, checker.writeCookieReply(pkt, 0, len, srcAddr, srcPort, buf, 0));
 *       case VALID -> {
 *         Handshake.InitiationResult r = Handshake.consumeInitiation(me, pkt, 0, len, lookup);
 *         if (r.reason() != Reason.OK) drop(r.reason());
 *         Keypair kp = r.peer().createResponse(newLocalIndex, buf, 0);   // 92 bytes to send
 *         keypairs(r.peer()).install(kp);                              // responder: becomes "next"
 *       }
 *     }
 *   }
 *   case Protocol.TYPE_RESPONSE -> {   // after the same checker.check(...)
 *     Handshake h = handshakeByLocalIndex(Messages.receiverIndex(pkt, 0));
 *     Handshake.ResponseResult r = h.consumeResponse(pkt, 0, len);
 *     if (r.reason() == Reason.OK) keypairs.install(r.keypair());      // initiator: "current"
 *   }
 *   case Protocol.TYPE_COOKIE_REPLY ->
 *     handshakeByLocalIndex(Messages.receiverIndex(pkt, 0)).consumeCookieReply(pkt, 0, len);
 *   case Protocol.TYPE_TRANSPORT -> {
 *     Keypair kp = keypairByLocalIndex(Messages.receiverIndex(pkt, 0));
 *     int m = kp.open(pkt, 0, len, plain, 0);     // >= 0: plaintext length; < 0: Reason.fromCode(m)
 *     if (m >= 0) keypairs.receivedWith(kp);      // confirms a responder's "next" keypair
 *   }
 * }
 *
 * // Send: plaintext in, a whole transport message out, no allocation by this package.
 * Keypair kp = keypairs.current();
 * int m = kp.seal(plain, 0, plainLen, out, 0);    // >= 0: message length; < 0: Reason.fromCode(m)
 * }</pre>
 *
 * <h2>Security notes</h2>
 *
 * Tags, MACs and keys are compared in constant time. Temporary secrets are wiped in {@code finally}
 * blocks; long-lived ones by {@code destroy()}/{@code clear()}. No {@code toString()} shows secret
 * bytes.
 */
@NullMarked
package io.wireguardjava.crypto;

import org.jspecify.annotations.NullMarked;
