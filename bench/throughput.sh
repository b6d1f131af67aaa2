#!/usr/bin/env bash
# Throughput and latency of WireGuard implementations between two network namespaces joined by
# a veth pair, in one run, on this machine (issue 15's matrix). Prints one table:
#   bare veth | ours <-> ours | ours <-> current wireguard-go | current wireguard-go pair |
#   Debian's wireguard-go pair
# with iperf3 TCP one stream A -> B and B -> A, four streams A -> B, ping RTT through each (twice:
# the first 20 pings after the handshake, while a JVM still runs much of its path interpreted, and
# 100 pings after the iperf3 runs, warm), and the CPU side A's process used per Gbit it sent (one
# stream A -> B). With STRACE=1, a second table: syscalls per MB of side A (strace -c -f during a
# 20 MB transfer; strace slows the process, so this is a separate run and its speed means nothing).
#
# Usage (as root):  bench/throughput.sh
#   DURATION=10        seconds per iperf3 run (plus OMIT=2 seconds of warm-up not counted)
#   JAVA=java          the JVM for our rows (e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   JAVA_OPTS=         extra JVM options
#   WG_JAVA_JAR=examples/target/wg-java.jar   built by `mvn -B -q package -DskipTests`
#   WG_JAVA_UP=        the command that runs `wg-java up FILE` (default: $JAVA $JAVA_OPTS -jar $WG_JAVA_JAR up)
#   WIREGUARD_GO=../shared/tools/wireguard-go-0.0.20250522/wireguard-go   the current build
#   ROWS="veth ours-ours ours-wggo wggo-current wggo-debian"   which rows to run
#   RUNS=1             runs per figure; the table shows the median
#   STRACE=0           1: also count syscalls per MB
# Needs: ip, iperf3, ping, wireguard-go (Debian's, on PATH), wg; strace for STRACE=1. Cleans up
# its namespaces on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
OMIT=${OMIT:-2}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
WG_JAVA_JAR=${WG_JAVA_JAR:-examples/target/wg-java.jar}
ROWS=${ROWS:-"veth ours-ours ours-wggo wggo-current wggo-debian"}
RUNS=${RUNS:-1}
STRACE=${STRACE:-0}
shared=$(pwd)/../shared
[ -d "$shared/tools" ] || shared=/work/shared
WIREGUARD_GO=${WIREGUARD_GO:-$shared/tools/wireguard-go-0.0.20250522/wireguard-go}

BENCH=throughput.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_require ip iperf3 ping wireguard-go wg
[ -x "$WIREGUARD_GO" ] || { echo "$BENCH: current wireguard-go $WIREGUARD_GO missing" >&2; exit 1; }
[ "$STRACE" = 1 ] && bench_require strace
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

start_wggo() { # side ns iface [binary]
  conf "$1" "$3"
  wggo_up "$2" "$3" "$work/$3.conf" "${4:-wireguard-go}"
}

start_ours() { # side ns iface
  conf "$1" "$3"
  wgjava_up "$2" "$work/$3.conf"
}

# CPU ticks (user + system) of process $1 so far
ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# iperf3 one run against a one-shot server in B; prints the receiver's Mbit/s
once() { # target streams [-R]
  ip netns exec "$B" iperf3 -s -1 >/dev/null 2>&1 & local s=$!
  sleep 0.3
  ip netns exec "$A" iperf3 -c "$1" -P "$2" ${3:-} -t "$DURATION" -O "$OMIT" -f m 2>&1 \
    | awk '/receiver/ {v=$(NF-2)} END {if (v == "") print "fail"; else print v}'
  # the client has the receiver's figure; a server whose client failed would wait forever
  kill $s 2>/dev/null || true
  wait $s 2>/dev/null || true
}

rtt() { # target [count interval] -> average ms
  ip netns exec "$A" ping -q -c "${2:-20}" -i "${3:-0.05}" -W 2 "$1" 2>&1 \
    | awk -F/ '/^rtt|^round-trip/ {print $5} END {}' | grep . || echo fail
}

# one stream A -> B while counting side A's CPU: prints "Mbit/s cpu-seconds-per-Gbit"
sent_with_cpu() { # target pidA
  local hz before after mbit
  hz=$(getconf CLK_TCK)
  before=$(ticks "$2")
  mbit=$(once "$1" 1)
  after=$(ticks "$2")
  if [ "$mbit" = fail ]; then echo "fail fail"; return; fi
  # CPU seconds over the whole run (warm-up included) per Gbit counted by iperf3
  awk -v t=$((after - before)) -v hz="$hz" -v m="$mbit" -v d="$DURATION" -v o="$OMIT" \
    'BEGIN {gbit = m * d / 1000; printf "%s %.2f\n", m, (gbit > 0 ? t / hz * d / (d + o) / gbit : 0)}'
}

