#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_iface.sh: -i / -o interface matches: exact names, the '+' prefix
# wildcard ("veth+", "veth-c+", "+"), a name that is only a prefix without
# '+' (must not match), and "!".  Router FORWARD sees echo requests arrive
# on veth-cli and leave on veth-srv, replies the other way round.  Where a
# hook has no device on one side, that side is the empty name, checked
# side by side with iptables-legacy.

source "$(dirname -- "$0")/lib.sh"
require_env
topo_create

N=3
R=$RTR

# ping_verdict: N pings client -> server: "ok" (all answered), "fails"
# (none) or "partial(K)".
ping_verdict() {
	local got

	got=$(ping_count "$CLI" $SRV_IP $N)
	case "$got" in
	"$N") echo ok ;;
	0) echo fails ;;
	*) echo "partial($got)" ;;
	esac
}

# iface_case ping-EXPECT COUNTER-EXPECT TABLE CHAIN NS RULE-ARGS...
iface_case() {
	local want=$1 count=$2 table=$3 chain=$4 ns=$5

	shift 5
	nfg_ok "$ns" -t "$table" -A "$chain" "$@" -p icmp -j DROP
	assert_eq "$table $chain [$*] ping" "$want" "$(ping_verdict)"
	assert_counter "$table $chain [$*]" "$ns" "$table" "$chain" 1 "$count"
	nfg_ok "$ns" -t "$table" -F "$chain"
}

log "-- router FORWARD, input interface"
iface_case fails $N filter FORWARD "$R" -i veth-cli
iface_case fails $N filter FORWARD "$R" -i veth+
iface_case fails $N filter FORWARD "$R" -i veth-c+
iface_case fails $N filter FORWARD "$R" -i veth-cli+
iface_case fails $N filter FORWARD "$R" -i +
iface_case ok 0 filter FORWARD "$R" -i veth-cl
iface_case ok 0 filter FORWARD "$R" -i eth+
iface_case ok 0 filter FORWARD "$R" ! -i veth+
# "! -i veth-cli": requests pass, every reply (in on veth-srv) is dropped
nfg_ok "$SRV" -A INPUT -p icmp
iface_case fails $N filter FORWARD "$R" ! -i veth-cli
assert_counter "server saw the requests" "$SRV" filter INPUT 1 $N
nfg_ok "$SRV" -F INPUT

log "-- router FORWARD, output interface"
iface_case fails $N filter FORWARD "$R" -o veth-srv
iface_case fails $N filter FORWARD "$R" -o veth-cli	# the replies
iface_case ok 0 filter FORWARD "$R" -o nosuch+
iface_case ok 0 filter FORWARD "$R" ! -o veth+
iface_case fails $N filter FORWARD "$R" -i veth-cli -o veth-srv
iface_case ok 0 filter FORWARD "$R" -i veth-srv -o veth-srv
iface_case fails $N filter FORWARD "$R" -i veth-cli ! -o veth-cli

log "-- other hooks"
iface_case fails $N mangle PREROUTING "$R" -i veth-c+
iface_case fails $N mangle PREROUTING "$R" -i veth-s+	# the replies
iface_case ok 0 mangle PREROUTING "$R" -i veth-x+
iface_case fails $N mangle POSTROUTING "$R" -o veth-srv
iface_case fails $N filter INPUT "$SRV" -i veth0
iface_case ok 0 filter INPUT "$SRV" -i lo
iface_case ok 0 filter INPUT "$SRV" ! -i veth+
iface_case fails $N filter OUTPUT "$CLI" -o veth0
iface_case ok 0 filter OUTPUT "$CLI" -o lo

# Rules with equal (-i, -o) pairs share one interned names object in the
# kernel (Documentation/design.rst, Memory): deleting one rule of a pair
# must leave the other matching, and delete-by-spec must tell pairs,
# wildcards and sides apart.  Walked as a list (linear_below default) and
# through the classifier (linear_below=0).
LB=/sys/module/nfgate/parameters/linear_below
lb_saved=$(cat $LB)
for lb in "$lb_saved" 0; do
	log "-- shared interface names (linear_below=$lb)"
	echo "$lb" >$LB
	nfg_ok "$R" -A FORWARD -i veth-cli -o veth-srv -p icmp
	nfg_ok "$R" -A FORWARD -i veth-cli -o veth-cli -p icmp
	nfg_ok "$R" -A FORWARD -i veth-cli -o veth-srv -s $CLI_IP -p icmp
	nfg_ok "$R" -A FORWARD -o veth-srv -i veth-cli -p udp
	# no such rule: other side, wildcard of the same name, swapped pair
	for spec in "-i veth-cli -p icmp" "-i veth-cli+ -o veth-srv -p icmp" \
		    "-i veth-srv -o veth-cli -p icmp" \
		    "! -i veth-cli -o veth-srv -p icmp"; do
		# shellcheck disable=SC2086
		if nfg "$R" -D FORWARD $spec 2>/dev/null; then
			fail "-D FORWARD $spec deleted a rule that is not there"
		fi
	done
	nfg_ok "$R" -D FORWARD -i veth-cli -o veth-srv -p icmp
	dump=$(nfg "$R" -S FORWARD)
	assert_eq "-D by spec removed the first (-i, -o) pair rule only" \
		"-A FORWARD -i veth-cli -o veth-cli -p icmp
