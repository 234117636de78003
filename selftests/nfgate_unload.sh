#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_unload.sh: rmmod under load, then reload.
# 1000 rules (nfgate restore) in the router's filter FORWARD, plus rules in
# client and server and an open transaction (txn_hold) in the server; a
# ping flood crosses the router while "rmmod nfgate" runs.  The unload must
# succeed, the kernel log must stay clean (no WARNING/BUG/Oops...), traffic
# must keep flowing without the module, and after insmod the module must
# work again: fresh empty rulesets, rules that drop and count.  Some rules,
# live, deleted and staged, hold interface names, whose per-namespace
# tables go with the namespaces at rmmod.  The router's nat table is
# written too, so that rmmod also unregisters from the nat core and puts
# conntrack while the flood runs.
# Runs last: it leaves the module loaded but all state gone.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper txn_hold
command -v rmmod >/dev/null || skip "rmmod (kmod) missing"
topo_create

dmesg_start=$(dmesg | wc -l)

log "-- 1000 rules"
{
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	echo ":BULK - [0:0]"
	for i in $(seq 0 989); do
		echo "-A FORWARD -s 198.18.$((i / 250)).$((i % 250 + 1)) -p udp --dport $((1000 + i)) -j DROP"
	done
	for i in $(seq 1 9); do
		echo "-A BULK -d 198.19.0.$i -p tcp --sport $i:$((i + 100)) -j DROP"
	done
	echo "-A FORWARD -p icmp -j BULK"
	echo "COMMIT"
	mangle_block "-A PREROUTING -p icmp" "-A POSTROUTING -p icmp"
} >"$tmpdir/1000.rules"
nfg_ok "$RTR" restore "$tmpdir/1000.rules" || die "restore of 1000 rules failed"
assert_eq "rules in filter" 1000 "$(nfg "$RTR" -S | grep -c '^-A ')"
nfg_ok "$CLI" -A OUTPUT -p icmp
nfg_ok "$SRV" -t mangle -A INPUT -p icmp
# nat hooks (through the nat core) and conntrack in the router too
nfg_ok "$RTR" -t nat -A PREROUTING -p icmp
nfg_ok "$RTR" -t nat -A POSTROUTING -p icmp
ping_ok "$CLI" $SRV_IP 3
assert_counter "traversed all 990 FORWARD rules" "$RTR" filter FORWARD 991 6
nfg_ok "$RTR" -A FORWARD -i veth-cli -o veth-srv -p icmp
nfg_ok "$RTR" -A FORWARD -i veth-cli -o veth-srv -p icmp -s $CLI_IP
nfg_ok "$RTR" -t mangle -A PREROUTING -i veth+ -p icmp
nfg_ok "$RTR" -A FORWARD -i gone -j DROP
nfg_ok "$RTR" -D FORWARD -i gone -j DROP

ip netns exec "$SRV" "$HELPERS/txn_hold" 20 u >"$tmpdir/hold.out" 2>&1 &
bg_pids+=($!)
wait_file "$tmpdir/hold.out" 50 || fail "txn_hold did not start"

log "-- flood, then rmmod while it runs"
# A long deadline: on a loaded machine the counter reads below take many
# seconds, and the flood must still run when rmmod comes; SIGINT ends it.
ip netns exec "$CLI" ping -q -f -w 300 $SRV_IP >"$tmpdir/flood.out" 2>&1 &
flood=$!
bg_pids+=($flood)
sleep 2
kill -0 "$flood" 2>/dev/null || fail "the flood ended early: $(cat "$tmpdir/flood.out")"
before=$(rule_counter "$RTR" mangle PREROUTING 1)
sleep 1
after=$(rule_counter "$RTR" mangle PREROUTING 1)
[ "$after" -gt "$before" ] 2>/dev/null ||
	fail "no flood traffic seen by the router ($before -> $after)"
log "flood packets in mangle PREROUTING: $before -> $after"

rmmod nfgate
rc=$?
assert_eq "rmmod exit code" 0 "$rc"
nfgate_loaded && fail "nfgate still in /proc/modules after rmmod"
kill -0 "$flood" 2>/dev/null || fail "the flood died with the module"
sleep 1		# traffic goes on without the module
kill -INT "$flood" 2>/dev/null
wait "$flood"
log "flood: $(grep -E 'transmitted' "$tmpdir/flood.out")"
ping_ok "$CLI" $SRV_IP 3	# no module, no filtering

trouble=$(kernel_complaints "$dmesg_start")
assert_eq "kernel log after rmmod" "" "$trouble"

log "-- reload"
nfgate_load
for ns in "$CLI" "$RTR" "$SRV"; do
	assert_eq "${ns##*-} filter after reload" \
		$'-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT' "$(nfg "$ns" -S)"
done
nfg_ok "$RTR" -A FORWARD -p icmp -s $CLI_IP -j DROP
ping_fails "$CLI" $SRV_IP 4
assert_counter "drop after reload" "$RTR" filter FORWARD 1 4 336
nfg_ok "$RTR" -D FORWARD 1
ping_ok "$CLI" $SRV_IP 2
# the holder's socket outlived the module: closing it now must be harmless
for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
sleep 0.5

trouble=$(kernel_complaints "$dmesg_start")
assert_eq "kernel log at the end" "" "$trouble"

exit $ret
