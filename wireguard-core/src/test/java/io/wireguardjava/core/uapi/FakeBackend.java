package io.wireguardjava.core.uapi;

import io.wireguardjava.Key;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** An in-memory device: settings, a port that can be "taken", and settable peer counters. */
final class FakeBackend implements UapiBackend {
  private DeviceSettings settings = DeviceSettings.EMPTY;
  final Map<Key, PeerRuntime> runtime = new ConcurrentHashMap<>();
  volatile int takenPort = -1;
  volatile int updates;
  volatile @org.jspecify.annotations.Nullable RuntimeException failWith;

  @Override
  public synchronized DeviceSettings settings() {
    RuntimeException e = failWith;
    if (e != null) {
      throw e;
    }
    return settings;
  }

  @Override
  public synchronized void update(UnaryOperator<DeviceSettings> change) throws UapiException {
    RuntimeException e = failWith;
    if (e != null) {
      throw e;
    }
    DeviceSettings next = change.apply(settings);
    if (next.listenPort() != 0 && next.listenPort() == takenPort) {
      throw new UapiException(Errno.PORT_IN_USE, "port " + takenPort + " in use");
    }
    settings = next;
    updates++;
  }

  synchronized void set(DeviceSettings s) {
    settings = s;
  }

  @Override
  public synchronized int boundListenPort() {
    return settings.listenPort();
  }

  @Override
  public PeerRuntime runtime(Key peer) {
    return runtime.getOrDefault(peer, PeerRuntime.NONE);
  }
}
