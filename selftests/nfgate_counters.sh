#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_counters.sh: per-rule packet and byte counters are exact.
#  - echo requests of a known size: packets = echoes sent, bytes = packets *
#    IP length (84 for ping's default 56 data bytes, 128 for -s 100);
#  - "-L -v -x" and "save -c" report the same numbers;
#  - a flood (ping -f, both CPUs' per-CPU counters summed) counts exactly;
#  - inserting another rule keeps existing counters;
#  - -Z CHAIN NUM, -Z CHAIN and -Z zero what they name, policy counters too;
#  - "restore -c" sets rule and policy counters.

source "$(dirname -- "$0")/lib.sh"
require_env
topo_create

S=$SRV

nfg_ok "$S" -A INPUT -p icmp
nfg_ok "$S" -A OUTPUT -p icmp

log "-- exact packets and bytes"
ping_ok "$CLI" $SRV_IP 5
assert_counter "5 echo requests" "$S" filter INPUT 1 5 420
assert_counter "5 echo replies" "$S" filter OUTPUT 1 5 420
ping_ok "$CLI" $SRV_IP 3 -s 100
assert_counter "+3 requests of 128 bytes" "$S" filter INPUT 1 8 804
assert_eq "save -c packets" 8 "$(save_counter "$S" filter INPUT 1)"
assert_eq "save -c bytes" 804 "$(save_counter "$S" filter INPUT 1 bytes)"
assert_match "save -c rule line" '^\[8:804\] -A INPUT -p icmp' \
	"$(nfg "$S" save -c -t filter)"

log "-- a flood counts exactly"
out=$(ip netns exec "$CLI" ping -n -q -f -c 500 -W 1 $SRV_IP 2>&1)
sent=$(echo "$out" | sed -n 's/^\([0-9]\+\) packets transmitted.*/\1/p')
rcvd=$(echo "$out" | sed -n 's/.* \([0-9]\+\) received.*/\1/p')
assert_eq "flood: all echoes sent" 500 "$sent"
assert_counter "flood requests" "$S" filter INPUT 1 $((8 + sent)) \
	$((804 + sent * 84))
assert_counter "flood replies" "$S" filter OUTPUT 1 $((8 + rcvd)) \
	$((804 + rcvd * 84))

base=$(rule_counter "$S" filter INPUT 1)
log "-- inserting a rule keeps the others' counters"
nfg_ok "$S" -I INPUT 1 -p udp
assert_counter "moved to position 2" "$S" filter INPUT 2 "$base"
assert_counter "new rule" "$S" filter INPUT 1 0 0

log "-- -Z CHAIN NUM"
nfg_ok "$S" -Z INPUT 2
assert_counter "zeroed rule" "$S" filter INPUT 2 0 0
assert_counter "OUTPUT untouched" "$S" filter OUTPUT 1 $((8 + rcvd))
ping_ok "$CLI" $SRV_IP 2
assert_counter "counting again after -Z" "$S" filter INPUT 2 2 168

log "-- -Z CHAIN, -Z, policy counters"
nfg_ok "$S" -Z INPUT
assert_counter "-Z INPUT" "$S" filter INPUT 2 0 0
assert_counter "-Z INPUT leaves OUTPUT" "$S" filter OUTPUT 1 $((10 + rcvd))
nfg_ok "$S" -P INPUT DROP
nfg_ok "$S" -F INPUT
ping_fails "$CLI" $SRV_IP 3
assert_eq "policy packets" 3 "$(policy_counter "$S" filter INPUT)"
assert_eq "policy bytes" 252 "$(policy_counter "$S" filter INPUT bytes)"
nfg_ok "$S" -Z
assert_eq "-Z zeroes policy packets" 0 "$(policy_counter "$S" filter INPUT)"
assert_eq "-Z zeroes policy bytes" 0 "$(policy_counter "$S" filter INPUT bytes)"
assert_counter "-Z zeroes OUTPUT" "$S" filter OUTPUT 1 0 0
nfg_ok "$S" -P INPUT ACCEPT

log "-- mangle counters are separate"
nfg_ok "$S" -t mangle -A INPUT -p icmp
ping_ok "$CLI" $SRV_IP 2
assert_counter "mangle INPUT" "$S" mangle INPUT 1 2 168
nfg_ok "$S" -t mangle -Z
assert_counter "-t mangle -Z" "$S" mangle INPUT 1 0 0
assert_counter "-t mangle -Z leaves filter" "$S" filter OUTPUT 1 2 168

log "-- restore -c sets counters"
cat >"$tmpdir/counters.rules" <<'RULES'
*filter
:INPUT ACCEPT [11:1100]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
[7:700] -A INPUT -p icmp
COMMIT
RULES
nfg_ok "$S" restore -c "$tmpdir/counters.rules"
assert_counter "restored rule" "$S" filter INPUT 1 7 700
assert_eq "restored policy packets" 11 "$(policy_counter "$S" filter INPUT)"
assert_eq "restored policy bytes" 1100 "$(policy_counter "$S" filter INPUT bytes)"
ping_ok "$CLI" $SRV_IP 2
assert_counter "restored counter keeps counting" "$S" filter INPUT 1 9 868
assert_match "save -c round trip" '^\[9:868\] -A INPUT -p icmp$' \
	"$(nfg "$S" save -c -t filter)"

exit $ret
