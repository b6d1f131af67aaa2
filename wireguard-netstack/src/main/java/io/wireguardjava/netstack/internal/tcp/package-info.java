/**
 * The TCP layer of the userspace stack (RFC 9293 with RFC 7323 window scaling, RFC 6298
 * retransmission timers, RFC 5681/6582 NewReno, RFC 2018/6675 SACK, RFC 6528 initial sequence
 * numbers, RFC 5961 challenge ACKs).
 *
 * <p>Threading: {@link io.wireguardjava.netstack.internal.tcp.TcpLayer} is sans-I/O and driven by
 * one stack thread ({@code onSegment}, {@code poll}, {@code nextDeadlineNanos}); time comes in as
 * {@code nowNanos}, randomness from an injected generator. Application threads use
 * {@link io.wireguardjava.netstack.internal.tcp.TcpSocket} and
 * {@link io.wireguardjava.netstack.internal.tcp.TcpListener}, which block on per-connection
 * {@link java.util.concurrent.locks.Condition}s (no {@code synchronized} waits, so virtual threads
 * do not pin). Each connection's state is guarded by its own lock, taken by the stack thread while
 * it processes that connection.
 */
@NullMarked
package io.wireguardjava.netstack.internal.tcp;

import org.jspecify.annotations.NullMarked;
