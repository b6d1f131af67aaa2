package io.wireguardjava.core;

import io.wireguardjava.Interface;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * wg-quick's PreUp, PostUp, PreDown and PostDown hooks, run as wg-quick runs them: each line
 * through {@code bash -c} with {@code %i} replaced by the interface name, output inherited, in
 * order. A failing PreUp or PostUp stops {@code up} (the caller undoes it); a failing PreDown or
 * PostDown is logged and the rest go on.
 *
 * <p>Only run when the application asked for them ({@code TunnelOptions.Builder#runHooks}), as
 * {@code wg-java up} does: a config that comes from elsewhere must not run commands in the JVM that
 * opens it. PostUp runs once the UDP and UAPI sockets exist, so {@code PostUp = wg set %i
 * private-key ...} works.
 */
final class Hooks {
  private static final Logger LOG = System.getLogger("io.wireguardjava.core.hooks");
  private static final long TIMEOUT_SECONDS = 60;

  private final Interface iface;

  Hooks(Interface iface) {
    this.iface = iface;
  }

  void preUp(String name) throws IOException {
    run("PreUp", iface.preUp(), name, true);
  }

  void postUp(String name) throws IOException {
    run("PostUp", iface.postUp(), name, true);
  }

  void preDown(String name) {
    runLogged("PreDown", iface.preDown(), name);
  }

  void postDown(String name) {
    runLogged("PostDown", iface.postDown(), name);
  }

  private static void runLogged(String kind, List<String> hooks, String name) {
    try {
      run(kind, hooks, name, false);
    } catch (IOException e) {
      throw new AssertionError(e); // not fatal: run() logs instead of throwing
    }
  }

  /** Runs each hook; with {@code fatal}, the first failure throws, naming the hook. */
  private static void run(String kind, List<String> hooks, String name, boolean fatal)
      throws IOException {
    for (String hook : hooks) {
      String cmd = hook.replace("%i", name);
      LOG.log(Level.DEBUG, "[#] {0}", cmd); // wg-quick's trace: wg-java up shows it
      String failure;
      try {
        int rc = bash(cmd);
        if (rc == 0) {
          continue;
        }
        failure = "failed with status " + rc;
      } catch (IOException e) {
        failure = e.getMessage();
      }
      String message = kind + " hook '" + cmd + "' " + failure;
      if (fatal) {
        throw new IOException(message);
      }
      LOG.log(Level.WARNING, message);
    }
  }

  private static int bash(String cmd) throws IOException {
    Process p = new ProcessBuilder("bash", "-c", cmd).inheritIO().start();
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out after " + TIMEOUT_SECONDS + " s");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
  }
}
