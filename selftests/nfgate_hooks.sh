#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_hooks.sh: every chain of both tables is wired to the right hook.
#  1. count-only rules in all eight built-in chains of the router see
#     forwarded traffic only in PREROUTING/FORWARD/POSTROUTING and traffic
#     to the router itself only in PREROUTING/INPUT, OUTPUT/POSTROUTING;
#  2. a DROP in each chain, in the namespace where that hook sees the
#     client's echo requests, stops the ping, counts exactly the requests
#     sent, and the ping passes again once the rule is deleted;
#  3. mangle runs before filter at the same hook;
#  4. a table gets its hooks with its first write that passes: a refused
#     write or an aborted transaction in a fresh namespace leaves the
#     policy counters at 0 while traffic flows (no hook was left behind).

source "$(dirname -- "$0")/lib.sh"
require_env
topo_create

N=3

# 1. Which hooks see which packets (count-only "-p icmp" rules).
for c in PREROUTING INPUT FORWARD OUTPUT POSTROUTING; do
	nfg_ok "$RTR" -t mangle -A "$c" -p icmp
done
for c in INPUT FORWARD OUTPUT; do
	nfg_ok "$RTR" -t filter -A "$c" -p icmp
done

ping_ok "$CLI" $SRV_IP $N
# requests and replies cross the router: 2N each in the forward path
assert_counters "forwarded" "$RTR" mangle PREROUTING:1:$((2 * N)) \
	FORWARD:1:$((2 * N)) POSTROUTING:1:$((2 * N)) INPUT:1:0 OUTPUT:1:0
assert_counters "forwarded" "$RTR" filter FORWARD:1:$((2 * N)) \
	INPUT:1:0 OUTPUT:1:0

nfg_ok "$RTR" -t mangle -Z
nfg_ok "$RTR" -t filter -Z

ping_ok "$CLI" $RTR_CLI_IP $N
# requests in: PREROUTING, INPUT; replies out: OUTPUT, POSTROUTING
assert_counters "local" "$RTR" mangle PREROUTING:1:$N INPUT:1:$N \
	OUTPUT:1:$N POSTROUTING:1:$N FORWARD:1:0
assert_counters "local" "$RTR" filter INPUT:1:$N OUTPUT:1:$N FORWARD:1:0
nfg_ok "$RTR" -t mangle -F
nfg_ok "$RTR" -t filter -F

# 2. A DROP per hook, in the namespace whose hook sees the echo requests.
check_drop() {
	local table=$1 chain=$2 ns=$3 left

	# traffic passes before: topo_create, or the previous case, checked it
	log "-- $table $chain in ${ns##*-}"
	nfg_ok "$ns" -t "$table" -A "$chain" -p icmp -j DROP
	ping_fails "$CLI" $SRV_IP $N
	assert_counter "$table $chain drop" "$ns" "$table" "$chain" 1 $N \
		$((N * 84))
	nfg_ok "$ns" -t "$table" -D "$chain" 1
	left=$(nfg "$ns" -t "$table" -S "$chain" | grep -c -- '^-A ')
	assert_eq "$table $chain rules after delete" 0 "$left"
	ping_ok "$CLI" $SRV_IP $N
}

check_drop mangle PREROUTING "$RTR"
check_drop mangle INPUT "$SRV"
check_drop mangle FORWARD "$RTR"
check_drop mangle OUTPUT "$CLI"
check_drop mangle POSTROUTING "$RTR"
check_drop filter INPUT "$SRV"
check_drop filter FORWARD "$RTR"
check_drop filter OUTPUT "$CLI"

# 3. mangle (NF_IP_PRI_MANGLE) before filter (NF_IP_PRI_FILTER).
log "-- mangle INPUT runs before filter INPUT"
nfg_ok "$SRV" -t mangle -A INPUT -p icmp
nfg_ok "$SRV" -t filter -A INPUT -p icmp -j DROP
ping_fails "$CLI" $SRV_IP $N
assert_counter "mangle count" "$SRV" mangle INPUT 1 $N
assert_counter "filter drop" "$SRV" filter INPUT 1 $N
nfg_ok "$SRV" -t mangle -I INPUT 1 -p icmp -j DROP
ping_fails "$CLI" $SRV_IP $N
assert_counters "mangle drop, then the count-only rule" "$SRV" mangle \
	INPUT:1:$N INPUT:2:$N
assert_counter "filter never reached" "$SRV" filter INPUT 1 $N

# 4. Hooks come with the first write that passes, and go with an abort.
log "-- a refused write or an aborted transaction registers no hooks"
require_helper txn_hold
H=$NS_TAG-fresh
ns_create "$H"
nfg "$H" -A INPUT -j NOSUCH >/dev/null 2>&1 && fail "jump to a missing chain accepted"
nfg "$H" -t mangle -A INPUT -o lo -j ACCEPT >/dev/null 2>&1 &&
	fail "-o in mangle INPUT accepted"
ip netns exec "$H" "$HELPERS/txn_hold" 3 >"$tmpdir/hold.out" 2>&1 &
hold=$!
wait_file "$tmpdir/hold.out" || fail "txn_hold did not start"
kill "$hold"
wait "$hold" 2>/dev/null
ip netns exec "$H" ping -q -c 3 -i 0.05 127.0.0.1 >/dev/null
assert_eq "filter INPUT policy packets (no hooks)" 0 \
	"$(policy_counter "$H" filter INPUT)"
assert_eq "mangle INPUT policy packets (no hooks)" 0 \
	"$(policy_counter "$H" mangle INPUT)"
nfg_ok "$H" -A INPUT -p udp -j ACCEPT
ip netns exec "$H" ping -q -c 3 -i 0.05 127.0.0.1 >/dev/null
assert_eq "filter INPUT policy packets after a good write" 6 \
	"$(policy_counter "$H" filter INPUT)"

exit $ret
