package io.wireguardjava.netstack.internal.tcp;

/**
 * BBR v1 congestion control (draft-cardwell-iccrg-bbr-congestion-control-00, Linux tcp_bbr.c): a
 * model of the path, the bottleneck bandwidth (windowed max of delivery-rate samples over 10 round
 * trips) and the round-trip propagation time (windowed min of RTT samples over 10 s), sets the
 * pacing rate to pacing_gain * BtlBw and cwnd to cwnd_gain * BDP. Random loss does not shrink the
 * model, which is why a BBR sender keeps a lossy path full where a loss-based one falls to Mathis'
 * ceiling. States: STARTUP (gain 2/ln 2) until the bandwidth stops growing by 25 % for 3 rounds,
 * DRAIN (the inverse gain) until inflight is down to one BDP, PROBE_BW (gain cycle 5/4, 3/4, 1 x 6,
 * one phase per RTprop), PROBE_RTT (cwnd 4 segments for 200 ms and one round when RTprop was not
 * refreshed for 10 s). Works in bytes; time from the caller; the start phase of the gain cycle
 * comes from a caller-supplied seed, so a run is deterministic.
 */
final class Bbr implements CongestionControl {
  enum Mode {
    STARTUP,
    DRAIN,
    PROBE_BW,
    PROBE_RTT
  }

  static final double HIGH_GAIN = 2.885; // 2/ln(2): doubles the delivery rate every round
  static final double DRAIN_GAIN = 1 / HIGH_GAIN;
  static final double CWND_GAIN = 2;
  static final double[] PACING_GAIN_CYCLE = {1.25, 0.75, 1, 1, 1, 1, 1, 1};
  static final int BW_WINDOW_ROUNDS = 10;
  static final long MIN_RTT_WINDOW_NANOS = 10_000_000_000L;
  static final long PROBE_RTT_NANOS = 200_000_000L;
  static final double FULL_BW_GROWTH = 1.25;
  static final int FULL_BW_ROUNDS = 3;
  static final int MIN_CWND_SEGMENTS = 4;

  /** Linux paces 1 % below the estimate, so the bottleneck queue drains rather than grows. */
  static final double PACING_MARGIN = 0.99;

  private final DeliveryRate rate = new DeliveryRate();
  private final AckAggregation aggregation = new AckAggregation();
  private final long seed;
  private int mss;
  private int cwnd;
  private int priorCwnd;
  private Mode mode = Mode.STARTUP;
  private double pacingGain = HIGH_GAIN;
  private double cwndGain = HIGH_GAIN;
  private long pacingRate;

  // BtlBw: the max sample of each of the last BW_WINDOW_ROUNDS rounds, indexed by round.
  private final long[] roundMax = new long[BW_WINDOW_ROUNDS];
  private final long[] roundOf = new long[BW_WINDOW_ROUNDS];
  private long roundCount;
  private long nextRoundDelivered;
  private boolean roundStart;

  private long minRtt = Long.MAX_VALUE;
  private long minRttStamp;
  private long probeRttDoneStamp;
  private boolean probeRttRoundDone;

  private long fullBw;
  private int fullBwCount;
  private boolean fullBwReached;

  private int cycleIndex;
  private long cycleStamp;
  private boolean lossInRound;

  private boolean inRecovery;
  private boolean inLoss;
  private boolean packetConservation;
  private long recoveryRoundEnd;

  Bbr(int mss, long seed) {
    this.mss = mss;
    this.seed = seed;
    this.cwnd = NewReno.initialWindow(mss);
    for (int i = 0; i < BW_WINDOW_ROUNDS; i++) {
      roundOf[i] = -1;
    }
  }

  Mode mode() {
    return mode;
  }

  double pacingGain() {
    return pacingGain;
  }

  /** The bottleneck bandwidth estimate in bytes per second (0 before any sample). */
  long btlBw() {
    long m = 0;
    for (int i = 0; i < BW_WINDOW_ROUNDS; i++) {
      if (roundOf[i] > roundCount - BW_WINDOW_ROUNDS) {
        m = Math.max(m, roundMax[i]);
      }
    }
    return m;
  }

  /** The round-trip propagation time estimate, or Long.MAX_VALUE before any sample. */
  long rtProp() {
    return minRtt;
  }

  boolean fullBandwidthReached() {
    return fullBwReached;
  }

  @Override
  public int cwnd() {
    return cwnd;
  }

  @Override
  public int ssthresh() {
    return Integer.MAX_VALUE; // BBR has no slow-start threshold
  }

  @Override
  public long pacingRate() {
    return pacingRate;
  }

  @Override
  public void onAck(int ackedBytes, int flightBytes, long srttNanos, long nowNanos) {
    if (pacingRate == 0 && srttNanos > 0) {
      // Before a bandwidth sample: high_gain * initial window / srtt (tcp_bbr.c
      // bbr_init_pacing_rate).
      pacingRate = (long) (HIGH_GAIN * cwnd * 1e9 / srttNanos);
    }
  }

