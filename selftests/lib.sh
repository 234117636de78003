#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lib.sh: shared helpers of the nfgate selftests, sourced by every
# nfgate_*.sh test: the environment checks (VM only, root, built artefacts),
# the client - router - server network namespace topology, loading the module,
# running the CLI in a namespace, reading counters from its output and the
# assert helpers.  Tests call the assert helpers, which only record failures;
# they end with "exit $ret".
#
#   client veth0 192.0.2.2/24 -- veth-cli 192.0.2.1 ROUTER 198.51.100.1 veth-srv
#          -- veth0 198.51.100.2/24 server
#
# Only TEST-NET / benchmarking addresses are ever used (192.0.2.0/24,
# 198.51.100.0/24, 203.0.113.0/24, 198.18.0.0/15).

ksft_pass=0
ksft_fail=1
ksft_skip=4

SELFTESTS=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
NFGATE_REPO=${NFGATE_REPO:-$(cd -- "$SELFTESTS/.." && pwd)}
# NFGATE_CLI / NFGATE_KO: test other builds (scripts/vm-run passes NFGATE_*).
NFGATE=${NFGATE_CLI:-$NFGATE_REPO/build/nfgate}
NFGATE_KO=${NFGATE_KO:-$NFGATE_REPO/kmod/nfgate.ko}
# NFGATE_DEBUG_KERNEL=1: the VM runs the debug kernel (scripts/debug-check
# sets it); see debug_kernel.
# C helpers built by selftests/Makefile (kselftest's $(OUTPUT)).
HELPERS=${NFGATE_SELFTEST_BIN:-$NFGATE_REPO/build/selftests}

TEST_NAME=$(basename -- "$0" .sh)
# Unique namespace names: test name, pid.
NS_TAG=${TEST_NAME#nfgate_}
NS_TAG=nfg-${NS_TAG:0:10}-$$
CLI=$NS_TAG-cli
RTR=$NS_TAG-rtr
SRV=$NS_TAG-srv

# Addresses of the topology.
CLI_IP=192.0.2.2
RTR_CLI_IP=192.0.2.1
RTR_SRV_IP=198.51.100.1
SRV_IP=198.51.100.2

ret=$ksft_pass
extra_ns=()
bg_pids=()
tmpdir=

log() {
	echo "[${SECONDS}s] $*"
}

fail() {
	echo "FAIL: $*"
	ret=$ksft_fail
}

skip() {
	echo "SKIP: $*"
	exit $ksft_skip
}

# Abort the test now (setup broke, nothing further makes sense).
die() {
	echo "FAIL: $*"
	exit $ksft_fail
}

cleanup() {
	local p ns

	for p in "${bg_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${bg_pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	for ns in "$CLI" "$RTR" "$SRV" "${extra_ns[@]}"; do
		[ -e "/run/netns/$ns" ] && ip netns del "$ns"
	done
	[ -n "$tmpdir" ] && rm -rf "$tmpdir"
}
trap cleanup EXIT
trap 'echo "FAIL: interrupted"; exit $ksft_fail' INT TERM HUP

# debug_kernel: true on the debug kernel (KASAN, kmemleak, lockdep).  There
# freed slab objects wait in KASAN's quarantine (up to 1/32 of RAM) before
# they return, and everything runs 6 to 18 times slower: a test judges
# memory or throughput by slab figures or time only when this is false;
# the leaks are kmemleak's to find (debug-check scans before and after
# rmmod).
debug_kernel() {
	[ "${NFGATE_DEBUG_KERNEL:-0}" = 1 ]
}

# Environment checks: refuse to run anywhere but the throw-away test VM
# (scripts/vm-run sets NFGATE_VM=1), and as root with everything built.
require_env() {
	if [ "${NFGATE_VM:-}" != 1 ]; then
		skip "not inside the nfgate test VM; run: scripts/vm-run -- selftests/run_tests.sh"
	fi
	[ "$(id -u)" = 0 ] || skip "needs root"
	[ -r "$NFGATE_KO" ] || skip "$NFGATE_KO not built (run make)"
	[ -x "$NFGATE" ] || skip "$NFGATE not built (run make)"
	command -v ip >/dev/null || skip "iproute2 (ip) missing"
	command -v ping >/dev/null || skip "iputils-ping missing"
	tmpdir=$(mktemp -d "/tmp/$TEST_NAME.XXXXXX")
	nfgate_load
}

# require_helper NAME...: the C helpers this test runs.
require_helper() {
	local h

	for h in "$@"; do
		[ -x "$HELPERS/$h" ] ||
			skip "$HELPERS/$h not built (run make -C selftests)"
	done
}

nfgate_loaded() {
	grep -q '^nfgate ' /proc/modules
}

# nfgate_insmod [PARAM=VALUE...]: insmod $NFGATE_KO after the modules it
# links against (nf_conntrack, nf_nat: modinfo's "depends"), which insmod
# does not load itself (scripts/nfgate-insmod).
nfgate_insmod() {
	"$NFGATE_REPO/scripts/nfgate-insmod" "$NFGATE_KO" "$@"
}

nfgate_load() {
	nfgate_loaded && return 0
	nfgate_insmod || die "loading $NFGATE_KO failed"
	nfgate_loaded || die "nfgate not in /proc/modules after insmod"
}

# nfg NS ARGS...: the CLI inside a namespace (rules are per netns).
nfg() {
	local ns=$1

	shift
	ip netns exec "$ns" "$NFGATE" "$@"
}

# nfg_ok NS ARGS...: run the CLI and record a failure if it does not exit 0.
nfg_ok() {
	local out rc

	out=$(nfg "$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "nfgate ${*:2} (in ${1}) exited $rc: $out"
		return 1
	fi
	[ -n "$out" ] && echo "$out"
	return 0
}

# eng ENGINE NS ARGS...: the same rule command with nfgate (ENGINE
# "nfgate") or with iptables-legacy, the oracle (any other ENGINE).
eng() {
	local e=$1 ns=$2

	shift 2
	if [ "$e" = nfgate ]; then
		nfg "$ns" "$@"
	else
		ip netns exec "$ns" iptables-legacy "$@"
	fi
}

# eng_ok ENGINE NS ARGS...: eng, recording a failure if it does not exit 0.
eng_ok() {
	local out

	out=$(eng "$@" 2>&1) || fail "$1 ${*:3} (in $2): $out"
}

# eng_restore ENGINE NS FILE: one restore (one table replace for
# iptables-legacy, which a slow VM pays per command).
eng_restore() {
	if [ "$1" = nfgate ]; then
		nfg "$2" restore "$3"
	else
		ip netns exec "$2" iptables-legacy-restore <"$3"
	fi
}

# ns_create NAME: a namespace with lo up.
ns_create() {
	ip netns add "$1" || die "ip netns add $1"
	ip -n "$1" link set lo up
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
	case "$1" in
	"$CLI" | "$RTR" | "$SRV") ;;
	*) extra_ns+=("$1") ;;
	esac
}

