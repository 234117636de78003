#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_user_chains.sh: user chains in the server's filter INPUT.
#  - "-j CHAIN" then RETURN continues with the rule after the jump;
#  - falling off the end of a user chain does the same;
#  - ACCEPT / DROP inside a user chain end the traversal;
#  - "-g CHAIN": a RETURN (or the end) of the goto'd chain returns to the
#    caller of the chain that did the goto, not to it; from a built-in
#    chain that means the policy;
#  - nested jumps return level by level.
# Each step is judged by whether echoes arrive and by every rule's counter.

source "$(dirname -- "$0")/lib.sh"
require_env
topo_create

N=3
S=$SRV

log "-- jump, RETURN continues in the caller"
nfg_ok "$S" -N UC
nfg_ok "$S" -A INPUT -p icmp -j UC
nfg_ok "$S" -A INPUT -p icmp -j DROP
nfg_ok "$S" -A UC -p icmp -j RETURN
nfg_ok "$S" -A UC -p icmp -j ACCEPT
ping_fails "$CLI" $SRV_IP $N
# the jump, RETURN, not the rule after RETURN, the rule after the jump
assert_counters "jump+RETURN" "$S" filter INPUT:1:$N UC:1:$N UC:2:0 INPUT:2:$N

log "-- falling off the end of UC returns too"
nfg_ok "$S" -D UC 1
nfg_ok "$S" -R UC 1 -p icmp
ping_fails "$CLI" $SRV_IP $N
assert_counters "fall off UC" "$S" filter UC:1:$N INPUT:2:$((2 * N))

log "-- ACCEPT in UC ends the traversal"
nfg_ok "$S" -A UC -p icmp -j ACCEPT
ping_ok "$CLI" $SRV_IP $N
assert_counters "ACCEPT in UC, rule after the jump not reached" "$S" filter \
	UC:2:$N INPUT:2:$((2 * N))

log "-- DROP in UC ends the traversal"
nfg_ok "$S" -R UC 2 -p icmp -j DROP
ping_fails "$CLI" $SRV_IP $N
assert_counters "DROP in UC, rule after the jump not reached" "$S" filter \
	UC:2:$N INPUT:2:$((2 * N))

nfg_ok "$S" -F
nfg_ok "$S" -X UC

log "-- goto: RETURN of the goto'd chain skips the chain that did the goto"
# INPUT: -j A, DROP;  A: -g B, ACCEPT;  B: RETURN
# right: B returns to INPUT after "-j A" -> DROP
# wrong (goto treated as jump): B returns into A -> ACCEPT
nfg_ok "$S" -N A
nfg_ok "$S" -N B
nfg_ok "$S" -A INPUT -p icmp -j A
nfg_ok "$S" -A INPUT -p icmp -j DROP
nfg_ok "$S" -A A -p icmp -g B
nfg_ok "$S" -A A -p icmp -j ACCEPT
nfg_ok "$S" -A B -p icmp -j RETURN
ping_fails "$CLI" $SRV_IP $N
# goto B, never A after the goto, RETURN in B, INPUT after -j A
assert_counters "goto" "$S" filter A:1:$N A:2:0 B:1:$N INPUT:2:$N

log "-- goto: falling off the goto'd chain, same"
nfg_ok "$S" -R B 1 -p icmp
ping_fails "$CLI" $SRV_IP $N
assert_counters "goto, fall off" "$S" filter A:2:0 INPUT:2:$((2 * N))

log "-- goto from a built-in chain: returning means the policy"
nfg_ok "$S" -F INPUT
nfg_ok "$S" -A INPUT -p icmp -g B
nfg_ok "$S" -A INPUT -p icmp -j DROP
ping_ok "$CLI" $SRV_IP $N
assert_counter "INPUT after -g B (never)" "$S" filter INPUT 2 0
nfg_ok "$S" -P INPUT DROP
pol=$(policy_counter "$S" filter INPUT)
ping_fails "$CLI" $SRV_IP $N
assert_counter "INPUT after -g B (never)" "$S" filter INPUT 2 0
assert_eq "INPUT policy counter grew by" $N \
	"$(($(policy_counter "$S" filter INPUT) - pol))"
nfg_ok "$S" -P INPUT ACCEPT
nfg_ok "$S" -F
nfg_ok "$S" -X

log "-- nested jumps return level by level"
# INPUT: -j C1;  C1: -j C2, ACCEPT;  C2: -j C3, RETURN;  C3: RETURN
nfg_ok "$S" -P INPUT DROP
pol=$(policy_counter "$S" filter INPUT)
for c in C1 C2 C3; do nfg_ok "$S" -N $c; done
nfg_ok "$S" -A INPUT -p icmp -j C1
nfg_ok "$S" -A C1 -p icmp -j C2
nfg_ok "$S" -A C1 -p icmp -j ACCEPT
nfg_ok "$S" -A C2 -p icmp -j C3
nfg_ok "$S" -A C2 -p icmp -j RETURN
nfg_ok "$S" -A C3 -p icmp -j RETURN
ping_ok "$CLI" $SRV_IP $N
# C3 RETURN, C2 after C3, C1 after C2
assert_counters "nested" "$S" filter C3:1:$N C2:2:$N C1:2:$N
assert_eq "INPUT policy counter unchanged" "$pol" \
	"$(policy_counter "$S" filter INPUT)"

log "-- the same user chain reached twice"
nfg_ok "$S" -F
nfg_ok "$S" -X
nfg_ok "$S" -N CNT
nfg_ok "$S" -A CNT -p icmp
nfg_ok "$S" -A INPUT -p icmp -j CNT
nfg_ok "$S" -A INPUT -p icmp -j CNT
nfg_ok "$S" -A INPUT -p icmp -j ACCEPT
ping_ok "$CLI" $SRV_IP $N
assert_counter "CNT entered twice per packet" "$S" filter CNT 1 $((2 * N))

exit $ret