syscalls_per_mb() { # target pidA
  local out=$work/strace.txt
  ip netns exec "$B" iperf3 -s -1 >/dev/null 2>&1 & local s=$!
  sleep 0.3
  strace -c -f -q -p "$2" -o "$out" & local st=$!
  sleep 1
  timeout 120 ip netns exec "$A" iperf3 -c "$1" -n 20M -f m >/dev/null 2>&1 || true
  kill -INT "$st" 2>/dev/null || true
  wait "$st" 2>/dev/null || true
  wait $s 2>/dev/null || true
  # total per MB | the five most frequent calls per MB (strace -c: calls is the 4th column)
  awk '$NF == "total" {t = $4 / 20}
       $1 ~ /^[0-9.]+$/ && $NF != "total" {c[$NF] = $4}
       END {if (t == "") {print "fail | -"; exit}
            n = 0; for (k in c) {keys[++n] = k}
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
              if (c[keys[j]] > c[keys[i]]) {x = keys[i]; keys[i] = keys[j]; keys[j] = x}
            top = ""; for (i = 1; i <= n && i <= 5; i++) top = top sprintf("%s%s %.1f", (i > 1 ? ", " : ""), keys[i], c[keys[i]] / 20)
            printf "%.1f | %s\n", t, top}' "$out" 2>/dev/null || echo "fail | -"
}

pid_a() { # the process of side A (the first started)
  echo "${pids[0]:-}"
}

measure() { # label target
  local label=$1 target=$2 i pa
  pa=$(pid_a)
  # warm the path (handshake) before timing anything
  ip netns exec "$A" ping -q -c 3 -i 0.2 -W 5 "$target" >/dev/null 2>&1 || true
  local r=() rw=() t1=() tr=() t4=() cpu=()
  for ((i = 0; i < RUNS; i++)); do
    r+=("$(rtt "$target")")
    if [ -n "$pa" ]; then
      read -r m c < <(sent_with_cpu "$target" "$pa")
      t1+=("$m"); cpu+=("$c")
    else
      t1+=("$(once "$target" 1)"); cpu+=("-")
    fi
    tr+=("$(once "$target" 1 -R)")
    t4+=("$(once "$target" 4)")
    rw+=("$(rtt "$target" 100 0.01)")
  done
  local c=-
  [ -n "$pa" ] && c=$(median "${cpu[@]}")
  printf '| %-34s | %10s | %10s | %10s | %8s | %8s | %12s |\n' "$label" "$(median "${t1[@]}")" \
    "$(median "${tr[@]}")" "$(median "${t4[@]}")" "$(median "${r[@]}")" "$(median "${rw[@]}")" "$c"
  if [ "$STRACE" = 1 ] && [ -n "$pa" ]; then
    straced+=("| $label | $(syscalls_per_mb "$target" "$pa") |")
  fi
}

need_jar() {
  [ -f "$WG_JAVA_JAR" ] || { echo "| $1: $WG_JAVA_JAR missing (mvn -B -q package -DskipTests) |"; return 1; }
}

straced=()
machine_line
echo "# iperf3 -t $DURATION -O $OMIT, median of $RUNS run(s); JVM: $("$JAVA" -version 2>&1 | head -1)"
echo "# current wireguard-go: $("$WIREGUARD_GO" --version 2>&1 | head -1); Debian's: $(wireguard-go --version 2>&1 | head -1)"
echo "# ping ms: the first 20 pings (0.05 s apart) after the handshake; warm ms: 100 pings (0.01 s"
echo "# apart) after the iperf3 runs. CPU s/Gbit: CPU time of side A's process per Gbit it sent"
printf '| %-34s | %10s | %10s | %10s | %8s | %8s | %12s |\n' "path" "1 A->B" "1 B->A" "4 A->B" "ping ms" "warm ms" "CPU s/Gbit A"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "------------------------------------" "------------" "------------" "------------" "----------" "----------" "--------------"

for row in $ROWS; do
  case $row in
    veth)
      measure "bare veth (Mbit/s)" 10.200.0.2 ;;
    ours-ours)
      need_jar "ours <-> ours" || continue
      start_ours a "$A" ${id}ja && start_ours b "$B" ${id}jb && measure "ours <-> ours" 10.100.0.2
      stop_all ;;
    ours-wggo)
      need_jar "ours <-> current wireguard-go" || continue
      start_ours a "$A" ${id}ja && start_wggo b "$B" ${id}gb "$WIREGUARD_GO" \
        && measure "ours <-> current wireguard-go" 10.100.0.2
      stop_all ;;
    wggo-current)
      start_wggo a "$A" ${id}ga "$WIREGUARD_GO"; start_wggo b "$B" ${id}gb "$WIREGUARD_GO"
      measure "current wireguard-go pair" 10.100.0.2
      stop_all ;;
    wggo-debian)
      start_wggo a "$A" ${id}ga; start_wggo b "$B" ${id}gb
      measure "Debian's wireguard-go pair" 10.100.0.2
      stop_all ;;
    *) echo "unknown row $row" >&2; exit 2 ;;
  esac
done

if [ "$STRACE" = 1 ]; then
  echo
  echo "# syscalls per MB sent by side A (strace -c -f, 20 MB one stream A -> B; a separate run)"
  echo "| path | syscalls/MB | most frequent (per MB) |"
  echo "|---|---|---|"
  printf '%s\n' "${straced[@]}"
fi
