#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_nfqueue.sh: the NFQUEUE and QUEUE targets on real packets, each
# case run once with nfgate and once with iptables-legacy on the router
# (the oracle), which must agree.  One listener (nfq_listen.py, a raw
# nfnetlink_queue client) serves queues 0, 3 and 10..13 with the verdict
# accept and queue 4 with drop; queue 5 has nobody:
#  1. --queue-bypass on queue 5: the traffic passes; without bypass it is
#     dropped;
#  2. queue 3: the listener sees every packet and its accept lets them
#     through; queue 4: its drop stops them;
#  3. QUEUE is queue 0;
#  4. --queue-balance 10:13 hashes each flow (addresses, protocol) to one
#     queue of the range: six flows all arrive, in more than one queue.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp
command -v python3 >/dev/null || skip "python3 missing"
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
for m in nfnetlink_queue ip_tables iptable_filter iptable_mangle \
	xt_NFQUEUE; do
	modprobe "$m" || skip "modprobe $m failed"
done
topo_create

source "$SELFTESTS/verdicts_lib.sh"

PORT=5000
ip netns exec "$RTR" python3 "$SELFTESTS/nfq_listen.py" -q 0 -q 3 -q 4:drop \
	-q 10 -q 11 -q 12 -q 13 -r "$tmpdir/nfq.ready" >"$tmpdir/nfq.out" 2>&1 &
bg_pids+=($!)
wait_file "$tmpdir/nfq.ready" 150 || die "nfq_listen not ready: $(cat "$tmpdir/nfq.out")"

# nfq_seen QUEUE: packets the listener has seen on QUEUE so far
nfq_seen() {
	awk -v q="$1" '$1 == q { n++ } END { print n + 0 }' "$tmpdir/nfq.out"
}

# udp_via IMPL WHAT EXPECTED TARGET...: FORWARD udp to PORT -j TARGET with
# IMPL, N datagrams, EXPECTED is what arrives
udp_via() {
	local impl=$1 what=$2 want=$3

	shift 3
	rtr_ok $impl -A FORWARD -p udp --dport $PORT -j "$@"
	assert_eq "$impl $what" "$want" \
		"$(udp_round "$CLI" "$SRV" $SRV_IP $PORT $N)"
	flush_all
}

assert_eq "no rule: udp passes" "$PORT:$N" \
	"$(udp_round "$CLI" "$SRV" $SRV_IP $PORT $N)"
for impl in $IMPLS; do
	log "-- $impl"
	udp_via $impl "bypass, no listener: passes" "$PORT:$N" \
		NFQUEUE --queue-num 5 --queue-bypass
	udp_via $impl "no bypass, no listener: dropped" "$PORT:0" \
		NFQUEUE --queue-num 5

	before=$(nfq_seen 3)
	udp_via $impl "listener accepts" "$PORT:$N" NFQUEUE --queue-num 3
	assert_eq "$impl queue 3 saw them" $((before + N)) "$(nfq_seen 3)"
	before=$(nfq_seen 4)
	udp_via $impl "listener drops" "$PORT:0" \
		NFQUEUE --queue-num 4 --queue-bypass
	assert_eq "$impl queue 4 saw them" $((before + N)) "$(nfq_seen 4)"

	before=$(nfq_seen 0)
	udp_via $impl "QUEUE, listener accepts" "$PORT:$N" QUEUE
	assert_eq "$impl QUEUE is queue 0" $((before + N)) "$(nfq_seen 0)"

	# balance: the client's addresses vary the pair, one echo each
	for q in 10 11 12 13; do
		b[$q]=$(nfq_seen $q)
	done
	rtr_ok $impl -A INPUT -p icmp -j NFQUEUE --queue-balance 10:13
	for a in 192.0.2.3 192.0.2.4 192.0.2.5 192.0.2.6 192.0.2.7 192.0.2.8; do
		ip -n "$CLI" addr add $a/24 dev veth0 2>/dev/null
		ping_ok "$CLI" $RTR_CLI_IP 1 -I $a
	done
	flush_all
	total=0
	used=0
	for q in 10 11 12 13; do
		n=$(($(nfq_seen $q) - b[$q]))
		total=$((total + n))
		[ $n -gt 0 ] && used=$((used + 1))
	done
	assert_eq "$impl balance: every echo queued in 10:13" 6 "$total"
	[ $used -ge 2 ] || fail "$impl balance: 6 flows all in one queue"
done

exit $ret
