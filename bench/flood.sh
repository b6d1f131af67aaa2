#!/usr/bin/env bash
# The handshake flood of issue 13 (defect 2), ours and current wireguard-go side by side in one
# run. Four namespaces joined to the victim's by veth pairs:
#   victim    the implementation under test (ours: examples/bin/wireguard-java, as wg-quick runs
#             it, so with its heap limit; or wireguard-go), listening on 51820, two peers;
#   est       wireguard-go, an established peer: pings the victim through the tunnel 100 times a
#             second for the whole flood (ping loss = data-path loss);
#   fresh     wireguard-go, a fresh peer: configured FRESH_AFTER seconds into the flood, then
#             pings; we time how long until its first handshake completes;
#   attacker  bench/flood-initiations.py: RATE initiations a second, each with a valid MAC1 for
#             the victim's key (so each costs a Diffie-Hellman unless answered with a cookie).
# Prints: time to the fresh peer's handshake, cookie replies per flood datagram (counted with
# nftables in the attacker's namespace), ping loss of the established peer, the victim's RSS
# before / max during / after, its CPU time during the flood, and the kernel's counts of datagrams
# lost before a socket (the victim's UDP buffer errors, the per-CPU backlog drops of all
# namespaces: other traffic on the machine shows there too).
#
# Usage (as root):  bench/flood.sh
#   RATE=40000 SECONDS_=30 FRESH_AFTER=10   flood rate and length, when the fresh peer starts
#   IMPLS="ours wggo"                        which victims, in this order
#   WIREGUARD_GO=../shared/tools/wireguard-go-0.0.20250522/wireguard-go
#   JAVA=java WG_JAVA_OPTS=                  the JVM of our launcher
# Needs: ip, wg, python3, ping, nft, and examples/target/wg-java.jar
# (mvn -B -q -o package -DskipTests). Cleans up on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
BENCH=flood.sh
# shellcheck source=bench/lib.sh
source bench/lib.sh

RATE=${RATE:-40000}
FLOOD=${SECONDS_:-30}
FRESH_AFTER=${FRESH_AFTER:-10}
IMPLS=${IMPLS:-"ours wggo"}
shared=${SHARED:-$root/../shared}
[ -d "$shared/tools" ] || shared=/work/shared
WIREGUARD_GO=${WIREGUARD_GO:-$shared/tools/wireguard-go-0.0.20250522/wireguard-go}
export JAVA=${JAVA:-java}

bench_require ip wg python3 ping nft
[ -x "$WIREGUARD_GO" ] || { echo "$BENCH: $WIREGUARD_GO missing" >&2; exit 1; }
[ -f examples/target/wg-java.jar ] || {
  echo "$BENCH: examples/target/wg-java.jar missing (mvn -B -q -o package -DskipTests)" >&2; exit 1; }

bench_init hse
nv=${id}v ne=${id}e nf=${id}f na=${id}a
ns_add "$nv" "$ne" "$nf" "$na"
veth "$nv" "${id}ve" 192.168.71.1/24 "$ne" "${id}ev" 192.168.71.2/24
veth "$nv" "${id}vf" 192.168.72.1/24 "$nf" "${id}fv" 192.168.72.2/24
veth "$nv" "${id}va" 192.168.73.1/24 "$na" "${id}av" 192.168.73.2/24

kv=$(wg genkey) ke=$(wg genkey) kf=$(wg genkey)
pv=$(wg pubkey <<<"$kv") pe=$(wg pubkey <<<"$ke") pf=$(wg pubkey <<<"$kf")
printf '%s\n' "$kv" >"$work/v.key"
printf '%s\n' "$ke" >"$work/e.key"
printf '%s\n' "$kf" >"$work/f.key"