# topo_create: client -- router -- server as in the header comment.
topo_create() {
	ns_create "$CLI"
	ns_create "$RTR"
	ns_create "$SRV"
	ip link add veth0 netns "$CLI" type veth peer name veth-cli netns "$RTR" ||
		die "veth client-router"
	ip link add veth0 netns "$SRV" type veth peer name veth-srv netns "$RTR" ||
		die "veth router-server"
	ip -n "$CLI" addr add $CLI_IP/24 dev veth0
	ip -n "$RTR" addr add $RTR_CLI_IP/24 dev veth-cli
	ip -n "$RTR" addr add $RTR_SRV_IP/24 dev veth-srv
	ip -n "$SRV" addr add $SRV_IP/24 dev veth0
	ip -n "$CLI" link set veth0 up
	ip -n "$RTR" link set veth-cli up
	ip -n "$RTR" link set veth-srv up
	ip -n "$SRV" link set veth0 up
	ip -n "$CLI" route add default via $RTR_CLI_IP
	ip -n "$SRV" route add default via $RTR_SRV_IP
	ip netns exec "$RTR" sysctl -qw net.ipv4.ip_forward=1
	# Warm up ARP so that counted pings are not delayed by resolution.
	ping_ok "$CLI" $SRV_IP 1 >/dev/null || die "topology: client cannot reach server"
}

# ping_count NS DST COUNT [ping options...]: prints the number of replies.
# Small interval and deadline: QEMU TCG is slow, but never that slow.
ping_count() {
	local ns=$1 dst=$2 n=$3 out

	shift 3
	out=$(ip netns exec "$ns" ping -n -q -c "$n" -i 0.05 -W 1 "$@" "$dst" 2>&1)
	echo "$out" | sed -n 's/.* \([0-9]\+\) \(packets \)\?received.*/\1/p'
}

