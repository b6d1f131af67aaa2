#!/usr/bin/env bash
# Throughput and latency of WireGuard implementations between two network namespaces joined by
# a veth pair, in one run, on this machine. Prints one table:
#   bare veth | wireguard-go <-> wireguard-go | ours <-> wireguard-go | ours <-> ours
# with iperf3 TCP (1 and 4 streams, A -> B) and ping RTT through each.
#
# Usage (as root):  bench/throughput.sh
#   DURATION=10        seconds per iperf3 run (plus OMIT=2 seconds of warm-up not counted)
#   JAVA=java          the JVM for our rows (e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   JAVA_OPTS=         extra JVM options
#   WG_JAVA_JAR=examples/target/wg-java.jar   built by `mvn -B -q package -DskipTests`
#   WG_JAVA_UP=        the command that runs `wg-java up FILE` (default: $JAVA $JAVA_OPTS -jar $WG_JAVA_JAR up)
#   ROWS="veth wggo ours-wggo ours-ours"      which rows to run
#   RUNS=1             runs per figure; the table shows the median
# Needs: ip, iperf3, ping, wireguard-go, wg. Cleans up its namespaces on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
OMIT=${OMIT:-2}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
WG_JAVA_JAR=${WG_JAVA_JAR:-examples/target/wg-java.jar}
ROWS=${ROWS:-"veth wggo ours-wggo ours-ours"}
RUNS=${RUNS:-1}

[ "$(id -u)" = 0 ] || { echo "throughput.sh: run as root" >&2; exit 1; }
for t in ip iperf3 ping wireguard-go wg; do
  command -v "$t" >/dev/null || { echo "throughput.sh: $t is missing (bash .ci/install-deps)" >&2; exit 1; }
done

id=wb$(printf '%04x' $((RANDOM % 65536)))
A=${id}a B=${id}b
work=$(mktemp -d)
pids=()

cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
  done
  ip netns del "$A" 2>/dev/null
  ip netns del "$B" 2>/dev/null
  rm -f /var/run/wireguard/${id}*.sock
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

ip netns add "$A"
ip netns add "$B"
ip -n "$A" link set lo up
ip -n "$B" link set lo up
ip link add ${id}va netns "$A" type veth peer name ${id}vb netns "$B"
ip -n "$A" addr add 10.200.0.1/24 dev ${id}va
ip -n "$B" addr add 10.200.0.2/24 dev ${id}vb
ip -n "$A" link set ${id}va up
ip -n "$B" link set ${id}vb up

ka=$(wg genkey) kb=$(wg genkey)
pa=$(wg pubkey <<<"$ka") pb=$(wg pubkey <<<"$kb")

# Writes the wg-quick file of side $1 (a|b) as $work/<iface>.conf
conf() { # side iface
  local side=$1 iface=$2
  if [ "$side" = a ]; then
    printf '[Interface]\nPrivateKey = %s\nListenPort = 51820\nAddress = 10.100.0.1/24\n\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.100.0.2/32\nEndpoint = 10.200.0.2:51821\n' "$ka" "$pb"
  else
    printf '[Interface]\nPrivateKey = %s\nListenPort = 51821\nAddress = 10.100.0.2/24\n\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.100.0.1/32\n' "$kb" "$pa"
  fi >"$work/$iface.conf"
}

wait_link() { # ns iface
  for _ in $(seq 150); do
    ip -n "$1" link show "$2" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "throughput.sh: $2 did not appear in $1" >&2
  return 1
}

start_wggo() { # side ns iface
  local side=$1 ns=$2 iface=$3
  conf "$side" "$iface"
  ip netns exec "$ns" env WG_PROCESS_FOREGROUND=1 wireguard-go -f "$iface" >"$work/$iface.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -S /var/run/wireguard/$iface.sock ] && break; sleep 0.05; done
  wg setconf "$iface" <(grep -v '^Address' "$work/$iface.conf")
  ip -n "$ns" addr add "$(sed -n 's/^Address = //p' "$work/$iface.conf")" dev "$iface"
  ip -n "$ns" link set "$iface" mtu 1420 up
}

