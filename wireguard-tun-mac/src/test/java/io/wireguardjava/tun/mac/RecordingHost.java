package io.wireguardjava.tun.mac;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link HostNetwork} that records every call as one line ({@code ifconfig utun7 up}, {@code
 * SIOCSIFMTU utun7 1420}) and answers from canned results.
 */
final class RecordingHost implements HostNetwork {

  final List<String> calls = new ArrayList<>();
  private final Map<String, Result> answers = new HashMap<>();
  private final Map<String, Integer> mtus = new HashMap<>();

  /** Answers the command whose line is {@code line}; unknown commands succeed with no output. */
  RecordingHost answer(String line, int exitCode, String output) {
    answers.put(line, new Result(exitCode, output));
    return this;
  }

  RecordingHost mtu(String ifname, int mtu) {
    mtus.put(ifname, mtu);
    return this;
  }

  @Override
  public Result run(List<String> command) {
    String line = line(command);
    calls.add(line);
    return answers.getOrDefault(line, new Result(0, ""));
  }

  @Override
  public int mtu(String ifname) throws IOException {
    calls.add("SIOCGIFMTU " + ifname);
    Integer mtu = mtus.get(ifname);
    if (mtu == null) {
      throw new IOException("no such interface " + ifname);
    }
    return mtu;
  }

  @Override
  public void setMtu(String ifname, int mtu) {
    calls.add("SIOCSIFMTU " + ifname + " " + mtu);
  }

  /** The command with the /sbin/ prefix dropped, words joined by spaces. */
  static String line(List<String> command) {
    String joined = String.join(" ", command);
    return joined.startsWith("/sbin/") ? joined.substring("/sbin/".length()) : joined;
  }
}
