#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_churn_netns.sh: namespaces created, filled, used and destroyed
# give back their kernel memory.  NS namespaces, BATCH at a time: each is
# joined to a hub namespace by a veth pair (its 198.18.1.J/32 <-> the
# hub's 198.18.0.1), gets one "nfgate restore" of about 300 rules (filter
# with 10 user chains and jumps, mangle, nat: a DNAT in OUTPUT and a
# MASQUERADE in POSTROUTING, so nfgate registers the nat hooks and
# conntrack tracks the traffic) and pings 203.0.113.1, which only its DNAT
# rule sends to the hub: every ping must be answered and the DNAT rule's
# counter must read 1.  Then the batch's namespaces are deleted.  A first
# batch warms up (per-cpu slabs, caches' first pages); kernel memory
# (SUnreclaim + Percpu, churn_lib.sh) after all the others must be back at
# the level after the warm-up, and the kernel log clean.
#
# NFGATE_CHURN_NS (namespaces, default 10), NFGATE_CHURN_BATCH (5).

source "$(dirname -- "$0")/lib.sh"
source "$(dirname -- "$0")/churn_lib.sh"
require_env

NS=${NFGATE_CHURN_NS:-10}
BATCH=${NFGATE_CHURN_BATCH:-5}
HUB=$NS_TAG-hub
HUB_IP=198.18.0.1
dmesg_start=$(dmesg | wc -l)

ns_create "$HUB"

{
	echo "*filter"
	echo ":INPUT DROP [0:0]"
	echo ":FORWARD DROP [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	for c in 0 1 2 3 4 5 6 7 8 9; do echo ":U$c - [0:0]"; done
	for c in 0 1 2 3 4 5 6 7 8 9; do
		for ((i = 0; i < 20; i++)); do
			echo "-A U$c -s 203.0.113.$((c * 20 + i + 1))/32 -p tcp --dport $((1000 + i)) -j DROP"
		done
		echo "-A INPUT -p tcp -j U$c"
		echo "-A OUTPUT -p tcp -j U$c"
	done
	for ((i = 0; i < 60; i++)); do
		echo "-A FORWARD -d 198.19.$i.0/24 -p udp --dport $((2000 + i)) -j DROP"
	done
	echo "-A INPUT -s $HUB_IP/32 -p icmp -j ACCEPT"
	echo "COMMIT"
	echo "*mangle"
	echo "-A PREROUTING -p icmp"
	echo "-A POSTROUTING -p icmp"
	echo "COMMIT"
	echo "*nat"
	for ((i = 0; i < 20; i++)); do
		echo "-A PREROUTING -d 198.19.100.$((i + 1))/32 -p tcp --dport 80 -j DNAT --to-destination 198.19.200.$((i + 1)):8080"
	done
	echo "-A OUTPUT -d 203.0.113.1/32 -p icmp -j DNAT --to-destination $HUB_IP"
	echo "-A POSTROUTING -o veth0 -j MASQUERADE"
	echo "COMMIT"
} >"$tmpdir/ns.rules"
nrules=$(grep -c '^-A' "$tmpdir/ns.rules")

# batch FIRST COUNT: namespaces FIRST .. FIRST+COUNT-1 live and die.
batch() {
	local first=$1 count=$2 j n name pids=() bad=0

	for ((j = 0; j < count; j++)); do
		n=$((first + j))
		name=$NS_TAG-$n
		ip netns add "$name" || die "ip netns add $name"
		ip -n "$name" link set lo up
		ip link add veth0 netns "$name" type veth peer name h$j netns "$HUB" ||
			die "veth $name"
		ip -n "$name" addr add 198.18.1.$((j + 1)) peer $HUB_IP dev veth0
		ip -n "$HUB" addr add $HUB_IP peer 198.18.1.$((j + 1)) dev h$j
		ip -n "$name" link set veth0 up
		ip -n "$HUB" link set h$j up
		ip -n "$name" route add default via $HUB_IP
		nfg "$name" restore "$tmpdir/ns.rules" >"$tmpdir/restore.$j" 2>&1 &
		pids+=($!)
	done
	for ((j = 0; j < count; j++)); do
		wait "${pids[$j]}" ||
			fail "restore in namespace $((first + j)): $(cat "$tmpdir/restore.$j")"
	done
	pids=()
	for ((j = 0; j < count; j++)); do
		ip netns exec "$NS_TAG-$((first + j))" ping -n -q -c 1 -W 5 \
			203.0.113.1 >/dev/null 2>&1 &
		pids+=($!)
	done
	for ((j = 0; j < count; j++)); do
		wait "${pids[$j]}" || bad=$((bad + 1))
	done
	[ $bad -eq 0 ] || fail "namespaces $first..: $bad of $count pings to the DNAT address unanswered"
	# The rules did it: one namespace's DNAT counter and ruleset size.
	n=$(nfg "$NS_TAG-$first" save -c -t nat | grep -e "-j DNAT --to-destination $HUB_IP" |
		sed -n 's/^\[\([0-9]*\):.*/\1/p')
	[ "$n" = 1 ] || fail "namespace $first: DNAT rule counter '$n', expected 1"
	n=$(nfg "$NS_TAG-$first" save | grep -c '^-A')
	[ "$n" = "$nrules" ] || fail "namespace $first: $n rules, expected $nrules"
	for ((j = 0; j < count; j++)); do
		ip netns del "$NS_TAG-$((first + j))"
	done
}

log "-- warm-up: $BATCH namespaces of $nrules rules"
batch 0 "$BATCH"
base_mem=$(mem_settled)
log "baseline after the warm-up: $base_mem kB"

log "-- $NS namespaces, $BATCH at a time"
t0=$SECONDS
for ((done_ns = 0; done_ns < NS && ret == 0; done_ns += BATCH)); do
	count=$((NS - done_ns < BATCH ? NS - done_ns : BATCH))
	batch $((BATCH + done_ns)) "$count"
	if (((done_ns / BATCH) % 10 == 9)); then
		log "$((done_ns + count)) namespaces done, SUnreclaim+Percpu $(mem_kb) kB"
	fi
done
log "$done_ns namespaces of $nrules rules created, used and deleted in $((SECONDS - t0))s"
assert_eq "namespaces survived" "$NS" "$done_ns"
mem_check "after $done_ns namespaces" "$base_mem"
kernel_log_clean "netns churn" "$dmesg_start"
exit $ret
