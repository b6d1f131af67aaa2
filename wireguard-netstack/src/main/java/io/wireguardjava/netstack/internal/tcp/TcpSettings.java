package io.wireguardjava.netstack.internal.tcp;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The TCP layer's settings, immutable, built with {@link #builder()}; every default is sane for a
 * WireGuard tunnel (MTU 1420: MSS 1380 over IPv4, 1360 over IPv6).
 */
public final class TcpSettings {
  /** The congestion-control algorithms on offer. */
  public enum CongestionAlgorithm {
    /** NewReno (RFC 5681, RFC 6582): the default. */
    NEW_RENO,
    /** CUBIC (RFC 9438), for paths with a large bandwidth-delay product. */
    CUBIC,
    /**
     * BBR v1 (draft-cardwell-iccrg-bbr-congestion-control-00): model-based and paced, holds its
     * rate under random loss where loss-based algorithms fall to the Mathis ceiling. Not the
     * default: at 5 % random loss with jitter (LinkedStacksTest's link) it moves 100 MiB in minutes
     * where NewReno takes seconds.
     */
    BBR;

    /** The system property that picks the algorithm of every {@code TunnelNetwork}. */
    public static final String PROPERTY = "io.wireguardjava.netstack.tcp.congestionControl";

    /**
     * The algorithm named by {@link #PROPERTY} ({@code newreno}, {@code cubic} or {@code bbr}, any
     * case), or NewReno when it is not set.
     *
     * @param value the property's value, or null when unset
     * @return the algorithm
     * @throws IllegalArgumentException naming the property and the names on offer
     */
    public static CongestionAlgorithm fromProperty(@Nullable String value) {
      if (value == null || value.isBlank()) {
        return NEW_RENO;
      }
      switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "newreno":
          return NEW_RENO;
        case "cubic":
          return CUBIC;
        case "bbr":
          return BBR;
        default:
          throw new IllegalArgumentException(
              PROPERTY + " = " + value + ": not newreno, cubic or bbr");
      }
    }

