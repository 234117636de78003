#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_netns.sh: rule tables are per network namespace.
#  - a new namespace starts with the empty default ruleset;
#  - rules, user chains and policies in one namespace change neither the
#    dumps nor the packets of another (a DROP-everything OUTPUT in a second
#    pair of namespaces leaves the client's traffic alone, and the other
#    way round);
#  - chains of the same name in two namespaces are independent;
#  - deleting a namespace full of rules, chains, jumps and an open
#    transaction is clean (no kernel warnings) and a namespace created
#    under the same name starts empty again.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper txn_hold
topo_create

DEFAULT_S=$'-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT'
DEFAULT_MANGLE_S=$'-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT'
dmesg_start=$(dmesg | wc -l)

log "-- fresh namespaces start empty"
for ns in "$CLI" "$RTR" "$SRV"; do
	assert_eq "${ns##*-} filter -S" "$DEFAULT_S" "$(nfg "$ns" -S)"
	assert_eq "${ns##*-} mangle -S" "$DEFAULT_MANGLE_S" "$(nfg "$ns" -t mangle -S)"
done

log "-- a second, unrelated pair: A 203.0.113.1 <-> B 203.0.113.2"
NSA=$NS_TAG-a
NSB=$NS_TAG-b
ns_create "$NSA"
ns_create "$NSB"
ip link add veth0 netns "$NSA" type veth peer name veth0 netns "$NSB" ||
	die "veth A-B"
ip -n "$NSA" addr add 203.0.113.1/24 dev veth0
ip -n "$NSB" addr add 203.0.113.2/24 dev veth0
ip -n "$NSA" link set veth0 up
ip -n "$NSB" link set veth0 up
ping_ok "$NSA" 203.0.113.2 2

log "-- rules in A do not touch the client - server path"
nfg_ok "$NSA" -A OUTPUT -j DROP
nfg_ok "$NSA" -t mangle -P PREROUTING DROP
nfg_ok "$NSA" -N ONLYA
ping_fails "$NSA" 203.0.113.2 2
ping_ok "$CLI" $SRV_IP 3
for ns in "$CLI" "$RTR" "$SRV" "$NSB"; do
	assert_eq "${ns##*-} -S after A's rules" "$DEFAULT_S" "$(nfg "$ns" -S)"
	assert_eq "${ns##*-} mangle -S after A's rules" "$DEFAULT_MANGLE_S" \
		"$(nfg "$ns" -t mangle -S)"
done
assert_match "A has its rule" '^-A OUTPUT -j DROP$' "$(nfg "$NSA" -S)"
assert_match "A has its chain" '^-N ONLYA$' "$(nfg "$NSA" -S)"
assert_eq "A's OUTPUT counter" 2 "$(rule_counter "$NSA" filter OUTPUT 1)"

log "-- and rules on the path do not touch A - B"
nfg_ok "$NSA" -F
nfg_ok "$NSA" -X
nfg_ok "$NSA" -t mangle -P PREROUTING ACCEPT
nfg_ok "$SRV" -A INPUT -p icmp -j DROP
nfg_ok "$CLI" -P OUTPUT DROP
ping_fails "$CLI" $SRV_IP 2
ping_ok "$NSA" 203.0.113.2 3
assert_eq "A back to default" "$DEFAULT_S" "$(nfg "$NSA" -S)"
assert_eq "B still default" "$DEFAULT_S" "$(nfg "$NSB" -S)"
nfg_ok "$CLI" -P OUTPUT ACCEPT
nfg_ok "$SRV" -F

log "-- same chain name in two namespaces"
nfg_ok "$NSA" -N SHARED
nfg_ok "$NSB" -N SHARED
nfg_ok "$NSA" -A SHARED -p udp -j DROP
nfg_ok "$NSB" -A SHARED -p tcp -j ACCEPT
nfg_ok "$NSB" -A INPUT -j SHARED
sa=$(nfg "$NSA" -S SHARED)
sb=$(nfg "$NSB" -S SHARED)
assert_match "A's SHARED" '^-A SHARED -p udp -j DROP$' "$sa"
assert_no_match "A's SHARED has no B rule" 'tcp' "$sa"
assert_match "B's SHARED" '^-A SHARED -p tcp -j ACCEPT$' "$sb"
nfg_ok "$NSA" -F SHARED
nfg_ok "$NSA" -X SHARED	# B's SHARED is still referenced: only A's may go
assert_match "B's SHARED survives" '^-N SHARED$' "$(nfg "$NSB" -S)"
assert_no_match "A's SHARED gone" '^-N SHARED$' "$(nfg "$NSA" -S)"

log "-- deleting a namespace full of state"
NSX=$NS_TAG-x
ns_create "$NSX"
{
	echo "*filter"
	echo ":INPUT DROP [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	for c in X1 X2 X3; do echo ":$c - [0:0]"; done
	for i in $(seq 1 100); do
		echo "-A INPUT -s 198.18.$((i / 256)).$((i % 256))/32 -p udp --dport $i -j X1"
	done
	echo "-A X1 -j X2"
	echo "-A X2 -g X3"
	echo "-A X3 -p tcp -j RETURN"
	echo "COMMIT"
	mangle_block "-A PREROUTING -p icmp"
} >"$tmpdir/x.rules"
nfg_ok "$NSX" restore "$tmpdir/x.rules"
assert_eq "rules loaded in X" 103 "$(nfg "$NSX" -S | grep -c '^-A ')"
# an open transaction whose socket lives in X
ip netns exec "$NSX" "$HELPERS/txn_hold" 5 >"$tmpdir/hold.out" &
hold=$!
wait_file "$tmpdir/hold.out" || fail "txn_hold did not start"
ip netns exec "$NSX" ping -q -c 2 -i 0.05 127.0.0.1 >/dev/null
ip netns del "$NSX"
kill "$hold"
wait "$hold" 2>/dev/null
# the namespace dies asynchronously (cleanup_net): wait for it
for _ in $(seq 1 30); do
	ip netns list | grep -q "^$NSX" || break
	sleep 0.1
done
sleep 1
ns_create "$NSX"
assert_eq "recreated X starts empty" "$DEFAULT_S" "$(nfg "$NSX" -S)"
assert_eq "recreated X mangle empty" "$DEFAULT_MANGLE_S" "$(nfg "$NSX" -t mangle -S)"
ping_ok "$CLI" $SRV_IP 2

trouble=$(kernel_complaints "$dmesg_start")
assert_eq "kernel log during the test" "" "$trouble"

exit $ret
