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

BENCH=throughput.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_require ip iperf3 ping wireguard-go wg
bench_init wb
A=${id}a B=${id}b
ns_add "$A" "$B"
veth "$A" ${id}va 10.200.0.1/24 "$B" ${id}vb 10.200.0.2/24

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

start_wggo() { # side ns iface
  conf "$1" "$3"
  wggo_up "$2" "$3" "$work/$3.conf"
}

start_ours() { # side ns iface
  conf "$1" "$3"
  wgjava_up "$2" "$work/$3.conf"
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

machine_line
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