    CongestionControl create(int mss, long seed) {
      return switch (this) {
        case CUBIC -> new Cubic(mss);
        case BBR -> new Bbr(mss, seed);
        case NEW_RENO -> new NewReno(mss);
      };
    }
  }

  private final int mtu;
  private final int initialReceiveBuffer;
  private final int maxReceiveBuffer;
  private final int initialSendBuffer;
  private final int maxSendBuffer;
  private final long maxTotalBufferBytes;
  private final int maxConnections;
  private final int synBacklog;
  private final int maxOutOfOrderRanges;
  private final Duration delayedAck;
  private final Duration initialRto;
  private final Duration minRto;
  private final Duration maxRto;
  private final int maxRetransmissions;
  private final int maxSynRetransmissions;
  private final Duration msl;
  private final Duration finWait2Timeout;
  private final Duration keepaliveIdle;
  private final Duration keepaliveInterval;
  private final int keepaliveProbes;
  private final int challengeAcksPerSecond;
  private final boolean sack;
  private final boolean windowScaling;
  private final int ephemeralPortLow;
  private final int ephemeralPortHigh;
  private final CongestionAlgorithm congestionControl;

  private TcpSettings(Builder b) {
    mtu = b.mtu;
    initialReceiveBuffer = b.initialReceiveBuffer;
    maxReceiveBuffer = b.maxReceiveBuffer;
    initialSendBuffer = b.initialSendBuffer;
    maxSendBuffer = b.maxSendBuffer;
    maxTotalBufferBytes = b.maxTotalBufferBytes;
    maxConnections = b.maxConnections;
    synBacklog = b.synBacklog;
    maxOutOfOrderRanges = b.maxOutOfOrderRanges;
    delayedAck = b.delayedAck;
    initialRto = b.initialRto;
    minRto = b.minRto;
    maxRto = b.maxRto;
    maxRetransmissions = b.maxRetransmissions;
    maxSynRetransmissions = b.maxSynRetransmissions;
    msl = b.msl;
    finWait2Timeout = b.finWait2Timeout;
    keepaliveIdle = b.keepaliveIdle;
    keepaliveInterval = b.keepaliveInterval;
    keepaliveProbes = b.keepaliveProbes;
    challengeAcksPerSecond = b.challengeAcksPerSecond;
    sack = b.sack;
    windowScaling = b.windowScaling;
    ephemeralPortLow = b.ephemeralPortLow;
    ephemeralPortHigh = b.ephemeralPortHigh;
    congestionControl = b.congestionControl;
  }

  /**
   * The congestion-control algorithm of new connections.
   *
   * @return the algorithm
   */
  public CongestionAlgorithm congestionControl() {
    return congestionControl;
  }

  /**
   * A builder holding the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The defaults.
   *
   * @return settings with every default
   */
  public static TcpSettings defaults() {
    return new Builder().build();
  }

  /**
   * The MTU of the interface the segments leave through.
   *
   * @return the MTU in bytes
   */
  public int mtu() {
    return mtu;
  }

  /**
   * Our MSS for one address family: the MTU minus IP and TCP headers.
   *
   * @param ipv6 true for IPv6
   * @return mtu - 40 (IPv4) or mtu - 60 (IPv6)
   */
  public int mss(boolean ipv6) {
    return mtu - (ipv6 ? 60 : 40);
  }

  /**
   * The receive buffer a connection starts with.
   *
   * @return bytes
   */
  public int initialReceiveBuffer() {
    return initialReceiveBuffer;
  }

  /**
   * The size receive buffers may grow to by auto-tuning.
   *
   * @return bytes
   */
  public int maxReceiveBuffer() {
    return maxReceiveBuffer;
  }

  /**
   * The send buffer a connection starts with.
   *
   * @return bytes
   */
  public int initialSendBuffer() {
    return initialSendBuffer;
  }

  /**
   * The largest send buffer (the default SO_SNDBUF): writes block beyond it.
   *
   * @return bytes
   */
  public int maxSendBuffer() {
    return maxSendBuffer;
  }

  /**
   * The bound on all connections' buffer bytes together.
   *
   * @return bytes
   */
  public long maxTotalBufferBytes() {
    return maxTotalBufferBytes;
  }

  /**
   * The bound on connections in any state, TIME-WAIT and half-open ones included.
   *
   * @return a count
   */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * The bound on half-open (SYN-RECEIVED) connections per listener; further SYNs are dropped.
   *
   * @return a count
   */
  public int synBacklog() {
    return synBacklog;
  }

  /**
   * The bound on out-of-order ranges a receiver tracks per connection.
   *
   * @return a count
   */
  public int maxOutOfOrderRanges() {
    return maxOutOfOrderRanges;
  }

  /**
   * The longest an ACK is delayed.
   *
   * @return the delay
   */
  public Duration delayedAck() {
    return delayedAck;
  }

  /**
   * The retransmission timeout before any RTT sample (RFC 6298: 1 s).
   *
   * @return the timeout
   */
  public Duration initialRto() {
    return initialRto;
  }

  /**
   * The floor of the retransmission timeout.
   *
   * @return the floor
   */
  public Duration minRto() {
    return minRto;
  }

  /**
   * The ceiling of the retransmission timeout.
   *
   * @return the ceiling
   */
  public Duration maxRto() {
    return maxRto;
  }

  /**
   * Retransmissions of one segment before the connection is given up.
   *
   * @return a count
   */
  public int maxRetransmissions() {
    return maxRetransmissions;
  }

  /**
   * Retransmissions of a SYN before connect fails.
   *
   * @return a count
   */
  public int maxSynRetransmissions() {
    return maxSynRetransmissions;
  }

  /**
   * The maximum segment lifetime; TIME-WAIT lasts twice this.
   *
   * @return the lifetime
   */
  public Duration msl() {
    return msl;
  }

  /**
   * How long a closed socket waits in FIN-WAIT-2 for the peer's FIN.
   *
   * @return the timeout
   */
  public Duration finWait2Timeout() {
    return finWait2Timeout;
  }

  /**
   * Idle time before the first keepalive probe.
   *
   * @return the idle time
   */
  public Duration keepaliveIdle() {
    return keepaliveIdle;
  }

  /**
   * Time between unanswered keepalive probes.
   *
   * @return the interval
   */
  public Duration keepaliveInterval() {
    return keepaliveInterval;
  }

  /**
   * Unanswered keepalive probes before the connection is reset.
   *
   * @return a count
   */
  public int keepaliveProbes() {
    return keepaliveProbes;
  }

  /**
   * The bound on RFC 5961 challenge ACKs per second, for the whole layer.
   *
   * @return a count
   */
  public int challengeAcksPerSecond() {
    return challengeAcksPerSecond;
  }

  /**
   * Whether SACK (RFC 2018) is offered and used.
   *
   * @return true if on
   */
  public boolean sack() {
    return sack;
  }

  /**
   * Whether window scaling (RFC 7323) is offered.
   *
   * @return true if on
   */
  public boolean windowScaling() {
    return windowScaling;
  }

  /**
   * The lowest ephemeral port.
   *
   * @return a port
   */
  public int ephemeralPortLow() {
    return ephemeralPortLow;
  }

  /**
   * The highest ephemeral port.
   *
   * @return a port
   */
  public int ephemeralPortHigh() {
    return ephemeralPortHigh;
  }

  /** Builds {@link TcpSettings}; every setter checks its argument. */
  public static final class Builder {
    private int mtu = 1420;
    private int initialReceiveBuffer = 64 * 1024;
    private int maxReceiveBuffer = 4 * 1024 * 1024;
    private int initialSendBuffer = 64 * 1024;
    private int maxSendBuffer = 4 * 1024 * 1024;
    private long maxTotalBufferBytes = 512L * 1024 * 1024;
    private int maxConnections = 16384;
    private int synBacklog = 256;
    // A flight of N segments at loss rate p leaves about N * p holes, each one more range at the
    // receiver and on the sender's scoreboard. With 32, BBR's flight of about 800 segments at 5 %
    // loss (LinkedStacksTest) needed more: the receiver dropped segments that arrived (2,000 to
    // 3,500 of them in 30 MiB), and the transfer fell into timeouts (207 s against 3.6 s).
    // 256 covers a 4 MiB window at 10 % loss; the arrays grow only when a connection needs them.
    private int maxOutOfOrderRanges = 256;
    private Duration delayedAck = Duration.ofMillis(40);
    private Duration initialRto = Duration.ofSeconds(1);
    private Duration minRto = Duration.ofMillis(200);
    private Duration maxRto = Duration.ofSeconds(120);
    private int maxRetransmissions = 15;
    private int maxSynRetransmissions = 6;
    private Duration msl = Duration.ofSeconds(30);
    private Duration finWait2Timeout = Duration.ofSeconds(60);
    private Duration keepaliveIdle = Duration.ofHours(2);
    private Duration keepaliveInterval = Duration.ofSeconds(75);
    private int keepaliveProbes = 9;
    private int challengeAcksPerSecond = 1000;
    private boolean sack = true;
    private boolean windowScaling = true;
    private int ephemeralPortLow = 49152;
    private int ephemeralPortHigh = 65535;
    private CongestionAlgorithm congestionControl = CongestionAlgorithm.NEW_RENO;

    private Builder() {}

    /**
     * Chooses the congestion-control algorithm.
     *
     * @param v the algorithm
     * @return this builder
     */
    public Builder congestionControl(CongestionAlgorithm v) {
      congestionControl = Objects.requireNonNull(v, "congestionControl");
      return this;
    }

    /**
     * Sets the interface MTU.
     *
     * @param v bytes, 576..65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder mtu(int v) {
      mtu = check("mtu", v, 576, 65535);
      return this;
    }

    /**
     * Sets the initial receive buffer.
     *
     * @param v bytes, 1 KiB..64 MiB
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder initialReceiveBuffer(int v) {
      initialReceiveBuffer = check("initialReceiveBuffer", v, 1024, 64 << 20);
      return this;
    }

    /**
     * Sets the receive buffer ceiling of auto-tuning.
     *
     * @param v bytes, 1 KiB..64 MiB
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxReceiveBuffer(int v) {
      maxReceiveBuffer = check("maxReceiveBuffer", v, 1024, 64 << 20);
      return this;
    }

    /**
     * Sets the initial send buffer.
     *
     * @param v bytes, 1 KiB..64 MiB
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder initialSendBuffer(int v) {
      initialSendBuffer = check("initialSendBuffer", v, 1024, 64 << 20);
      return this;
    }

    /**
     * Sets the default and largest send buffer.
     *
     * @param v bytes, 1 KiB..64 MiB
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxSendBuffer(int v) {
      maxSendBuffer = check("maxSendBuffer", v, 1024, 64 << 20);
      return this;
    }

    /**
     * Sets the bound on all buffers together.
     *
     * @param v bytes, at least 64 KiB
     * @return this builder
     * @throws IllegalArgumentException if smaller
     */
    public Builder maxTotalBufferBytes(long v) {
      if (v < 64 * 1024) {
        throw new IllegalArgumentException("maxTotalBufferBytes must be >= 65536: " + v);
      }
      maxTotalBufferBytes = v;
      return this;
    }

    /**
     * Sets the bound on connections.
     *
     * @param v 1..1,000,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxConnections(int v) {
      maxConnections = check("maxConnections", v, 1, 1_000_000);
      return this;
    }

    /**
     * Sets the bound on half-open connections per listener.
     *
     * @param v 1..65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder synBacklog(int v) {
      synBacklog = check("synBacklog", v, 1, 65535);
      return this;
    }

    /**
     * Sets the bound on out-of-order ranges per connection.
     *
     * @param v 1..1024
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxOutOfOrderRanges(int v) {
      maxOutOfOrderRanges = check("maxOutOfOrderRanges", v, 1, 1024);
      return this;
    }

    /**
     * Sets the delayed-ACK timeout.
     *
     * @param v 0..500 ms (RFC 9293 §3.8.6.3)
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder delayedAck(Duration v) {
      delayedAck = check("delayedAck", v, Duration.ZERO, Duration.ofMillis(500));
      return this;
    }

    /**
     * Sets the RTO before any RTT sample.
     *
     * @param v 1 ms..60 s
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder initialRto(Duration v) {
      initialRto = check("initialRto", v, Duration.ofMillis(1), Duration.ofSeconds(60));
      return this;
    }

    /**
     * Sets the RTO floor.
     *
     * @param v 1 ms..60 s
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder minRto(Duration v) {
      minRto = check("minRto", v, Duration.ofMillis(1), Duration.ofSeconds(60));
      return this;
    }

    /**
     * Sets the RTO ceiling.
     *
     * @param v 1 s..1 h
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxRto(Duration v) {
      maxRto = check("maxRto", v, Duration.ofSeconds(1), Duration.ofHours(1));
      return this;
    }

    /**
     * Sets the retransmissions before a connection is given up.
     *
     * @param v 1..100
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxRetransmissions(int v) {
      maxRetransmissions = check("maxRetransmissions", v, 1, 100);
      return this;
    }

    /**
     * Sets the SYN retransmissions before connect fails.
     *
     * @param v 0..100
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxSynRetransmissions(int v) {
      maxSynRetransmissions = check("maxSynRetransmissions", v, 0, 100);
      return this;
    }

    /**
     * Sets the maximum segment lifetime (TIME-WAIT is twice this).
     *
     * @param v 0..5 min
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder msl(Duration v) {
      msl = check("msl", v, Duration.ZERO, Duration.ofMinutes(5));
      return this;
    }

    /**
     * Sets the FIN-WAIT-2 timeout of closed sockets.
     *
     * @param v 1 s..1 h
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder finWait2Timeout(Duration v) {
      finWait2Timeout = check("finWait2Timeout", v, Duration.ofSeconds(1), Duration.ofHours(1));
      return this;
    }

    /**
     * Sets the keepalive idle time, probe interval and probe count.
     *
     * @param idle 1 s..1 day
     * @param interval 1 s..1 h
     * @param probes 1..100
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder keepalive(Duration idle, Duration interval, int probes) {
      keepaliveIdle = check("keepaliveIdle", idle, Duration.ofSeconds(1), Duration.ofDays(1));
      keepaliveInterval =
          check("keepaliveInterval", interval, Duration.ofSeconds(1), Duration.ofHours(1));
      keepaliveProbes = check("keepaliveProbes", probes, 1, 100);
      return this;
    }

    /**
     * Sets the layer-wide challenge-ACK rate bound.
     *
     * @param v 1..1,000,000 per second
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder challengeAcksPerSecond(int v) {
      challengeAcksPerSecond = check("challengeAcksPerSecond", v, 1, 1_000_000);
      return this;
    }

    /**
     * Turns SACK on or off.
     *
     * @param v true to offer and use SACK
     * @return this builder
     */
    public Builder sack(boolean v) {
      sack = v;
      return this;
    }

    /**
     * Turns window scaling on or off.
     *
     * @param v true to offer window scaling
     * @return this builder
     */
    public Builder windowScaling(boolean v) {
      windowScaling = v;
      return this;
    }

    /**
     * Sets the ephemeral port range.
     *
     * @param low 1..65535
     * @param high low..65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder ephemeralPorts(int low, int high) {
      ephemeralPortLow = check("ephemeralPortLow", low, 1, 65535);
      ephemeralPortHigh = check("ephemeralPortHigh", high, low, 65535);
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return immutable settings
     * @throws IllegalArgumentException if initial buffers exceed their maximums
     */
    public TcpSettings build() {
      if (initialReceiveBuffer > maxReceiveBuffer) {
        throw new IllegalArgumentException(
            "initialReceiveBuffer "
                + initialReceiveBuffer
                + " > maxReceiveBuffer "
                + maxReceiveBuffer);
      }
      if (initialSendBuffer > maxSendBuffer) {
        throw new IllegalArgumentException(
            "initialSendBuffer " + initialSendBuffer + " > maxSendBuffer " + maxSendBuffer);
      }
      if (minRto.compareTo(maxRto) > 0) {
        throw new IllegalArgumentException("minRto " + minRto + " > maxRto " + maxRto);
      }
      return new TcpSettings(this);
    }

    private static int check(String name, int v, int low, int high) {
      if (v < low || v > high) {
        throw new IllegalArgumentException(name + " must be in " + low + ".." + high + ": " + v);
      }
      return v;
    }

    private static Duration check(String name, Duration v, Duration low, Duration high) {
      Objects.requireNonNull(v, name);
      if (v.compareTo(low) < 0 || v.compareTo(high) > 0) {
        throw new IllegalArgumentException(name + " must be in " + low + ".." + high + ": " + v);
      }
      return v;
    }
  }
}
