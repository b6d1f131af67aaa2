# Shared set-up of the netns benchmarks (sourced by bench/throughput.sh and bench/netstack.sh):
# root and tool checks, unique names, network namespaces joined by veth pairs, wireguard-go and
# `wg-java up` started in a namespace, background processes stopped and namespaces deleted on exit.
# Each script sets BENCH (its name, for messages) before sourcing this file.

# bench_require TOOL...: exits unless root and every tool is on the PATH.
bench_require() {
  [ "$(id -u)" = 0 ] || { echo "$BENCH: run as root" >&2; exit 1; }
  for t in "$@"; do
    command -v "$t" >/dev/null || { echo "$BENCH: $t is missing (bash .ci/install-deps)" >&2; exit 1; }
  done
}

# Unique per run: prefix of every namespace, interface and socket name ($1 two letters).
bench_init() { # prefix
  id=$1$(printf '%04x' $((RANDOM % 65536)))
  work=$(mktemp -d)
  chmod 755 "$work" # unprivileged runs read jars and classes from here
  pids=()
  namespaces=()
  trap bench_cleanup EXIT INT TERM
}

bench_cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
  done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -f /var/run/wireguard/${id}*.sock
  rm -rf "$work"
}

ns_add() { # ns...
  for ns in "$@"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    namespaces+=("$ns")
  done
}

veth() { # nsA devA addrA/len nsB devB addrB/len
  ip link add "$2" netns "$1" type veth peer name "$5" netns "$4"
  ip -n "$1" addr add "$3" dev "$2"
  ip -n "$4" addr add "$6" dev "$5"
  ip -n "$1" link set "$2" up
  ip -n "$4" link set "$5" up
}

wait_link() { # ns iface
  for _ in $(seq 150); do
    ip -n "$1" link show "$2" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "$BENCH: $2 did not appear in $1" >&2
  return 1
}

# wggo_up NS IFACE CONF [BINARY]: wireguard-go on IFACE, configured from the wg-quick file CONF
# (its Address lines become addresses of the link), MTU 1420.
wggo_up() {
  local ns=$1 iface=$2 conf=$3 bin=${4:-wireguard-go}
  ip netns exec "$ns" env WG_PROCESS_FOREGROUND=1 "$bin" -f "$iface" >"$work/$iface.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -S /var/run/wireguard/$iface.sock ] && break; sleep 0.05; done
  wg setconf "$iface" <(grep -v -e '^Address' -e '^DNS' -e '^MTU' "$conf")
  local a
  for a in $(sed -n 's/^Address = //p' "$conf" | tr ',' ' '); do
    ip -n "$ns" addr add "$a" dev "$iface" $([[ $a == *:* ]] && echo nodad)
  done
  ip -n "$ns" link set "$iface" mtu 1420 up
}

# wgjava_up NS CONF: `wg-java up CONF` (a TUN named after the file) in NS, in the background.
wgjava_up() {
  local ns=$1 conf=$2 iface
  iface=$(basename "$conf" .conf)
  # shellcheck disable=SC2086
  ip netns exec "$ns" ${WG_JAVA_UP:-"$JAVA" $JAVA_OPTS -jar "$WG_JAVA_JAR" up} "$conf" >"$work/$iface.log" 2>&1 &
  pids+=($!)
  wait_link "$ns" "$iface" || { cat "$work/$iface.log" >&2; return 1; }
  sleep 0.5
}

stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}

median() { # values... -> the median (fail if any run failed)
  printf '%s\n' "$@" | grep -q fail && { echo fail; return; }
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'
}

machine_line() {
  echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
}
