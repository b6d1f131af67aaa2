#!/usr/bin/env bash
# Configuration at scale, ours and current wireguard-go side by side in one run (issue 13):
#   1. `wg syncconf` of 65,536 peers (a /32 and a /128 each) into an empty device,
#      then `wg show` of that device (and `wg showconf` size as a check);
#   2. `wg setconf` of one peer with 1,000,000 prefixes into a fresh device, then `wg show`;
# each with the daemon's RSS before and after, and memory per peer / per prefix.
# For ours also the live Java heap after a full GC (jcmd), which is what the table costs; the
# RSS of a JVM includes heap it has not given back. The empty daemon's live heap is taken once, on
# a daemon of its own: a full GC just before a timed apply shrinks G1's heap to a few MiB (at most
# 70 % free after a full GC), and the apply then paid for growing it back, young GC after young
# GC, each copying everything applied so far, which no daemon started by wg-quick does.
#
# Usage (as root):  bench/scale.sh
#   PEERS=65536 PREFIXES=1000000      sizes
#   IMPLS="ours wggo"                 which daemons, in this order
#   WIREGUARD_GO=../shared/tools/wireguard-go-0.0.20250522/wireguard-go
#   JAVA=java WG_JAVA_OPTS=           the JVM of our launcher (examples/bin/wireguard-java)
#   TIMEOUT=300                       seconds before a step counts as failed
# Needs: ip, wg, python3 (to write the configs), jcmd (for our heap figure; optional), and
# examples/target/wg-java.jar (mvn -B -q -o package -DskipTests). Cleans up on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

PEERS=${PEERS:-65536}
PREFIXES=${PREFIXES:-1000000}
IMPLS=${IMPLS:-"ours wggo"}
TIMEOUT=${TIMEOUT:-300}
shared=${SHARED:-$root/../shared}
[ -d "$shared/tools" ] || shared=/work/shared
WIREGUARD_GO=${WIREGUARD_GO:-$shared/tools/wireguard-go-0.0.20250522/wireguard-go}
export JAVA=${JAVA:-java}

[ "$(id -u)" = 0 ] || { echo "scale.sh: run as root" >&2; exit 1; }
for t in ip wg python3; do
  command -v "$t" >/dev/null || { echo "scale.sh: $t is missing" >&2; exit 1; }
done
[ -x "$WIREGUARD_GO" ] || { echo "scale.sh: $WIREGUARD_GO missing" >&2; exit 1; }
[ -f examples/target/wg-java.jar ] || {
  echo "scale.sh: examples/target/wg-java.jar missing (mvn -B -q -o package -DskipTests)" >&2; exit 1; }

id=hsc$(printf '%04x' $((RANDOM % 65536)))
ns=${id}n
work=$(mktemp -d)
pid=

cleanup() {
  set +e
  stop_daemon
  ip netns del "$ns" 2>/dev/null
  rm -f /var/run/wireguard/${id}*.sock
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
ip netns add "$ns"
ip -n "$ns" link set lo up

# ---- the configurations (random keys: wg accepts any 32 bytes as a public key)
python3 - "$work" "$PEERS" "$PREFIXES" <<'EOF'
import base64, os, sys
work, peers, prefixes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
key = lambda: base64.b64encode(os.urandom(32)).decode()
with open(f"{work}/peers.conf", "w") as f:
    f.write(f"[Interface]\nPrivateKey = {key()}\nListenPort = 0\n")
    for i in range(peers):
        f.write(f"\n[Peer]\nPublicKey = {key()}\n"
                f"AllowedIPs = 10.{i >> 16}.{(i >> 8) & 255}.{i & 255}/32, fd00::{i:x}/128\n")
with open(f"{work}/prefixes.conf", "w") as f:
    f.write(f"[Interface]\nPrivateKey = {key()}\n\n[Peer]\nPublicKey = {key()}\n")
    for start in range(0, prefixes, 1000):
        ips = (f"{10 + (i >> 24)}.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}/32"
               for i in range(start, min(start + 1000, prefixes)))
        f.write("AllowedIPs = " + ", ".join(ips) + "\n")
EOF

start_daemon() { # impl iface
  local impl=$1 iface=$2
  if [ "$impl" = ours ]; then
    ip netns exec "$ns" env WG_PROCESS_FOREGROUND=1 examples/bin/wireguard-java -f "$iface" \
      >"$work/$iface.log" 2>&1 &
  else
    ip netns exec "$ns" env WG_PROCESS_FOREGROUND=1 "$WIREGUARD_GO" -f "$iface" \
      >"$work/$iface.log" 2>&1 &
  fi
  pid=$!
  for _ in $(seq 300); do [ -S /var/run/wireguard/$iface.sock ] && return 0; sleep 0.05; done
  echo "scale.sh: $impl did not create its socket" >&2
  cat "$work/$iface.log" >&2
  return 1
}

stop_daemon() {
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }

# The live heap of our JVM after a full GC, in KiB; "-" when jcmd is missing or fails.
heap_kb() {
  [ "$1" = ours ] && command -v jcmd >/dev/null || { echo -; return; }
  jcmd "$pid" GC.run >/dev/null 2>&1 || { echo -; return; }
  jcmd "$pid" GC.heap_info 2>/dev/null \
    | awk '/ used [0-9]+K/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub("K,?", "", v); print v; exit}}' \
    | grep . || echo -
}

seconds() { # command... -> wall seconds, or "fail"
  local t0 t1
  t0=$(date +%s.%N)
  if timeout "$TIMEOUT" "$@" >"$work/out" 2>"$work/err"; then
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}'
  else
    echo fail
  fi
}

