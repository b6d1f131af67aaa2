#!/usr/bin/env bash
# Bulk TCP through our userspace stack (TunnelNetwork: no TUN, run as nobody) against the Linux
# kernel's TCP over `wg-java up` (a TUN) on the same engine, in one run, on the same namespaces and
# peer (wireguard-go on a TUN in its own namespace), both directions, on a clean path and on an
# impaired one (every tunnel datagram through a delay relay, DELAY_MS each way, and LOSS % of them
# dropped by nftables). The same bulk tool on both sides and in both cases: the lab's LabAgent
# (plain JDK sockets for the kernel, TunnelNetwork for ours), DURATION seconds of writing, goodput
# measured by the receiver. Then iperf3 through `wg-java forward -L` against iperf3 over
# `wg-java up`. Prints one table with the ratio ours/kernel.
#
#   ours (A) ==veth== relay (R: kernel forwarding | UdpDelayRelay + nft loss) ==veth== peer (B)
#
# Usage (as root):  bench/netstack.sh      after  mvn -B -q -o package -DskipTests
#   DURATION=10         seconds of writing per transfer
#   DELAY_MS=10 LOSS=1  the impaired path: one-way delay (10 = 20 ms more round trip), loss %
#   JAVA=java JAVA_OPTS=   the JVM for both our rows (and the bulk tool)
#   WG_JAVA_JAR=examples/target/wg-java.jar  CLASSES=examples/target/test-classes
#   WIREGUARD_GO=        the peer (default: the current build under shared/tools, else Debian's)
#   ROWS="clean impaired forward"
#   KERNEL_CC="cubic bbr"  the kernel's congestion control, one set of rows each
#   NAME_PREFIX=nb         namespaces and interfaces start with it (two benches at once: differ)
#   DIAG=1               `ss -tin` of the peer's kernel sender half-way through peer -> ours (stderr)
# Impaired rows also print the loss each transfer saw: datagrams the relay sent and nft dropped per
# direction, datagrams the relay's full receive buffer lost (should be 0), and the sender's segments
# and retransmissions (the kernel's /proc/net/snmp, our stats); then, on a second line: the
# sender's recovery episodes, retransmission timeouts and D-SACKs received (spurious
# retransmissions; kernel: TcpExt TCPSackRecovery, TCPTimeouts, TCPDSACKRecv), the datagrams the
# relay's full queue dropped or saw out of order (WireGuard counters), UDP receive-buffer drops in
# each namespace (Udp RcvbufErrors) and a kernel receiver's out-of-order drops: losses nft does
# not count.
# Needs: ip, wg, nft, iperf3, setpriv, sysctl. Cleans up its namespaces on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
DELAY_MS=${DELAY_MS:-10}
LOSS=${LOSS:-1}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
WG_JAVA_JAR=${WG_JAVA_JAR:-examples/target/wg-java.jar}
CLASSES=${CLASSES:-examples/target/test-classes}
ROWS=${ROWS:-"clean impaired forward"}
# Congestion control of the kernel's TCP in both namespaces (the sender's side decides): each one
# listed gets its own rows, ours included (for peer -> ours the peer's kernel is the sender).
# Linux defaults to cubic; a host may have set bbr, which does not take random loss for
# congestion and so is a different comparison on the impaired path.
KERNEL_CC=${KERNEL_CC:-"cubic bbr"}
AGENT=io.wireguardjava.examples.lab.LabAgent
RELAY=io.wireguardjava.examples.lab.UdpDelayRelay

BENCH=netstack.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_require ip wg nft iperf3 setpriv sysctl
for f in "$WG_JAVA_JAR" "$CLASSES/${AGENT//.//}.class"; do
  [ -f "$f" ] || { echo "$BENCH: $f is missing (mvn -B -q -o package -DskipTests)" >&2; exit 1; }
done
if [ -z "${WIREGUARD_GO:-}" ]; then
  WIREGUARD_GO=$(ls -d "$PWD"/../shared/tools/wireguard-go-*/wireguard-go "$PWD"/../../shared/tools/wireguard-go-*/wireguard-go \
    2>/dev/null | sort | tail -1 || true)
  WIREGUARD_GO=${WIREGUARD_GO:-$(command -v wireguard-go)}
fi

