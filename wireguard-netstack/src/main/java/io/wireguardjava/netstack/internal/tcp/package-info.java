/**
 * The TCP layer of the userspace stack (RFC 9293 with RFC 7323 window scaling, RFC 6298
 * retransmission timers, RFC 5681/6582 NewReno, RFC 2018/6675 SACK, RFC 6528 initial sequence
 * numbers, RFC 5961 challenge ACKs).
 *
 * <p>Threading: {@link io.wireguardjava.netstack.internal.tcp.TcpLayer} is sans-I/O and driven by
 * one stack thread ({@code onSegment}, {@code poll}, {@code nextDeadlineNanos}); time comes in as
 * {@code nowNanos}, randomness from an injected generator. Application threads use {@link
 * io.wireguardjava.netstack.internal.tcp.TcpSocket} and {@link
 * io.wireguardjava.netstack.internal.tcp.TcpListener}, which block on per-connection {@link
 * java.util.concurrent.locks.Condition}s (no {@code synchronized} waits, so virtual threads do not
 * pin). Each connection's state is guarded by its own lock, taken by the stack thread while it
 * processes that connection.
 *
 * <p>Where things are:
 *
 * <ul>
 *   <li>{@code TcpLayer}: demultiplexing ({@code ConnectionTable}, by packet bytes), listeners,
 *       ports, RST for closed ports, the pending-work stack and the {@code TimerHeap};
 *   <li>{@code SegmentProcessor}: RFC 9293 "segment arrives" with the RFC 5961 checks, ACK,
 *       duplicate-ACK and SACK processing, data and FIN, delayed ACKs; {@code ReceiveBufferTuning}:
 *       receive-buffer tuning on the receiver's own RTT estimate;
 *   <li>{@code Transmitter}: what to send (window, Nagle, SWS, limited transmit, RFC 6675 recovery,
 *       go-back-N after a timeout) and segment building; {@code Pacing}: pacing quanta;
 *   <li>{@code ConnectionTimers}: retransmission, delayed ACK, persist, keepalive, TIME-WAIT;
 *   <li>values and helpers: {@code TcpHeader}, {@code TcpOptions}, {@code Seq}, {@code ByteRing},
 *       {@code Assembler}, {@code SackScoreboard}, {@code RttEstimator}, {@code CongestionControl}
 *       ({@code NewReno} by default; {@code Bbr}, with {@code DeliveryRate} and {@code
 *       AckAggregation}; {@code Cubic}), {@code IsnGenerator} ({@code SipHash}), {@code
 *       MemoryBudget}, {@code TcpCounters};
 *   <li>application side: {@code TcpSocket}, {@code TcpListener}.
 * </ul>
 *
 * Not implemented: timestamps/PAWS (RFC 7323 §3-5), full RACK-TLP (RFC 8985; only a lost
 * retransmission of the first hole is detected), PRR (RFC 6937), SYN cookies (a bounded SYN backlog
 * instead), TCP Fast Open, ECN, urgent data (taken inline).
 */
@NullMarked
package io.wireguardjava.netstack.internal.tcp;

import org.jspecify.annotations.NullMarked;
