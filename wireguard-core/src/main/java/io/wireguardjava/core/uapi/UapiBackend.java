package io.wireguardjava.core.uapi;

import io.wireguardjava.Key;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What the UAPI needs from a tunnel: its settings, a way to replace them all at once, and the live
 * state of each peer. The engine's tunnel implements it; tests use an in-memory fake.
 *
 * <p>Implementations must be safe to call from several UAPI client threads at once.
 */
public interface UapiBackend {

  /**
   * The current settings.
   *
   * @return the current settings
   */
  DeviceSettings settings();

  /**
   * Computes new settings from the current ones with {@code change} and applies them, as one step:
   * no other update may come between reading the current settings and applying the result. When the
   * new settings cannot be applied (the listen port is taken), the device keeps its old settings
   * and this throws.
   *
   * @param change computes the new settings from the current ones
   * @throws UapiException with {@link Errno#PORT_IN_USE} when the port or mark cannot be applied
   */
  void update(UnaryOperator<DeviceSettings> change) throws UapiException;

  /**
   * The UDP port the device is bound to now (the OS-chosen one when the setting is 0); 0: none.
   *
   * @return the UDP port the device is bound to now (the OS-chosen one when the setting is 0); 0:
   *     none
   */
  int boundListenPort();

  /**
   * The live state of the peer with this key, {@link PeerRuntime#NONE} if nothing is known.
   *
   * @param peer the peer's public key
   * @return the live state of the peer with this key, {@link PeerRuntime#NONE} if nothing is known
   */
  PeerRuntime runtime(Key peer);

  /**
   * The live state of every peer of {@code settings}, for one {@code get}; the default asks {@link
   * #runtime} peer by peer, a tunnel can answer all at once.
   *
   * @param settings the settings whose peers to read
   * @return the live state of every peer of {@code settings}, for one {@code get}; the default asks
   *     {@link #runtime} peer by peer, a tunnel can answer all at once
   */
  default Map<Key, PeerRuntime> runtimes(DeviceSettings settings) {
    Map<Key, PeerRuntime> out = new LinkedHashMap<>();
    for (PeerSettings p : settings.peers()) {
      out.put(p.publicKey(), runtime(p.publicKey()));
    }
    return out;
  }
}