# ping_ok NS DST [COUNT [ping options]]: every echo must be answered.
ping_ok() {
	local ns=$1 dst=$2 n=${3:-3} got

	shift 3 2>/dev/null || shift $#
	got=$(ping_count "$ns" "$dst" "$n" "$@")
	if [ "$got" != "$n" ]; then
		fail "ping $dst from $ns: expected $n replies, got ${got:-none}"
		return 1
	fi
	return 0
}

# ping_fails NS DST [COUNT [ping options]]: no echo may be answered.
ping_fails() {
	local ns=$1 dst=$2 n=${3:-3} got

	shift 3 2>/dev/null || shift $#
	got=$(ping_count "$ns" "$dst" "$n" "$@")
	if [ "${got:-0}" != 0 ]; then
		fail "ping $dst from $ns: expected no reply, got $got of $n"
		return 1
	fi
	return 0
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
	if [ "$2" != "$3" ]; then
		fail "$1: expected '$2', got '$3'"
		return 1
	fi
	if [ "${3/$'\n'/}" = "$3" ]; then
		log "ok: $1 = $3"
	else
		log "ok: $1 ($(echo "$3" | wc -l) lines)"
	fi
	return 0
}

# assert_match WHAT EXTENDED-REGEX TEXT
assert_match() {
	if ! echo "$3" | grep -q -E -- "$2"; then
		fail "$1: '$2' not found in: $3"
		return 1
	fi
	log "ok: $1"
	return 0
}

# assert_no_match WHAT EXTENDED-REGEX TEXT
assert_no_match() {
	if echo "$3" | grep -q -E -- "$2"; then
		fail "$1: '$2' unexpectedly found in: $3"
		return 1
	fi
	log "ok: $1"
	return 0
}

# listing NS TABLE: "nfgate -t TABLE -L -v -n -x --line-numbers", every
# chain with exact counters (one CLI run serves several counter reads).
listing() {
	nfg "$1" -t "$2" -L -v -n -x --line-numbers 2>&1
}

# counter_in LISTING CHAIN NUM [pkts|bytes]: a rule's counter from a
# listing (per chain: "Chain X (...)", a header, then "num pkts bytes ...").
counter_in() {
	local col=2

	[ "${4:-pkts}" = bytes ] && col=3
	echo "$1" | awk -v ch="$2" -v n="$3" -v c="$col" '
		/^Chain / { cur = $2; next }
		cur == ch && $1 == n { print $c; found = 1; exit }
		END { if (!found) print "missing" }'
}

# policy_in LISTING CHAIN [pkts|bytes]: from the chain's header line
# "Chain INPUT (policy DROP 3 packets, 252 bytes)".
policy_in() {
	echo "$1" | awk -v ch="$2" -v w="${3:-pkts}" '
		$1 == "Chain" && $2 == ch {
			if (match($0, /policy [A-Z]+ [0-9]+ packets, [0-9]+ bytes/)) {
				split(substr($0, RSTART, RLENGTH), a, /[ ,]+/)
				print (w == "bytes") ? a[5] : a[3]
				found = 1
			}
			exit
		}
		END { if (!found) print "missing" }'
}

# rule_counter NS TABLE CHAIN NUM [pkts|bytes]
rule_counter() {
	counter_in "$(listing "$1" "$2")" "$3" "$4" "${5:-pkts}"
}

# policy_counter NS TABLE CHAIN [pkts|bytes]
policy_counter() {
	policy_in "$(listing "$1" "$2")" "$3" "${4:-pkts}"
}

# save_counter NS TABLE CHAIN NUM [pkts|bytes]: the same counter from
# "nfgate save -c -t TABLE": the NUM-th "[p:b] -A CHAIN" line.
save_counter() {
	local ns=$1 table=$2 chain=$3 num=$4 field=1

	[ "${5:-pkts}" = bytes ] && field=2
	nfg "$ns" save -c -t "$table" 2>/dev/null |
		awk -v ch="$chain" -v n="$num" -v f="$field" '
			$2 == "-A" && $3 == ch && ++i == n {
				gsub(/[][]/, "", $1); split($1, a, ":"); print a[f]
				found = 1; exit
			}
			END { if (!found) print "missing" }'
}