  @Override
  public void onSent(int seq, int len, int flightBytes, long nowNanos) {
    rate.onSent(seq, len, flightBytes, nowNanos);
  }

  @Override
  public void onApplicationLimited(int flightBytes) {
    rate.markAppLimited(flightBytes);
  }

  @Override
  public void onDelivered(
      int newlyDelivered, int una, int highestSacked, int inflightBytes, long now) {
    boolean sample = rate.onAck(newlyDelivered, una, highestSacked, now);
    roundStart = false;
    if (rate.samplePriorDelivered >= 0 && rate.samplePriorDelivered >= nextRoundDelivered) {
      nextRoundDelivered = rate.delivered();
      roundCount++;
      roundStart = true;
      if (packetConservation && roundCount >= recoveryRoundEnd) {
        packetConservation = false;
      }
    }
    if (sample) {
      long bw = rate.sampleRate();
      if (!rate.sampleAppLimited || bw >= btlBw()) {
        addBandwidthSample(bw);
      }
    }
    aggregation.onAck(newlyDelivered, btlBw(), cwnd, roundStart, now);
    if (rate.sampleRttNanos > 0) {
      updateMinRtt(rate.sampleRttNanos, now);
    }
    updateCycle(inflightBytes, now);
    checkFullBandwidth();
    checkDrain(inflightBytes, now);
    checkProbeRtt(inflightBytes, now);
    if (roundStart) {
      lossInRound = false;
    }
    setPacingRate();
    setCwnd(newlyDelivered, inflightBytes);
  }

  private void addBandwidthSample(long bw) {
    int i = (int) (roundCount % BW_WINDOW_ROUNDS);
    if (roundOf[i] != roundCount) {
      roundOf[i] = roundCount;
      roundMax[i] = 0;
    }
    roundMax[i] = Math.max(roundMax[i], bw);
  }

  private void updateMinRtt(long rtt, long now) {
    // Only a minimum that exists can expire (the clock's origin is arbitrary, e.g. nanoTime).
    boolean expired = minRtt != Long.MAX_VALUE && now - minRttStamp > MIN_RTT_WINDOW_NANOS;
    if (rtt < minRtt || expired && mode != Mode.PROBE_RTT) { // strict, as tcp_bbr.c
      minRtt = rtt;
      minRttStamp = now;
    }
    if (expired && mode != Mode.PROBE_RTT && minRtt != Long.MAX_VALUE) {
      mode = Mode.PROBE_RTT;
      pacingGain = 1;
      cwndGain = 1;
      priorCwnd = Math.max(priorCwnd, cwnd);
      probeRttDoneStamp = 0;
    }
  }

  /** One BDP times a gain, in bytes; the initial window before the model has samples. */
  private long bdp(double gain) {
    long bw = btlBw();
    if (bw == 0 || minRtt == Long.MAX_VALUE) {
      return NewReno.initialWindow(mss);
    }
    return (long) (gain * bw * minRtt / 1e9);
  }

  private void updateCycle(int inflight, long now) {
    if (mode != Mode.PROBE_BW) {
      return;
    }
    boolean elapsed = now - cycleStamp > minRtt;
    boolean next;
    if (pacingGain > 1) {
      next = elapsed && (lossInRound || inflight >= bdp(pacingGain));
    } else if (pacingGain < 1) {
      next = elapsed || inflight <= bdp(1);
    } else {
      next = elapsed;
    }
    if (next) {
      cycleIndex = (cycleIndex + 1) % PACING_GAIN_CYCLE.length;
      cycleStamp = now;
      pacingGain = PACING_GAIN_CYCLE[cycleIndex];
    }
  }

  private void checkFullBandwidth() {
    if (fullBwReached || !roundStart || rate.sampleAppLimited) {
      return;
    }
    long bw = btlBw();
    if (bw >= fullBw * FULL_BW_GROWTH) {
      fullBw = bw;
      fullBwCount = 0;
      return;
    }
    fullBwCount++;
    fullBwReached = fullBwCount >= FULL_BW_ROUNDS;
  }

  private void checkDrain(int inflight, long now) {
    if (mode == Mode.STARTUP && fullBwReached) {
      mode = Mode.DRAIN;
      pacingGain = DRAIN_GAIN;
      cwndGain = HIGH_GAIN;
    }
    if (mode == Mode.DRAIN && inflight <= bdp(1)) {
      enterProbeBw(now);
    }
  }

  private void enterProbeBw(long now) {
    mode = Mode.PROBE_BW;
    cwndGain = CWND_GAIN;
    // A random phase, never the 3/4 one (tcp_bbr.c: CYCLE_LEN - 1 - random(0..6)).
    int r = (int) Math.floorMod(seed ^ (seed >>> 17) ^ roundCount, 7L);
    cycleIndex = PACING_GAIN_CYCLE.length - 1 - r;
    cycleStamp = now;
    pacingGain = PACING_GAIN_CYCLE[cycleIndex];
  }