-A FORWARD -s $CLI_IP/32 -i veth-cli -o veth-srv -p icmp
-A FORWARD -i veth-cli -o veth-srv -p udp" \
		"$(echo "$dump" | grep '^-A')"
	assert_eq "ping through the survivors" "$N" \
		"$(ping_count "$CLI" $SRV_IP $N)"
	assert_counters "survivor of the shared pair" "$R" filter \
		FORWARD:1:0 FORWARD:2:$N FORWARD:3:0
	# the same pair again, now dropping: the object is still shared
	nfg_ok "$R" -I FORWARD -i veth-cli -o veth-srv -p icmp -j DROP
	assert_eq "re-added pair rule drops" 0 "$(ping_count "$CLI" $SRV_IP $N)"
	assert_counters "re-added pair rule" "$R" filter \
		FORWARD:1:$N FORWARD:3:$N
	nfg_ok "$R" -D FORWARD -i veth-cli -o veth-srv -s $CLI_IP -p icmp
	nfg_ok "$R" -D FORWARD -i veth-cli -o veth-srv -p icmp -j DROP
	nfg_ok "$R" -D FORWARD -i veth-cli -o veth-cli -p icmp
	nfg_ok "$R" -D FORWARD -i veth-cli -o veth-srv -p udp
	assert_eq "chain empty after the deletes" "" \
		"$(nfg "$R" -S FORWARD | grep '^-A')"
done
echo "$lb_saved" >$LB

log "-- dumps keep the wildcard"
nfg_ok "$R" -A FORWARD -i veth+ ! -o veth-c+ -j ACCEPT
dump=$(nfg "$R" -S FORWARD)
assert_match "-S shows -i veth+" ' -i veth\+ ' "$dump"
assert_match "-S shows ! -o veth-c+" ' ! -o veth-c\+ ' "$dump"

# A side without device (no input device at OUTPUT, no output device at
# INPUT) has the empty name, as in iptables: "+" matches it, "! +" does
# not, a name or a prefix with letters does not, their "!" does.  The rule
# sits in a user chain, the only place iptables allows -i under OUTPUT or
# -o under INPUT.  Each case runs through nfgate, then through
# iptables-legacy in the same namespace (nfgate emptied), and both must
# give the expected verdict.
log "-- a missing device is the empty name, as in iptables"
# missing_case PING-EXPECT NS HOOK-CHAIN RULE-ARGS...
missing_case() {
	local want=$1 ns=$2 hook=$3 tool

	shift 3
	for tool in nfgate iptables-legacy; do
		if [ $tool = nfgate ]; then
			nfg_ok "$ns" -N U
			nfg_ok "$ns" -A U "$@" -p icmp -j DROP
			nfg_ok "$ns" -A "$hook" -j U
		else
			ip netns exec "$ns" iptables-legacy -N U &&
			ip netns exec "$ns" iptables-legacy -A U "$@" -p icmp -j DROP &&
			ip netns exec "$ns" iptables-legacy -A "$hook" -j U ||
				{ fail "iptables-legacy refused U: $*"; continue; }
		fi
		assert_eq "$tool: $hook -> U [$*] ping" "$want" "$(ping_verdict)"
		if [ $tool = nfgate ]; then
			nfg_ok "$ns" -F
			nfg_ok "$ns" -X U
		else
			ip netns exec "$ns" iptables-legacy -F
			ip netns exec "$ns" iptables-legacy -X U
		fi
	done
}
if command -v iptables-legacy >/dev/null &&
   modprobe -a x_tables ip_tables iptable_filter &&
   ip netns exec "$CLI" iptables-legacy -S >/dev/null 2>&1; then
	missing_case ok "$CLI" OUTPUT ! -i +
	missing_case fails "$CLI" OUTPUT -i +
	missing_case fails "$CLI" OUTPUT ! -i veth0
	missing_case ok "$CLI" OUTPUT -i veth+
	missing_case fails "$CLI" OUTPUT ! -i veth+
	missing_case ok "$SRV" INPUT ! -o +
	missing_case fails "$SRV" INPUT -o +
	missing_case fails "$SRV" INPUT ! -o veth0
	missing_case ok "$SRV" INPUT -o v+
	ip netns exec "$CLI" iptables-legacy -F
	ip netns exec "$SRV" iptables-legacy -F
else
	fail "iptables-legacy is missing or does not work in the VM"
fi

exit $ret
