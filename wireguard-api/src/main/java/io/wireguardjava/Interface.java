package io.wireguardjava;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code [Interface]} section of a configuration: this side's key and port, which
 * {@code wg} sets, and the settings only {@code wg-quick} acts on (addresses, DNS, MTU, routing
 * table, hook commands, SaveConfig).
 *
 * <p>Immutable; build one with {@link #builder()} or change a copy with {@link #toBuilder()}.
 * Lists keep the order they were given in.
 */
public final class Interface {
  private final @Nullable PrivateKey privateKey;
  private final int listenPort; // -1: unset
  private final int fwMark; // 0: unset (off)
  private final List<InetNetwork> addresses;
  private final List<InetAddress> dnsServers;
  private final List<String> dnsSearch;
  private final int mtu; // 0: unset
  private final @Nullable String table;
  private final List<String> preUp;
  private final List<String> postUp;
  private final List<String> preDown;
  private final List<String> postDown;
  private final boolean saveConfig;

  private Interface(Builder b) {
    privateKey = b.privateKey;
    listenPort = b.listenPort;
    fwMark = b.fwMark;
    addresses = List.copyOf(b.addresses);
    dnsServers = List.copyOf(b.dnsServers);
    dnsSearch = List.copyOf(b.dnsSearch);
    mtu = b.mtu;
    table = b.table;
    preUp = List.copyOf(b.preUp);
    postUp = List.copyOf(b.postUp);
    preDown = List.copyOf(b.preDown);
    postDown = List.copyOf(b.postDown);
    saveConfig = b.saveConfig;
  }

  /**
   * A builder with nothing set.
   *
   * @return a builder with nothing set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this interface's settings.
   *
   * @return a builder holding this interface's settings
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.privateKey = privateKey;
    b.listenPort = listenPort;
    b.fwMark = fwMark;
    b.addresses.addAll(addresses);
    b.dnsServers.addAll(dnsServers);
    b.dnsSearch.addAll(dnsSearch);
    b.mtu = mtu;
    b.table = table;
    b.preUp.addAll(preUp);
    b.postUp.addAll(postUp);
    b.preDown.addAll(preDown);
    b.postDown.addAll(postDown);
    b.saveConfig = saveConfig;
    return b;
  }

  /**
   * {@code PrivateKey}: this side's private key.
   *
   * @return this side's private key
   */
  public Optional<PrivateKey> privateKey() {
    return Optional.ofNullable(privateKey);
  }

  /**
   * {@code ListenPort}: the UDP port, 0..65535 (0: any free port); empty: chosen at random.
   *
   * @return the UDP port, 0..65535 (0: any free port); empty: chosen at random
   */
  public Optional<Integer> listenPort() {
    return listenPort < 0 ? Optional.empty() : Optional.of(listenPort);
  }

  /**
   * {@code FwMark}: the 32-bit firewall mark of outgoing packets, to be read as unsigned
   * ({@link Integer#toUnsignedLong}); empty when off.
   *
   * @return the 32-bit firewall mark of outgoing packets, to be read as unsigned ({@link
   *     Integer#toUnsignedLong}); empty when off
   */
  public Optional<Integer> fwMark() {
    return fwMark == 0 ? Optional.empty() : Optional.of(fwMark);
  }

  /**
   * {@code Address} (wg-quick): the interface's addresses with their prefix lengths.
   *
   * @return the interface's addresses with their prefix lengths
   */
  public List<InetNetwork> addresses() {
    return addresses;
  }

  /**
   * {@code DNS} (wg-quick): the DNS servers' addresses.
   *
   * @return the DNS servers' addresses
   */
  public List<InetAddress> dnsServers() {
    return dnsServers;
  }

  /**
   * {@code DNS} (wg-quick): the entries that are not addresses, i.e. search domains.
   *
   * @return the entries that are not addresses, i.e. search domains
   */
  public List<String> dnsSearch() {
    return dnsSearch;
  }

  /**
   * {@code MTU} (wg-quick): 68..65535; empty: chosen automatically.
   *
   * @return 68..65535; empty: chosen automatically
   */
  public Optional<Integer> mtu() {
    return mtu == 0 ? Optional.empty() : Optional.of(mtu);
  }

  /**
   * {@code Table} (wg-quick): a routing table name or number, {@code off} or {@code auto}.
   *
   * @return a routing table name or number, {@code off} or {@code auto}
   */
  public Optional<String> table() {
    return Optional.ofNullable(table);
  }

  /**
   * {@code PreUp} (wg-quick): shell commands run before the interface is set up, in order.
   *
   * @return shell commands run before the interface is set up, in order
   */
  public List<String> preUp() {
    return preUp;
  }

  /**
   * {@code PostUp} (wg-quick): shell commands run after the interface is up, in order.
   *
   * @return shell commands run after the interface is up, in order
   */
  public List<String> postUp() {
    return postUp;
  }

  /**
   * {@code PreDown} (wg-quick): shell commands run before the interface is removed.
   *
   * @return shell commands run before the interface is removed
   */
  public List<String> preDown() {
    return preDown;
  }

  /**
   * {@code PostDown} (wg-quick): shell commands run after the interface is removed.
   *
   * @return shell commands run after the interface is removed
   */
  public List<String> postDown() {
    return postDown;
  }

  /**
   * {@code SaveConfig} (wg-quick): whether {@code wg-quick down} writes the state back.
   *
   * @return whether {@code wg-quick down} writes the state back
   */
  public boolean saveConfig() {
    return saveConfig;
  }

  /**
   * Whether any wg-quick-only setting (Address, DNS, MTU, Table, hooks, SaveConfig) is set.
   *
   * @return whether any wg-quick-only setting (Address, DNS, MTU, Table, hooks, SaveConfig) is set
   */
  public boolean hasWgQuickSettings() {
    return !addresses.isEmpty() || !dnsServers.isEmpty() || !dnsSearch.isEmpty() || mtu != 0
        || table != null || !preUp.isEmpty() || !postUp.isEmpty() || !preDown.isEmpty()
        || !postDown.isEmpty() || saveConfig;
  }

  /**
   * This interface without its wg-quick-only settings: what {@code wg setconf} accepts.
   *
   * @return this interface without its wg-quick-only settings: what {@code wg setconf} accepts
   */
  public Interface withoutWgQuickSettings() {
    Builder b = builder();
    b.privateKey = privateKey;
    b.listenPort = listenPort;
    b.fwMark = fwMark;
    return b.build();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Interface)) {
      return false;
    }
    Interface i = (Interface) o;
    return Objects.equals(privateKey, i.privateKey) && listenPort == i.listenPort
        && fwMark == i.fwMark && addresses.equals(i.addresses)
        && dnsServers.equals(i.dnsServers) && dnsSearch.equals(i.dnsSearch) && mtu == i.mtu
        && Objects.equals(table, i.table) && preUp.equals(i.preUp) && postUp.equals(i.postUp)
        && preDown.equals(i.preDown) && postDown.equals(i.postDown)
        && saveConfig == i.saveConfig;
  }

  @Override
  public int hashCode() {
    return Objects.hash(privateKey, listenPort, fwMark, addresses, dnsServers, dnsSearch, mtu,
        table, preUp, postUp, preDown, postDown, saveConfig);
  }

  /** A summary for logs; the private key shows as {@code redacted}, its public key in full. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Interface[");
    if (privateKey != null) {
      sb.append("privateKey=redacted, publicKey=").append(privateKey.publicKey()).append(", ");
    }
    listenPort().ifPresent(p -> sb.append("listenPort=").append(p).append(", "));
    fwMark().ifPresent(m -> sb.append("fwMark=0x").append(Integer.toHexString(m)).append(", "));
    if (!addresses.isEmpty()) {
      sb.append("addresses=").append(addresses).append(", ");
    }
    if (!dnsServers.isEmpty() || !dnsSearch.isEmpty()) {
      sb.append("dns=").append(WgQuickFormat.dnsValues(this)).append(", ");
    }
    mtu().ifPresent(m -> sb.append("mtu=").append(m).append(", "));
    table().ifPresent(t -> sb.append("table=").append(t).append(", "));
    int hooks = preUp.size() + postUp.size() + preDown.size() + postDown.size();
    if (hooks > 0) {
      sb.append("hooks=").append(hooks).append(", ");
    }
    if (saveConfig) {
      sb.append("saveConfig=true, ");
    }
    if (sb.charAt(sb.length() - 1) == ' ') {
      sb.setLength(sb.length() - 2);
    }
    return sb.append(']').toString();
  }

  /** Builds an {@link Interface}; every setter checks its argument. Not thread-safe. */
  public static final class Builder {
    private @Nullable PrivateKey privateKey;
    private int listenPort = -1;
    private int fwMark;
    private final List<InetNetwork> addresses = new ArrayList<>();
    private final List<InetAddress> dnsServers = new ArrayList<>();
    private final List<String> dnsSearch = new ArrayList<>();
    private int mtu;
    private @Nullable String table;
    private final List<String> preUp = new ArrayList<>();
    private final List<String> postUp = new ArrayList<>();
    private final List<String> preDown = new ArrayList<>();
    private final List<String> postDown = new ArrayList<>();
    private boolean saveConfig;

    private Builder() {}

    /**
     * Sets {@code PrivateKey}.
     *
     * @param key the {@code PrivateKey}
     * @return this builder
     */
    public Builder privateKey(PrivateKey key) {
      this.privateKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Unsets {@code PrivateKey}.
     *
     * @return this builder
     */
    public Builder clearPrivateKey() {
      this.privateKey = null;
      return this;
    }

    /**
     * Sets {@code ListenPort}.
     *
     * @param port the {@code ListenPort}
     * @return this builder
     * @throws IllegalArgumentException unless {@code port} is in 0..65535
     */
    public Builder listenPort(int port) {
      this.listenPort = checkRange("ListenPort", port, 0, 65535);
      return this;
    }

    /**
     * Unsets {@code ListenPort} (a random port is used).
     *
     * @return this builder
     */
    public Builder clearListenPort() {
      this.listenPort = -1;
      return this;
    }

    /**
     * Sets {@code FwMark}, an unsigned 32-bit value; 0 means off.
     *
     * @param mark the firewall mark, 0 for none
     * @return this builder
     */
    public Builder fwMark(int mark) {
      this.fwMark = mark;
      return this;
    }

    /**
     * Adds an {@code Address}.
     *
     * @param address the address with its prefix length
     * @return this builder
     */
    public Builder addAddress(InetNetwork address) {
      addresses.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /**
     * Adds {@code Address}es, in order.
     *
     * @param list the addresses to add
     * @return this builder
     */
    public Builder addAddresses(Collection<InetNetwork> list) {
      list.forEach(this::addAddress);
      return this;
    }

    /**
     * Replaces the {@code Address} list.
     *
     * @param list the new addresses, in order
     * @return this builder
     */
    public Builder addresses(Collection<InetNetwork> list) {
      addresses.clear();
      return addAddresses(list);
    }

    /**
     * Adds a DNS server address.
     *
     * @param server the DNS server's address
     * @return this builder
     */
    public Builder addDnsServer(InetAddress server) {
      dnsServers.add(Objects.requireNonNull(server, "server"));
      return this;
    }

    /**
     * Replaces the DNS servers.
     *
     * @param list the new DNS server addresses, in order
     * @return this builder
     */
    public Builder dnsServers(Collection<InetAddress> list) {
      dnsServers.clear();
      list.forEach(this::addDnsServer);
      return this;
    }

    /**
     * Adds a DNS search domain.
     *
     * @param domain the search domain
     * @return this builder
     * @throws IllegalArgumentException if {@code domain} is not a domain name, or would read
     *     back as an address (wg-quick takes digits-and-dots and anything with a colon as a
     *     server)
     */
    public Builder addDnsSearch(String domain) {
      Objects.requireNonNull(domain, "domain");
      if (!WgQuickFormat.isSearchDomain(domain)) {
        throw new IllegalArgumentException("'" + domain + "' is not a DNS search domain");
      }
      dnsSearch.add(domain);
      return this;
    }

    /**
     * Replaces the DNS search domains.
     *
     * @param list the new search domains, in order
     * @return this builder
     */
    public Builder dnsSearch(Collection<String> list) {
      dnsSearch.clear();
      list.forEach(this::addDnsSearch);
      return this;
    }

    /**
     * Sets {@code MTU}.
     *
     * @param mtu the {@code MTU}
     * @return this builder
     * @throws IllegalArgumentException unless {@code mtu} is in 68..65535
     */
    public Builder mtu(int mtu) {
      this.mtu = checkRange("MTU", mtu, 68, 65535);
      return this;
    }

    /**
     * Unsets {@code MTU}.
     *
     * @return this builder
     */
    public Builder clearMtu() {
      this.mtu = 0;
      return this;
    }

    /**
     * Sets {@code Table}: {@code off}, {@code auto}, or a routing table name or number.
     *
     * @param table the table setting
     * @return this builder
     * @throws IllegalArgumentException if empty or containing whitespace, {@code #} or {@code ,}
     */
    public Builder table(String table) {
      Objects.requireNonNull(table, "table");
      if (!WgQuickFormat.isWord(table)) {
        throw new IllegalArgumentException("'" + table + "' is not a routing table");
      }
      this.table = table;
      return this;
    }

    /**
     * Unsets {@code Table}.
     *
     * @return this builder
     */
    public Builder clearTable() {
      this.table = null;
      return this;
    }

    /**
     * Adds a {@code PreUp} command (surrounding whitespace is trimmed).
     *
     * @param command a shell command
     * @return this builder
     * @throws IllegalArgumentException if the command is blank or contains a line break or
     *     {@code #} (wg-quick cuts a line at {@code #})
     */
    public Builder addPreUp(String command) {
      preUp.add(WgQuickFormat.checkHook("PreUp", command));
      return this;
    }

    /**
     * Adds a {@code PostUp} command; see {@link #addPreUp}.
     *
     * @param command a shell command
     * @return this builder
     */
    public Builder addPostUp(String command) {
      postUp.add(WgQuickFormat.checkHook("PostUp", command));
      return this;
    }

    /**
     * Adds a {@code PreDown} command; see {@link #addPreUp}.
     *
     * @param command a shell command
     * @return this builder
     */
    public Builder addPreDown(String command) {
      preDown.add(WgQuickFormat.checkHook("PreDown", command));
      return this;
    }

    /**
     * Adds a {@code PostDown} command; see {@link #addPreUp}.
     *
     * @param command a shell command
     * @return this builder
     */
    public Builder addPostDown(String command) {
      postDown.add(WgQuickFormat.checkHook("PostDown", command));
      return this;
    }

    /**
     * Sets {@code SaveConfig}.
     *
     * @param save the {@code SaveConfig}
     * @return this builder
     */
    public Builder saveConfig(boolean save) {
      this.saveConfig = save;
      return this;
    }

    /**
     * The interface. Every combination of settings is valid.
     *
     * @return the interface
     */
    public Interface build() {
      return new Interface(this);
    }

    private static int checkRange(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " " + value + " is not in " + min + ".." + max);
      }
      return value;
    }
  }
}