# nftables counters in the attacker's namespace: flood datagrams out, cookie replies in
# (64-byte UDP payloads from the victim's port).
ip netns exec "$na" nft -f - <<NFT
table inet ${id} {
  chain out { type filter hook output priority 0; udp dport 51820 counter; }
  chain in { type filter hook input priority 0; udp sport 51820 udp length 72 counter; }
}
NFT
nft_count() { # chain -> packets counted
  ip netns exec "$na" nft list chain inet "$id" "$1" | awk '/counter packets/ {for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1)}'
}

start_wggo() { # ns iface -> pid in $started
  ip netns exec "$1" env WG_PROCESS_FOREGROUND=1 "$WIREGUARD_GO" -f "$2" >"$work/$2.log" 2>&1 &
  started=$!
  pids+=("$started")
  for _ in $(seq 100); do [ -S /var/run/wireguard/$2.sock ] && return 0; sleep 0.05; done
  echo "$BENCH: wireguard-go did not start on $2" >&2; cat "$work/$2.log" >&2; return 1
}

start_ours() { # ns iface -> pid in $started (the launcher execs java: the pid is the JVM's)
  ip netns exec "$1" env WG_PROCESS_FOREGROUND=1 examples/bin/wireguard-java -f "$2" \
    >"$work/$2.log" 2>&1 &
  started=$!
  pids+=("$started")
  for _ in $(seq 300); do [ -S /var/run/wireguard/$2.sock ] && return 0; sleep 0.05; done
  echo "$BENCH: ours did not start on $2" >&2; cat "$work/$2.log" >&2; return 1
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Where flood datagrams or replies can be lost outside the victim: its socket's UDP counters
# (receive buffer full, send buffer full) and the kernel's per-CPU backlog drops (veth delivers
# through netif_rx: a full backlog drops before any socket sees the datagram).
udp_errors() { # ns -> "RcvbufErrors SndbufErrors"
  ip netns exec "$1" awk '/^Udp:/ {n++; if (n == 1) for (i = 2; i <= NF; i++) col[$i] = i;
    else print $col["RcvbufErrors"], $col["SndbufErrors"]}' /proc/net/snmp
}
backlog_drops() { local s=0 _a d _r; while read -r _a d _r; do s=$((s + 16#$d)); done </proc/net/softnet_stat; echo "$s"; }

row() { printf '| %-5s | %-44s | %16s |\n' "$@"; }

machine_line
echo "# load $(cut -d' ' -f1-3 /proc/loadavg); flood $RATE/s for ${FLOOD} s, fresh peer after ${FRESH_AFTER} s"
echo "# ours: $("$JAVA" -version 2>&1 | head -1), WG_JAVA_OPTS='${WG_JAVA_OPTS:-}'; wireguard-go: $WIREGUARD_GO"
row impl measure value
row ----- -------------------------------------------- ----------------
for impl in $IMPLS; do
  tag=${impl:0:1}
  iv=${id}${tag}v ie=${id}${tag}e ifr=${id}${tag}f
  # the victim
  if [ "$impl" = ours ]; then start_ours "$nv" "$iv"; else start_wggo "$nv" "$iv"; fi
  vpid=$started
  wg set "$iv" private-key "$work/v.key" listen-port 51820 \
    peer "$pe" allowed-ips 10.77.0.2/32 peer "$pf" allowed-ips 10.77.0.3/32
  ip -n "$nv" addr add 10.77.0.1/24 dev "$iv"
  ip -n "$nv" link set "$iv" mtu 1420 up
  # the established peer
  start_wggo "$ne" "$ie"
  wg set "$ie" private-key "$work/e.key" peer "$pv" endpoint 192.168.71.1:51820 allowed-ips 10.77.0.1/32
  ip -n "$ne" addr add 10.77.0.2/24 dev "$ie"
  ip -n "$ne" link set "$ie" mtu 1420 up
  ip netns exec "$ne" ping -c 3 -i 0.2 -W 5 10.77.0.1 >/dev/null || { echo "$BENCH: $impl: no tunnel from est" >&2; exit 1; }
  # the fresh peer: running, but without its peer until FRESH_AFTER
  start_wggo "$nf" "$ifr"
  wg set "$ifr" private-key "$work/f.key"
  ip -n "$nf" addr add 10.77.0.3/24 dev "$ifr"
  ip -n "$nf" link set "$ifr" mtu 1420 up
  sleep 2
  r0=$(rss_kb "$vpid")
  out0=$(nft_count out) in0=$(nft_count in)
  c0=$(cpu_ticks "$vpid")
  read -r rb0 sb0 <<<"$(udp_errors "$nv")"
  bl0=$(backlog_drops)

  ip netns exec "$na" python3 bench/flood-initiations.py "$pv" 192.168.73.1 51820 "$RATE" "$FLOOD" \
    >"$work/flood.out" 2>&1 &
  flood_pid=$!
  pings=$(( (FLOOD - 2) * 100 ))
  ip netns exec "$ne" ping -q -i 0.01 -c "$pings" -W 1 10.77.0.1 >"$work/ping.out" 2>&1 &
  ping_pid=$!
  rmax=$r0
  t_start=$(date +%s.%N)
  # sample RSS while waiting for the fresh peer's turn
  while awk -v a="$t_start" -v b="$(date +%s.%N)" -v f="$FRESH_AFTER" 'BEGIN {exit !(b - a < f)}'; do
    r=$(rss_kb "$vpid"); [ "$r" -gt "$rmax" ] && rmax=$r
    sleep 0.5
  done
  t0=$(date +%s.%N)
  wg set "$ifr" peer "$pv" endpoint 192.168.72.1:51820 allowed-ips 10.77.0.1/32
  ip netns exec "$nf" ping -q -i 0.2 -w $((FLOOD - FRESH_AFTER)) 10.77.0.1 >/dev/null 2>&1 &
  fresh_ping=$!
  took=none
  while kill -0 "$flood_pid" 2>/dev/null; do
    hs=$(wg show "$ifr" latest-handshakes | awk '{print $2}')
    if [ "${hs:-0}" != 0 ]; then
      took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
      break
    fi
    r=$(rss_kb "$vpid"); [ "$r" -gt "$rmax" ] && rmax=$r
    sleep 0.1
  done
  while kill -0 "$flood_pid" 2>/dev/null; do
    r=$(rss_kb "$vpid"); [ "$r" -gt "$rmax" ] && rmax=$r
    sleep 0.5
  done
  wait "$flood_pid" || true
  wait "$ping_pid" || true
  kill "$fresh_ping" 2>/dev/null || true
  wait "$fresh_ping" 2>/dev/null || true
  c1=$(cpu_ticks "$vpid")
  r1=$(rss_kb "$vpid")
  read -r rb1 sb1 <<<"$(udp_errors "$nv")"
  bl1=$(backlog_drops)
  out1=$(nft_count out) in1=$(nft_count in)
  flood_sent=$((out1 - out0)) cookies=$((in1 - in0))
  loss=$(grep -o '[0-9.]*% packet loss' "$work/ping.out" || echo "? (ping: $(tail -1 "$work/ping.out"))")
  row "$impl" "fresh peer's handshake after, s" "$took"
  row "$impl" "flood datagrams sent (generator / nft)" "$(cat "$work/flood.out") / $flood_sent"
  row "$impl" "cookie replies received" "$cookies"
  row "$impl" "cookie replies per flood datagram" "$(awk -v c="$cookies" -v s="$flood_sent" 'BEGIN {printf "%.1f %%", s ? 100 * c / s : 0}')"
  row "$impl" "victim UDP rcvbuf / sndbuf errors; backlog drops" "$((rb1 - rb0)) / $((sb1 - sb0)); $((bl1 - bl0))"
  row "$impl" "established peer: ping loss during the flood" "$loss ($pings)"
  row "$impl" "victim RSS before / max / after, MiB" "$((r0 / 1024)) / $((rmax / 1024)) / $((r1 / 1024))"
  row "$impl" "victim CPU during the flood, s" "$(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}')"
  stop_all
  sleep 1
done