bench_init "${NAME_PREFIX:-nb}"
A=${id}-a R=${id}-r B=${id}-b
ns_add "$A" "$R" "$B"
veth "$A" ${id}xa 192.168.201.1/24 "$R" ${id}xb 192.168.201.2/24
veth "$R" ${id}ya 192.168.202.1/24 "$B" ${id}yb 192.168.202.2/24
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
ip -n "$A" route add 192.168.202.0/24 via 192.168.201.2
ip -n "$B" route add 192.168.201.0/24 via 192.168.202.1
# Loss on what the relay sends, counted per direction (to the peer B, back to our side A) so
# every impaired transfer reports the loss it actually saw; the clean path is forwarded, not sent,
# by R, so these rules never touch it.
ip netns exec "$R" nft -f - <<NFT
table inet ${id}loss {
  counter tob {}
  counter dropb {}
  counter toa {}
  counter dropa {}
  chain out {
    type filter hook output priority 0;
    ip daddr 192.168.202.2 meta l4proto udp counter name tob
    ip daddr 192.168.202.2 meta l4proto udp numgen random mod 100 < $LOSS counter name dropb drop
    ip daddr 192.168.201.1 meta l4proto udp counter name toa
    ip daddr 192.168.201.1 meta l4proto udp numgen random mod 100 < $LOSS counter name dropa drop
  }
}
NFT

# What nobody runs must be world-readable: a copy of the jar and the lab classes.
pub=$work/pub
mkdir -p "$pub/classes/io/wireguardjava/examples"
cp "$WG_JAVA_JAR" "$pub/wg-java.jar"
cp -r "$CLASSES/io/wireguardjava/examples/lab" "$pub/classes/io/wireguardjava/examples/"
chmod -R a+rX "$pub"
cp_lab="$pub/classes:$pub/wg-java.jar"

ka=$(wg genkey) kb=$(wg genkey)
pa=$(wg pubkey <<<"$ka") pb=$(wg pubkey <<<"$kb")
printf '[Interface]\nPrivateKey = %s\nListenPort = 51820\nAddress = 10.201.0.1/24\n\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.201.0.2/32\n' \
  "$kb" "$pa" >"$work/peer.conf"
wggo_up "$B" ${id}g "$work/peer.conf" "$WIREGUARD_GO"

mkfifo "$work/relay.in"
exec 9<>"$work/relay.in" # the relay runs until its stdin ends: we hold it open
ip netns exec "$R" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
  "$JAVA" -cp "$cp_lab" $RELAY 192.168.201.2:51999 192.168.202.2:51820 "$DELAY_MS" <"$work/relay.in" >"$work/relay.log" 2>&1 &
pids+=($!)

# ours_conf NAME clean|impaired: our side's wg-quick file, readable only by nobody
ours_conf() {
  local ep=192.168.202.2:51820
  [ "$2" = impaired ] && ep=192.168.201.2:51999
  printf '[Interface]\nPrivateKey = %s\nAddress = 10.201.0.2/24\nMTU = 1420\n\n[Peer]\nPublicKey = %s\nEndpoint = %s\nAllowedIPs = 10.201.0.0/24\nPersistentKeepalive = 25\n' \
    "$ka" "$pb" "$ep" >"$work/$1.conf"
  chown 65534:65534 "$work/$1.conf"
  chmod 600 "$work/$1.conf"
}

# spawn_as_nobody replaces the (sub)shell it runs in: `spawn_as_nobody ... &` makes $! the process
# itself, so killing $! stops it (a backgrounded function is a subshell whose child outlives a kill)
spawn_as_nobody() { # ns cmd...
  local ns=$1; shift
  exec ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}
as_nobody() { # ns cmd...
  (spawn_as_nobody "$@")
}

# agent_ours MODE... -- the bulk tool on our side (as nobody); agent_peer -- on the peer (kernel)
agent_ours() { # shellcheck disable=SC2086
  as_nobody "$A" "$JAVA" $JAVA_OPTS -cp "$cp_lab" $AGENT "$@"
}
agent_peer() { # shellcheck disable=SC2086
  ip netns exec "$B" "$JAVA" $JAVA_OPTS -cp "$cp_lab" $AGENT kernel "$@"
}

# rate FILE: Mbit/s from the receiver's "0 ok BYTES SHA MILLIS", else fail
rate() {
  awk '$2 == "ok" && NF == 5 {printf "%.1f", $3 * 8 / $5 / 1000; ok = 1} END {if (!ok) print "fail"}' "$1"
}