per() { # kib_before kib_after count -> bytes per item
  if [[ $1 == - || $2 == - ]]; then echo -; return; fi
  awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN {printf "%.0f", (b - a) * 1024 / n}'
}

row() { printf '| %-13s | %-36s | %12s |\n' "$@"; }

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# ours: $("$JAVA" -version 2>&1 | head -1), WG_JAVA_OPTS='${WG_JAVA_OPTS:-}'; wireguard-go: $WIREGUARD_GO"
row implementation measure value
row "-------------" "------------------------------------" "------------"
h_empty=-
if [[ " $IMPLS " == *" ours "* ]]; then
  start_daemon ours "${id}oe"
  sleep 1
  h_empty=$(heap_kb ours)
  stop_daemon
fi

for impl in $IMPLS; do
  # 1. many peers
  iface=${id}${impl:0:1}p
  start_daemon "$impl" "$iface"
  sleep 1
  r0=$(rss_kb) h0=$h_empty
  t=$(seconds wg syncconf "$iface" "$work/peers.conf")
  [ "$t" = fail ] && sed 's/^/  wg: /' "$work/err" >&2
  row "$impl" "wg syncconf of $PEERS peers, s" "$t"
  t=$(seconds wg show "$iface")
  row "$impl" "wg show of $PEERS peers, s" "$t"
  row "$impl" "  peers listed by wg show" "$(grep -c '^peer:' "$work/out" || true)"
  t=$(seconds wg show "$iface" dump)
  row "$impl" "  allowed ips listed (dump)" "$(awk -F'\t' 'NR > 1 {n += split($4, a, ",")} END {print n + 0}' "$work/out")"
  r1=$(rss_kb) h1=$(heap_kb "$impl")
  row "$impl" "RSS before / after, MiB" "$((r0 / 1024)) / $((r1 / 1024))"
  row "$impl" "RSS per peer, bytes" "$(per "$r0" "$r1" "$PEERS")"
  [ "$impl" = ours ] && row "$impl" "live heap per peer, bytes" "$(per "$h0" "$h1" "$PEERS")"
  stop_daemon

  # 2. one peer, many prefixes
  iface=${id}${impl:0:1}x
  start_daemon "$impl" "$iface"
  sleep 1
  r0=$(rss_kb) h0=$h_empty
  t=$(seconds wg setconf "$iface" "$work/prefixes.conf")
  [ "$t" = fail ] && sed 's/^/  wg: /' "$work/err" >&2
  row "$impl" "wg setconf of $PREFIXES prefixes, s" "$t"
  t=$(seconds wg show "$iface" allowed-ips)
  row "$impl" "wg show allowed-ips, s" "$t"
  row "$impl" "  prefixes listed" "$(awk '{print NF - 1}' "$work/out" | head -1)"
  r1=$(rss_kb) h1=$(heap_kb "$impl")
  row "$impl" "RSS before / after, MiB" "$((r0 / 1024)) / $((r1 / 1024))"
  row "$impl" "RSS per prefix, bytes" "$(per "$r0" "$r1" "$PREFIXES")"
  [ "$impl" = ours ] && row "$impl" "live heap per prefix, bytes" "$(per "$h0" "$h1" "$PREFIXES")"
  stop_daemon
done
