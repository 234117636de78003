#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_policy.sh: built-in chain policies.
#  - router "-P FORWARD DROP" drops the forwarded pings; the policy counter
#    in "-L -v -x" (and "save -c") counts exactly the dropped packets;
#  - an ACCEPT rule for one UDP flow lets exactly that flow through while
#    every other port still ends at the policy;
#  - ACCEPT rules for icmp bring the ping back without touching the policy
#    counter; "-P FORWARD ACCEPT" restores forwarding;
#  - the same for the server's filter INPUT and the router's mangle
#    PREROUTING policies.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp
topo_create

N=4
R=$RTR

policy_delta() {	# policy_delta NS TABLE CHAIN BEFORE [pkts|bytes]
	echo $(($(policy_counter "$1" "$2" "$3" "${5:-pkts}") - $4))
}

log "-- filter FORWARD policy DROP"
ping_ok "$CLI" $SRV_IP 2
nfg_ok "$R" -P FORWARD DROP
assert_match "-S shows the policy" '^-P FORWARD DROP$' "$(nfg "$R" -S)"
p0=$(policy_counter "$R" filter FORWARD)
b0=$(policy_counter "$R" filter FORWARD bytes)
ping_fails "$CLI" $SRV_IP $N
assert_eq "policy counter: dropped echo requests" $N \
	"$(policy_delta "$R" filter FORWARD "$p0")"
assert_eq "policy bytes: N * 84" $((N * 84)) \
	"$(policy_delta "$R" filter FORWARD "$b0" bytes)"

log "-- one UDP flow allowed, the rest still dropped by the policy"
nfg_ok "$R" -A FORWARD -p udp -s $CLI_IP -d $SRV_IP --dport 5001 -j ACCEPT
p0=$(policy_counter "$R" filter FORWARD)
got=$(udp_round "$CLI" "$SRV" $SRV_IP 5000:5002 3)
assert_eq "udp ports through" "5000:0 5001:3 5002:0" "$got"
assert_counter "accepted flow" "$R" filter FORWARD 1 3
assert_eq "policy counter: the 6 other datagrams" 6 \
	"$(policy_delta "$R" filter FORWARD "$p0")"
ping_fails "$CLI" $SRV_IP 2

log "-- icmp allowed both ways: policy counter stands still"
nfg_ok "$R" -A FORWARD -p icmp -j ACCEPT
p0=$(policy_counter "$R" filter FORWARD)
ping_ok "$CLI" $SRV_IP $N
assert_counter "icmp accept" "$R" filter FORWARD 2 $((2 * N))
assert_eq "policy counter unchanged" 0 "$(policy_delta "$R" filter FORWARD "$p0")"

log "-- save -c shows the policy and its counters"
pol_line=$(nfg "$R" save -c -t filter | grep '^:FORWARD ')
assert_eq "save -c policy line" \
	":FORWARD DROP [$(policy_counter "$R" filter FORWARD):$(policy_counter "$R" filter FORWARD bytes)]" \
	"$pol_line"

log "-- back to ACCEPT"
nfg_ok "$R" -F FORWARD
nfg_ok "$R" -P FORWARD ACCEPT
assert_match "-S shows the policy" '^-P FORWARD ACCEPT$' "$(nfg "$R" -S)"
ping_ok "$CLI" $SRV_IP $N
got=$(udp_round "$CLI" "$SRV" $SRV_IP 5000:5002 1)
assert_eq "udp after ACCEPT policy" "5000:1 5001:1 5002:1" "$got"

log "-- filter INPUT policy DROP on the server"
nfg_ok "$SRV" -P INPUT DROP
p0=$(policy_counter "$SRV" filter INPUT)
ping_fails "$CLI" $SRV_IP $N
assert_eq "server INPUT policy counter" $N \
	"$(policy_delta "$SRV" filter INPUT "$p0")"
nfg_ok "$SRV" -I INPUT -p icmp -s $CLI_IP -j ACCEPT
ping_ok "$CLI" $SRV_IP $N
assert_counter "server INPUT accept" "$SRV" filter INPUT 1 $N
ping_fails "$RTR" $SRV_IP 2	# from 198.51.100.1: not the allowed source
nfg_ok "$SRV" -P INPUT ACCEPT
ping_ok "$RTR" $SRV_IP 2

log "-- mangle PREROUTING policy DROP on the router"
nfg_ok "$R" -t mangle -P PREROUTING DROP
p0=$(policy_counter "$R" mangle PREROUTING)
ping_fails "$CLI" $SRV_IP $N
assert_eq "mangle PREROUTING policy counter" $N \
	"$(policy_delta "$R" mangle PREROUTING "$p0")"
assert_match "-t mangle -S" '^-P PREROUTING DROP$' "$(nfg "$R" -t mangle -S)"
nfg_ok "$R" -t mangle -P PREROUTING ACCEPT
ping_ok "$CLI" $SRV_IP $N

exit $ret