wait_listening() { # file
  for _ in $(seq 200); do grep -q '^0 listening' "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# a_to_b MODE...: our side sends for DURATION seconds to the peer's receiver
a_to_b() {
  local out=$work/a2b.out
  agent_peer once serve-recv 7001 >"$out" 2>&1 & local r=$!
  wait_listening "$out" || { echo fail; return; }
  agent_ours "$@" once send 10.201.0.1 7001 "${DURATION}s" >"$work/a2b.send" 2>&1 || true
  wait $r 2>/dev/null || true
  rate "$out"
}

# b_to_a MODE...: the peer sends for DURATION seconds to our receiver
b_to_a() {
  local out=$work/b2a.out
  agent_ours "$@" once serve-recv 7002 >"$out" 2>&1 & local r=$!
  wait_listening "$out" || { echo fail; return; }
  sleep 1 # our persistent keepalive tells the peer our endpoint
  agent_peer once send 10.201.0.2 7002 "${DURATION}s" >"$work/b2a.send" 2>&1 &
  local w=$!
  if [ -n "${DIAG:-}" ]; then # what limits the peer's kernel sender, half-way through
    sleep $((DURATION / 2 + 1))
    ip netns exec "$B" ss -tin dst 10.201.0.2 | sed 's/^/#   ss: /' >&2
  fi
  wait $w || true
  wait $r 2>/dev/null || true
  rate "$out"
}

# iperf_over TARGET PORT [-R]: iperf3 from A (as nobody) against a one-shot server on the peer
iperf_over() {
  ip netns exec "$B" iperf3 -s -1 -B 10.201.0.1 -p 5201 >/dev/null 2>&1 & local s=$!
  sleep 0.3
  as_nobody "$A" iperf3 -c "$1" -p "$2" -t "$DURATION" -f m ${3:-} 2>&1 \
    | awk '/receiver/ {v=$(NF-2)} END {if (v == "") print "fail"; else print v}'
  kill $s 2>/dev/null || true
  wait $s 2>/dev/null || true
}

# Loss accounting of the impaired path: nft counters in R, TCP counters of the sender.
nft_reset() { ip netns exec "$R" nft reset counters table inet ${id}loss >/dev/null; }
nft_packets() { # counter name
  ip netns exec "$R" nft list counter inet ${id}loss "$1" | awk '/packets/ {print $2}'
}
snmp() { # ns field [table [file]]: a counter of /proc/net/snmp (Tcp: unless told) in ns
  ip netns exec "$1" awk -v f="$2" -v t="${3:-Tcp}:" '$1 == t { if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 } else print $c[f] }' "${4:-/proc/net/snmp}"
}
tcpext() { snmp "$1" "$2" TcpExt /proc/net/netstat; } # ns field
rcvbuf_all() { echo "$(snmp "$A" RcvbufErrors Udp) $(snmp "$R" RcvbufErrors Udp) $(snmp "$B" RcvbufErrors Udp)"; }
# ofo_all: in A and B, out-of-order segments a kernel receiver dropped for memory (TCPOFODrop) and
# dropped after SACKing them (OfoPruned: SACK reneging), as "a_ofodrop a_pruned b_ofodrop b_pruned"
ofo_all() { echo "$(tcpext "$A" TCPOFODrop) $(tcpext "$A" OfoPruned) $(tcpext "$B" TCPOFODrop) $(tcpext "$B" OfoPruned)"; }
relay_stats() { # the relay's counts since the last call (the stats line it prints when asked)
  local before
  before=$(grep -c '^stats' "$work/relay.log" || true)
  echo stats >&9
  for _ in $(seq 50); do
    [ "$(grep -c '^stats' "$work/relay.log" || true)" -gt "$before" ] && break
    sleep 0.1
  done
  grep '^stats' "$work/relay.log" | tail -1 || true
}
# more LABEL DIR RECOVERIES TIMEOUTS DSACKS RCVBUF_BEFORE RCVBUF_AFTER RELAY_LINE OFO_BEFORE OFO_AFTER:
# the second line (the kernel receiver's out-of-order drops only where a kernel receives)
more() {
  awk -v l="$1" -v dir="$2" -v fr="$3" -v to="$4" -v ds="$5" -v b0="$6" -v b1="$7" -v rl="$8" -v o0="$9" -v o1="${10}" 'BEGIN {
    split(b0, x, " "); split(b1, y, " "); split(o0, p, " "); split(o1, q, " "); n = split(rl, f, " ")
    k = dir == "b" ? 3 : 1; od = q[k] - p[k]; op = q[k + 1] - p[k + 1]
    for (i = 1; i <= n; i++) { if (f[i] == "toTarget" || f[i] == "toClient") d = f[i]; else if (split(f[i], kv, "=") == 2) v[d, kv[1]] = kv[2] }
    dd = dir == "b" ? "toTarget" : "toClient"; ad = dir == "b" ? "toClient" : "toTarget"
    printf "#   %-26s sender: %5d recoveries, %3d timeouts, %5d D-SACKs; relay: data %d queue-full, %d reordered, acks %d queue-full, %d reordered; udp rcvbuf drops A/R/B: %d/%d/%d; kernel receiver ofo drops %d, pruned %d\n",
      "", fr, to, ds, v[dd, "queueFull"], v[dd, "reordered"], v[ad, "queueFull"], v[ad, "reordered"], y[1] - x[1], y[2] - x[2], y[3] - x[3], od, op }'
}
# seen LABEL DIR SENDER_SEGS SENDER_RETRANS: one line on the loss a transfer saw (DIR b: data
# towards the peer; a: data towards us) and what the sender did about it
seen() {
  local data ddrop acks adrop overflow
  # datagrams the relay itself could not take in (its socket's receive buffer was full): loss on
  # top of nft's, which the path is not meant to have
  overflow=$(($(udp_errors "$R") - relay_errors0))
  if [ "$2" = b ]; then
    data=$(nft_packets tob) ddrop=$(nft_packets dropb) acks=$(nft_packets toa) adrop=$(nft_packets dropa)
  else
    data=$(nft_packets toa) ddrop=$(nft_packets dropa) acks=$(nft_packets tob) adrop=$(nft_packets dropb)
  fi
  awk -v l="$1" -v d="$data" -v dd="$ddrop" -v a="$acks" -v ad="$adrop" -v s="$3" -v r="$4" -v o="$overflow" 'BEGIN {
    printf "#   %-26s data: %7d datagrams, %5d dropped (%.2f %%); acks: %6d, %4d dropped (%.2f %%); relay overflow: %d; sender: %7d segments, %5d retransmitted (%.2f %%)\n",
      l, d, dd, d ? 100 * dd / d : 0, a, ad, a ? 100 * ad / a : 0, o, s, r, s ? 100 * r / s : 0 }'
}
udp_errors() { # ns: the Udp RcvbufErrors of /proc/net/snmp in ns
  ip netns exec "$1" awk '$1 == "Udp:" { if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 } else print $c["RcvbufErrors"] }' /proc/net/snmp
}
ours_stat() { # file field
  sed -n "s/.*stats .*\b$2=\([0-9]*\).*/\1/p" "$1" | tail -1
}