# assert_counters WHAT NS TABLE CHAIN:NUM:PKTS[:BYTES]...: several rule
# counters of one table, from one listing.
assert_counters() {
	local what=$1 ns=$2 table=$3 l spec chain num pkts bytes

	shift 3
	l=$(listing "$ns" "$table")
	for spec in "$@"; do
		IFS=: read -r chain num pkts bytes <<<"$spec"
		assert_eq "$what: $table $chain rule $num packets" "$pkts" \
			"$(counter_in "$l" "$chain" "$num")"
		if [ -n "$bytes" ]; then
			assert_eq "$what: $table $chain rule $num bytes" "$bytes" \
				"$(counter_in "$l" "$chain" "$num" bytes)"
		fi
	done
}

# assert_counter WHAT NS TABLE CHAIN NUM EXPECTED-PKTS [EXPECTED-BYTES]
assert_counter() {
	assert_counters "$1" "$2" "$3" "$4:$5:$6${7:+:$7}"
}

# save_filtered NS [ARGS]: "nfgate save" without its "# ..." comment lines
# (they may carry a date), for byte-for-byte comparisons.
save_filtered() {
	local ns=$1

	shift
	nfg "$ns" save "$@" | grep -v '^#'
	return "${PIPESTATUS[0]}"
}

# bg NS CMD...: run a command in the background inside NS, killed at exit.
bg() {
	local ns=$1

	shift
	ip netns exec "$ns" "$@" &
	bg_pids+=($!)
}