  private void checkProbeRtt(int inflight, long now) {
    if (mode != Mode.PROBE_RTT) {
      return;
    }
    if (probeRttDoneStamp == 0 && inflight <= MIN_CWND_SEGMENTS * mss) {
      probeRttDoneStamp = now + PROBE_RTT_NANOS;
      probeRttRoundDone = false;
      nextRoundDelivered = rate.delivered();
    } else if (probeRttDoneStamp != 0) {
      if (roundStart) {
        probeRttRoundDone = true;
      }
      if (probeRttRoundDone && now >= probeRttDoneStamp) {
        minRttStamp = now;
        cwnd = Math.max(cwnd, priorCwnd);
        if (fullBwReached) {
          enterProbeBw(now);
        } else {
          mode = Mode.STARTUP;
          pacingGain = HIGH_GAIN;
          cwndGain = HIGH_GAIN;
        }
      }
    }
  }

  private void setPacingRate() {
    long bw = btlBw();
    if (bw == 0) {
      return;
    }
    long r = (long) (pacingGain * bw * PACING_MARGIN);
    // In STARTUP the rate only grows: one slow sample must not stall the exponential search.
    if (fullBwReached || r > pacingRate) {
      pacingRate = r;
    }
  }

  private void setCwnd(int acked, int inflight) {
    if (packetConservation) {
      cwnd = Math.max(cwnd, inflight + acked);
    } else {
      long target = targetCwnd();
      long c = cwnd;
      if (fullBwReached) {
        c = Math.min(c + acked, target);
      } else if (c < target || rate.delivered() < NewReno.initialWindow(mss)) {
        c = c + acked;
      }
      cwnd = (int) Math.min(Math.max(c, (long) MIN_CWND_SEGMENTS * mss), Integer.MAX_VALUE / 2);
    }
    if (mode == Mode.PROBE_RTT) {
      cwnd = Math.min(cwnd, MIN_CWND_SEGMENTS * mss);
    }
  }

  /**
   * cwnd_gain x BDP, plus (once the bandwidth is found) the ACK aggregation allowance, plus the
   * quantization budget of tcp_bbr.c: 3 pacing quanta in flight (the sender's, the receiver's
   * delayed ACK, one in transit), and 2 segments more while probing at gain 5/4.
   */
  long targetCwnd() {
    long bw = btlBw();
    long target = bdp(cwndGain);
    if (fullBwReached) {
      target += aggregation.cwndAllowance(bw);
    }
    long quantum = pacingRate > 0 ? Pacing.quantum(pacingRate, mss) : mss;
    target += 3 * quantum;
    if (mode == Mode.PROBE_BW && cycleIndex == 0) {
      target += 2L * mss;
    }
    return target;
  }

  @Override
  public void onEnterRecovery(int flightBytes, long nowNanos) {
    // Loss is no congestion signal to BBR: keep the model; for one round send only what is
    // delivered (packet conservation), then the model's cwnd again.
    priorCwnd = mode == Mode.PROBE_RTT ? Math.max(priorCwnd, cwnd) : cwnd;
    inRecovery = true;
    packetConservation = true;
    recoveryRoundEnd = roundCount + 1;
    lossInRound = true;
  }

  @Override
  public void onExitRecovery(long nowNanos) {
    inRecovery = false;
    packetConservation = false;
    cwnd = Math.max(cwnd, priorCwnd);
  }

  @Override
  public void onRetransmissionTimeout(int flightBytes, long nowNanos) {
    // As Linux: one segment, grown again by what is delivered (the model is kept), and the cwnd
    // from before the timeout (or before the recovery it interrupted) back once the resending is
    // over (onExitLoss). Without that restore, a timeout left cwnd to grow from one segment while
    // the small rounds aged the bandwidth filter out: 620 -> 103 Mbit/s at 100 ms.
    priorCwnd = inRecovery || inLoss || mode == Mode.PROBE_RTT ? Math.max(priorCwnd, cwnd) : cwnd;
    cwnd = mss;
    inRecovery = false;
    inLoss = true;
    packetConservation = false;
    lossInRound = true;
    fullBw = 0; // tcp_bbr.c bbr_set_state(TCP_CA_Loss): the plateau search starts over
    rate.clearRecords();
  }

  @Override
  public void onExitLoss(long nowNanos) {
    inLoss = false;
    cwnd = Math.max(cwnd, priorCwnd);
  }

  @Override
  public void onMssChanged(int newMss) {
    mss = newMss;
    cwnd = Math.max(cwnd, MIN_CWND_SEGMENTS * mss);
  }

  @Override
  public void onIdleRestart(long nowNanos) {
    // tcp_bbr.c: restarting from idle in PROBE_BW paces at 1.0 * BtlBw; cwnd stays.
    if (mode == Mode.PROBE_BW) {
      pacingGain = 1;
      setPacingRate();
    }
  }

  boolean inRecovery() {
    return inRecovery;
  }
}