start_ours() { # side ns iface
  local side=$1 ns=$2 iface=$3
  conf "$side" "$iface"
  # shellcheck disable=SC2086
  ip netns exec "$ns" ${WG_JAVA_UP:-"$JAVA" $JAVA_OPTS -jar "$WG_JAVA_JAR" up} "$work/$iface.conf" >"$work/$iface.log" 2>&1 &
  pids+=($!)
  wait_link "$ns" "$iface" || { cat "$work/$iface.log" >&2; return 1; }
  sleep 0.5
}

stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}

# iperf3 A -> B, receiver throughput in Mbit/s
tcp() { # target streams
  ip netns exec "$A" iperf3 -c "$1" -P "$2" -t "$DURATION" -O "$OMIT" -f m 2>&1 \
    | awk '/receiver/ {v=$(NF-2)} END {if (v == "") print "fail"; else print v}'
}

rtt() { # target -> average ms
  ip netns exec "$A" ping -q -c 20 -i 0.05 -W 2 "$1" 2>&1 \
    | awk -F/ '/^rtt|^round-trip/ {print $5} END {}' | grep . || echo fail
}

median() { # values... -> the median (fail if any run failed)
  printf '%s\n' "$@" | grep -q fail && { echo fail; return; }
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'
}

once() { # target streams -> Mbit/s, against a one-shot server in B
  ip netns exec "$B" iperf3 -s -1 >/dev/null 2>&1 & local s=$!
  sleep 0.3
  tcp "$1" "$2"
  wait $s 2>/dev/null || true
}

measure() { # label target
  local label=$1 target=$2 i
  # warm the path (handshake) before timing anything
  ip netns exec "$A" ping -q -c 3 -i 0.2 -W 5 "$target" >/dev/null 2>&1 || true
  local r=() t1=() t4=()
  for ((i = 0; i < RUNS; i++)); do
    r+=("$(rtt "$target")")
    t1+=("$(once "$target" 1)")
    t4+=("$(once "$target" 4)")
  done
  printf '| %-30s | %12s | %12s | %10s |\n' "$label" "$(median "${t1[@]}")" "$(median "${t4[@]}")" "$(median "${r[@]}")"
}

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# iperf3 -t $DURATION -O $OMIT, A -> B, median of $RUNS run(s); JVM: $("$JAVA" -version 2>&1 | head -1)"
printf '| %-30s | %12s | %12s | %10s |\n' "path" "TCP 1 Mbit/s" "TCP 4 Mbit/s" "ping ms"
printf '|%s|%s|%s|%s|\n' "--------------------------------" "--------------" "--------------" "------------"

for row in $ROWS; do
  case $row in
    veth)
      measure "bare veth" 10.200.0.2 ;;
    wggo)
      start_wggo a "$A" ${id}ga; start_wggo b "$B" ${id}gb
      measure "wireguard-go <-> wireguard-go" 10.100.0.2
      stop_all ;;
    ours-wggo)
      if [ ! -f "$WG_JAVA_JAR" ]; then echo "| ours <-> wireguard-go: $WG_JAVA_JAR missing (mvn -B -q package -DskipTests) |"; continue; fi
      start_ours a "$A" ${id}ja && start_wggo b "$B" ${id}gb && measure "ours <-> wireguard-go" 10.100.0.2
      stop_all ;;
    ours-ours)
      if [ ! -f "$WG_JAVA_JAR" ]; then echo "| ours <-> ours: $WG_JAVA_JAR missing |"; continue; fi
      start_ours a "$A" ${id}ja && start_ours b "$B" ${id}jb && measure "ours <-> ours" 10.100.0.2
      stop_all ;;
    *) echo "unknown row $row" >&2; exit 2 ;;
  esac
done