ratio() { # ours kernel
  if [[ $1 == fail || $2 == fail ]]; then echo "-"; else awk -v o="$1" -v k="$2" 'BEGIN {printf "%.0f %%", 100 * o / k}'; fi
}

row() { # label kernel ours
  printf '| %-42s | %15s | %14s | %11s |\n' "$1" "$2" "$3" "$(ratio "$3" "$2")"
}

kernel_up() { # clean|impaired -> brings up wg-java up (TUN) in A
  ours_conf ${id}k "$1"
  wgjava_up "$A" "$work/${id}k.conf"
}

machine_line
echo "# $DURATION s per transfer, goodput at the receiver, Mbit/s; peer: $WIREGUARD_GO; JVM: $("$JAVA" -version 2>&1 | head -1)"
echo "# kernel TCP congestion control per row (both namespaces; host default: $(sysctl -n net.ipv4.tcp_congestion_control)); ours: our stack's own"
echo "# impaired: $DELAY_MS ms each way through a UDP relay (+$((2 * DELAY_MS)) ms round trip), $LOSS % of tunnel datagrams dropped"
printf '| %-42s | %15s | %14s | %11s |\n' "transfer" "kernel TCP, TUN" "our stack" "ours/kernel"
printf '|%s|%s|%s|%s|\n' "--------------------------------------------" "-----------------" "----------------" "-------------"

# A namespace may only pick an algorithm of the host's allowed list (tcp_allowed_congestion_control,
# global): add the ones asked for, and put the list back on exit.
allowed_before=$(sysctl -n net.ipv4.tcp_allowed_congestion_control)
allowed=$allowed_before
for cc in $KERNEL_CC; do
  [[ " $allowed " == *" $cc "* ]] || allowed="$allowed $cc"
done
if [ "$allowed" != "$allowed_before" ]; then
  sysctl -qw net.ipv4.tcp_allowed_congestion_control="$allowed"
  trap 'sysctl -qw net.ipv4.tcp_allowed_congestion_control="$allowed_before"; bench_cleanup' EXIT INT TERM
fi

set_cc() { # cc: the kernel TCP congestion control in A and B
  ip netns exec "$A" sysctl -qw net.ipv4.tcp_congestion_control="$1"
  ip netns exec "$B" sysctl -qw net.ipv4.tcp_congestion_control="$1"
}

rows=()
for row in $ROWS; do
  case $row in
    clean|impaired) for cc in $KERNEL_CC; do rows+=("$row:$cc"); done ;;
    *) rows+=("$row") ;;
  esac
