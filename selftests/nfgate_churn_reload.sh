#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_churn_reload.sh: unload/reload cycles under traffic give back
# their kernel memory.  CYCLES times: insmod, one "nfgate restore" of
# RULES rules into the router's filter FORWARD (the last one counts the
# ping traffic, which therefore crosses all of them) plus a MASQUERADE in
# nat POSTROUTING (nat hooks, conntrack), a check that the traffic is
# counted behind the RULES rules, then "rmmod nfgate" while a ping stream
# client -> server crosses the router.  Every rmmod must succeed and the
# stream must survive it.  Kernel memory (SUnreclaim + Percpu,
# churn_lib.sh) after each rmmod is compared with the reading after the
# first one (which paid for the first-time allocations); the test prints
# the figure per cycle and fails if the last one is beyond the tolerance.
# The kernel log must stay clean (a cache destroyed with objects left
# would log "BUG").  The module is loaded again at the end.
#
# NFGATE_CHURN_CYCLES (default 3), NFGATE_CHURN_RULES (5000).

source "$(dirname -- "$0")/lib.sh"
source "$(dirname -- "$0")/churn_lib.sh"
require_env
command -v rmmod >/dev/null || skip "rmmod (kmod) missing"
topo_create

CYCLES=${NFGATE_CHURN_CYCLES:-3}
RULES=${NFGATE_CHURN_RULES:-5000}
dmesg_start=$(dmesg | wc -l)

awk -v n="$RULES" 'BEGIN {
	print "*filter"
	print ":FORWARD ACCEPT [0:0]"
	for (i = 0; i < n - 1; i++)
		printf "-A FORWARD -s 198.18.%d.%d/32 -p udp --dport %d -j DROP\n",
			int(i / 250) % 250, i % 250 + 1, 1000 + i % 50000
	print "-A FORWARD -p icmp"
	print "COMMIT"
	print "*nat"
	print "-A POSTROUTING -o veth-srv -j MASQUERADE"
	print "COMMIT"
}' >"$tmpdir/reload.rules"

ip netns exec "$CLI" ping -q -i 0.005 -w 36000 $SRV_IP >"$tmpdir/ping.out" 2>&1 &
ping_pid=$!
bg_pids+=($ping_pid)

t0=$SECONDS
for ((cycle = 1; cycle <= CYCLES; cycle++)); do
	nfgate_loaded || nfgate_insmod || die "cycle $cycle: insmod failed"
	out=$(nfg "$RTR" restore "$tmpdir/reload.rules" 2>&1) ||
		die "cycle $cycle: restore of $RULES rules failed: $out"
	c1=$(save_counter "$RTR" filter FORWARD "$RULES")
	sleep 0.5
	c2=$(save_counter "$RTR" filter FORWARD "$RULES")
	[ "$c2" -gt "$c1" ] 2>/dev/null ||
		fail "cycle $cycle: no traffic behind $RULES rules ($c1 -> $c2)"
	rmmod nfgate || die "cycle $cycle: rmmod nfgate failed"
	kill -0 $ping_pid 2>/dev/null || die "cycle $cycle: the ping stream died"
	if [ $cycle = 1 ]; then
		base_mem=$(mem_settled)
		log "cycle 1: baseline $base_mem kB"
	elif [ $cycle = "$CYCLES" ] || ((cycle % 10 == 0)); then
		now=$(mem_settled)
		log "cycle $cycle: $now kB, bytes not returned $(((now - base_mem) * 1024))"
	fi
done
log "$CYCLES unload/reload cycles of $RULES rules in $((SECONDS - t0))s"
assert_eq "reload cycles survived" "$CYCLES" "$((cycle - 1))"
if [ "$CYCLES" -gt 1 ]; then
	mem_check "after $CYCLES reload cycles" "$base_mem"
fi
kill -INT $ping_pid
wait $ping_pid
log "ping: $(grep -E 'packets transmitted' "$tmpdir/ping.out")"
nfgate_load
kernel_log_clean "reload churn" "$dmesg_start"
exit $ret