# wait_file FILE [TENTHS]: wait for a helper's "ready" file.
wait_file() {
	local i

	for ((i = 0; i < ${2:-50}; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# flow_start SENDER-OPTION...: an nfg_flow UDP flow from CLI to SRV_IP:PORT
# (the topology's names): the receiver in SRV, then the sender in CLI
# with the given options (-s SPORT, -i MICROSECONDS).  Sets flow_send_pid
# and flow_recv_pid; both are killed at exit.
flow_start() {
	ip netns exec "$SRV" "$HELPERS/nfg_flow" recv -a "$SRV_IP" -p "$PORT" \
		-r "$tmpdir/flow.ready" >"$tmpdir/flow_recv.out" &
	flow_recv_pid=$!
	bg_pids+=($flow_recv_pid)
	wait_file "$tmpdir/flow.ready" || die "flow receiver did not start"
	ip netns exec "$CLI" "$HELPERS/nfg_flow" send -a "$SRV_IP" -p "$PORT" \
		"$@" >"$tmpdir/flow_send.out" &
	flow_send_pid=$!
	bg_pids+=($flow_send_pid)
}

# flow_stop: stops flow_start's sender, then (after the last datagrams
# had time to arrive) its receiver; logs both reports and sets flow_sent,
# flow_errors (sendto), flow_received, flow_distinct, flow_dups,
# flow_highest and flow_missing (below the highest).
flow_stop() {
	kill -USR1 "$flow_send_pid"
	wait "$flow_send_pid"
	sleep 0.5
	kill -USR1 "$flow_recv_pid"
	wait "$flow_recv_pid"
	log "flow sender: $(cat "$tmpdir/flow_send.out")"
	log "flow receiver: $(cat "$tmpdir/flow_recv.out")"
	read -r _ flow_sent _ flow_errors <"$tmpdir/flow_send.out"
	read -r _ flow_received _ flow_distinct _ flow_dups _ flow_highest \
		_ flow_missing <"$tmpdir/flow_recv.out"
}

# KERNEL_BAD: the kernel log lines that fail a test and the VM run, one
# extended regular expression (kernel_complaints.ere, which scripts/vm-run
# reads too).
KERNEL_BAD=$(grep -v -e '^#' -e '^$' "$(dirname -- "${BASH_SOURCE[0]}")/kernel_complaints.ere" |
	paste -s -d '|')
[ -n "$KERNEL_BAD" ] || die "no patterns in kernel_complaints.ere"

# kernel_complaints MARK: the kernel log lines matching KERNEL_BAD after
# the first MARK lines (MARK from "dmesg | wc -l" when the test started).
kernel_complaints() {
	dmesg | tail -n +$(($1 + 1)) | grep -E "$KERNEL_BAD"
}

# udp_round SENDER-NS RECEIVER-NS DST LO[:HI] COUNT [SPORT]: the receiver
# (nfg_udp recv) listens on DST ports LO..HI, the sender sends COUNT
# datagrams to each; prints what arrived as "PORT:COUNT PORT:COUNT ...".
udp_round() {
	local sns=$1 rns=$2 dst=$3 ports=$4 n=$5 sport=${6:-} pid

	rm -f "$tmpdir/udp.ready" "$tmpdir/udp.out"
	ip netns exec "$rns" "$HELPERS/nfg_udp" recv -a "$dst" -p "$ports" \
		-r "$tmpdir/udp.ready" >"$tmpdir/udp.out" &
	pid=$!
	if ! wait_file "$tmpdir/udp.ready"; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		echo "receiver-not-ready"
		return 1
	fi
	ip netns exec "$sns" "$HELPERS/nfg_udp" send -a "$dst" -p "$ports" \
		-n "$n" ${sport:+-s "$sport"}
	# veth delivers within the sender's softirq; a moment for the receiver
	sleep 0.2
	kill -USR1 "$pid"
	wait "$pid"
	awk '{ printf "%s%s:%s", sep, $1, $2; sep = " " } END { print "" }' \
		"$tmpdir/udp.out"
}

# tcp_probe NS DST PORT [SPORT]: one SYN; prints open, refused or timeout.
tcp_probe() {
	ip netns exec "$1" "$HELPERS/nfg_tcp" -a "$2" -p "$3" ${4:+-s "$4"}
}

# tcp_reach NS DST PORT [SPORT]: "reached" (open or refused) or "timeout".
tcp_reach() {
	case "$(tcp_probe "$@")" in
	open | refused) echo reached ;;
	*) echo timeout ;;
	esac
}

# show_diff BEFORE-TEXT AFTER-TEXT: a short diff (the VM's bare /dev has no
# /dev/fd, so no process substitution).
show_diff() {
	echo "$1" >"$tmpdir/diff.a"
	echo "$2" >"$tmpdir/diff.b"
	diff "$tmpdir/diff.a" "$tmpdir/diff.b" | head -n 20
}

# ruleset NS: "nfgate save" without comments and without the policy
# counters ("[p:b]"), which every packet moves: the ruleset only.
ruleset() {
	save_filtered "$1" | sed 's/ \[[0-9]*:[0-9]*\]$//'
}

# mangle_block [RULE-LINE...]: a restore "*mangle" block, every built-in
# chain with policy ACCEPT, then the given "-A ..." lines and COMMIT.
mangle_block() {
	local c l

	echo "*mangle"
	for c in PREROUTING INPUT FORWARD OUTPUT POSTROUTING; do
		echo ":$c ACCEPT [0:0]"
	done
	for l in "$@"; do
		echo "$l"
	done
	echo "COMMIT"
}

# saved TOOL NS TABLE: that table's save by TOOL (nfgate or iptables-legacy)
# without comments and policy counters, for comparing the two line for line.
saved() {
	local tool=$1 ns=$2 t=$3

	if [ "$tool" = nfgate ]; then
		ip netns exec "$ns" "$NFGATE" save -t "$t"
	else
		ip netns exec "$ns" iptables-legacy-save -t "$t"
	fi | grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//'
}

# assert_rules_found TOOL NS FILE: every "-A CHAIN ..." line of the restore
# FILE (in its "*table") is found by "TOOL -t TABLE -C CHAIN ..." in NS, as
# written (TOOL nfgate or iptables-legacy): what kube-proxy's EnsureRule
# and dockerd's rule checks ask before they add a rule.
assert_rules_found() {
	local tool=$1 ns=$2 file=$3 line t='' n=0 bad=0
	local cmd=(iptables-legacy)

	[ "$tool" = nfgate ] && cmd=("$NFGATE")
	while read -r line; do
		case "$line" in
		\**) t=${line#\*} ;;
		-A*)
			eval "set -- $line"
			shift
			n=$((n + 1))
			if ! ip netns exec "$ns" "${cmd[@]}" -t "$t" -C "$@" \
				>/dev/null 2>&1; then
				fail "$tool -t $t -C $*: not found"
				bad=$((bad + 1))
			fi
			;;
		esac
	done <"$file"
	[ $bad -eq 0 ] && log "ok: $tool -C finds all $n rules of $(basename "$file")"
	return $bad
}