done

for rowcc in "${rows[@]}"; do
  row=${rowcc%%:*} cc=${rowcc#*:}
  case $row in
    clean|impaired)
      set_cc "$cc"
      kernel_up "$row"
      seen_lines=()
      # each transfer: counters reset, the transfer, the loss it saw (impaired only)
      measure() { # label dir sender-ns-or-ours fn args...
        local label=$1 dir=$2 who=$3 s0=0 r0=0 f0=0 t0=0 d0=0 b0 o0 v rl; shift 3
        nft_reset
        relay_errors0=$(udp_errors "$R")
        [ "$row" = impaired ] && relay_stats >/dev/null
        b0=$(rcvbuf_all) o0=$(ofo_all)
        if [ "$who" != ours ]; then
          s0=$(snmp "$who" OutSegs) r0=$(snmp "$who" RetransSegs)
          f0=$(tcpext "$who" TCPSackRecovery) t0=$(tcpext "$who" TCPTimeouts) d0=$(tcpext "$who" TCPDSACKRecv)
        fi
        v=$("$@")
        if [ "$row" = impaired ]; then
          rl=$(relay_stats)
          if [ "$who" = ours ]; then
            seen_lines+=("$(seen "$label" "$dir" "$(ours_stat "$work/a2b.send" packetsSent)" "$(ours_stat "$work/a2b.send" tcpRetransmitted)")")
            seen_lines+=("$(more "$label" "$dir" "$(ours_stat "$work/a2b.send" tcpFastRetransmits)" "$(ours_stat "$work/a2b.send" tcpTimeouts)" "$(ours_stat "$work/a2b.send" tcpSpurious)" "$b0" "$(rcvbuf_all)" "$rl" "$o0" "$(ofo_all)")")
          else
            seen_lines+=("$(seen "$label" "$dir" $(($(snmp "$who" OutSegs) - s0)) $(($(snmp "$who" RetransSegs) - r0)))")
            seen_lines+=("$(more "$label" "$dir" $(($(tcpext "$who" TCPSackRecovery) - f0)) $(($(tcpext "$who" TCPTimeouts) - t0)) $(($(tcpext "$who" TCPDSACKRecv) - d0)) "$b0" "$(rcvbuf_all)" "$rl" "$o0" "$(ofo_all)")")
          fi
        fi
        echo "$v" >"$work/measured"
      }
      measure "kernel: ours -> peer" b "$A" a_to_b kernel; k1=$(cat "$work/measured")
      measure "kernel: peer -> ours" a "$B" b_to_a kernel; k2=$(cat "$work/measured")
      kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
      ours_conf ${id}n "$row"
      measure "ours: ours -> peer" b ours a_to_b tunnel "$work/${id}n.conf"; o1=$(cat "$work/measured")
      measure "ours: peer -> ours" a "$B" b_to_a tunnel "$work/${id}n.conf"; o2=$(cat "$work/measured")
      row "$row, kernel $cc: ours -> peer" "$k1" "$o1"
      row "$row, kernel $cc: peer -> ours" "$k2" "$o2"
      [ ${#seen_lines[@]} -gt 0 ] && printf '%s\n' "${seen_lines[@]}" ;;
    forward)
      set_cc "${KERNEL_CC%% *}"
      if ! unzip -l "$WG_JAVA_JAR" 2>/dev/null | grep -q 'cli/ForwardCommand.class' \
          && ! "$JAVA" -cp "$WG_JAVA_JAR" io.wireguardjava.examples.cli.WgJava forward --help >/dev/null 2>&1; then
        row "iperf3 (no 'forward' in the jar)" "-" "-"; continue
      fi
      kernel_up clean
      k1=$(iperf_over 10.201.0.1 5201) k2=$(iperf_over 10.201.0.1 5201 -R)
      kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
      ours_conf ${id}f clean
      spawn_as_nobody "$A" "$JAVA" $JAVA_OPTS -jar "$pub/wg-java.jar" forward "$work/${id}f.conf" \
        -L 127.0.0.1:5201:10.201.0.1:5201 >"$work/forward.log" 2>&1 &
      pids+=($!)
      for _ in $(seq 100); do grep -q 5201 "$work/forward.log" && break; sleep 0.1; done
      o1=$(iperf_over 127.0.0.1 5201) o2=$(iperf_over 127.0.0.1 5201 -R)
      kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
      row "iperf3 -L forward: ours -> peer" "$k1" "$o1"
      row "iperf3 -L forward: peer -> ours" "$k2" "$o2" ;;
    *) echo "unknown row $row" >&2; exit 2 ;;
  esac
done
