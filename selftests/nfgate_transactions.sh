#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_transactions.sh: transactions.
#  - nl_txn (nl_txn.c): the protocol level, two raw netlink sockets: EBUSY
#    for the other socket, staged operations invisible until commit, a
#    failed operation cancels the rest, abort / close / process death
#    discard, generations;
#  - nfgate restore: a file whose line in the middle fails (in the kernel)
#    leaves ruleset and packets as they were;
#  - while txn_hold keeps a transaction open in a namespace, the CLI's
#    writes fail with EBUSY, packets do not see the staged DROP rules, and
#    once the holder dies they never appear.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nl_txn txn_hold
topo_create

log "-- protocol level: nl_txn"
"$HELPERS/nl_txn"
rc=$?
[ $rc -eq 0 ] || fail "nl_txn exited $rc"

S=$SRV
nfg_ok "$S" -N KEEP
nfg_ok "$S" -A KEEP -p udp -j DROP
nfg_ok "$S" -A INPUT -p icmp -j KEEP
nfg_ok "$S" -A INPUT -p icmp -j ACCEPT
before=$(ruleset "$S")

log "-- restore: a failing line in the middle changes nothing"
{
	echo "*filter"
	echo ":INPUT DROP [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT DROP [0:0]"
	for i in $(seq 1 20); do echo "-A INPUT -s 203.0.113.$i -j DROP"; done
	echo "-A INPUT -p icmp -j NOSUCHCHAIN"
	for i in $(seq 21 40); do echo "-A OUTPUT -d 203.0.113.$i -j DROP"; done
	echo "COMMIT"
} >"$tmpdir/mid.rules"
out=$(nfg "$S" restore "$tmpdir/mid.rules" 2>&1)
rc=$?
log "restore -> $rc: $out"
assert_eq "restore exit code" 1 "$rc"
assert_match "restore names line 25" 'line 25([^0-9]|$)' "$out"
assert_eq "save after the failed restore" "$before" "$(ruleset "$S")"
ping_ok "$CLI" $SRV_IP 3	# the policies did not turn to DROP
out=$(nfg "$S" restore --noflush "$tmpdir/mid.rules" 2>&1)
assert_eq "restore --noflush exit code" 1 "$?"
assert_eq "save after the failed --noflush restore" "$before" "$(ruleset "$S")"

log "-- an open transaction held by another process"
ip netns exec "$S" "$HELPERS/txn_hold" 3 >"$tmpdir/hold.out" 2>&1 &
hold=$!
bg_pids+=($hold)
wait_file "$tmpdir/hold.out" 50 || fail "txn_hold did not start"
assert_eq "txn_hold" holding "$(cat "$tmpdir/hold.out")"
# staged: three "-p icmp -j DROP" in INPUT; packets must not see them
ping_ok "$CLI" $SRV_IP 3
out=$(nfg "$S" -A INPUT -p tcp -j DROP 2>&1)
rc=$?
log "-A while held -> $rc: $out"
assert_eq "-A while another socket holds a transaction" 1 "$rc"
assert_match "EBUSY message" "busy|in progress" "$out"
out=$(nfg "$S" restore --noflush "$tmpdir/mid.rules" 2>&1)
assert_eq "restore while held" 1 "$?"
assert_eq "save while held (reads work, show committed)" "$before" \
	"$(ruleset "$S")"
kill "$hold"
wait "$hold" 2>/dev/null
assert_eq "save after the holder died" "$before" "$(ruleset "$S")"
ping_ok "$CLI" $SRV_IP 3
nfg_ok "$S" -A INPUT -p tcp -j DROP
assert_eq "INPUT rules after the holder died" 3 \
	"$(nfg "$S" -S INPUT | grep -c '^-A ')"

log "-- a good restore is applied as a whole"
{
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	echo ":NEW - [0:0]"
	echo "-A NEW -p icmp -j DROP"
	echo "-A INPUT -s $CLI_IP -j NEW"
	echo "COMMIT"
} >"$tmpdir/good.rules"
nfg_ok "$S" restore "$tmpdir/good.rules"
ping_fails "$CLI" $SRV_IP 3
assert_counter "restored jump" "$S" filter INPUT 1 3
assert_counter "restored drop" "$S" filter NEW 1 3
assert_no_match "flushed KEEP" '^-N KEEP' "$(nfg "$S" -S)"

exit $ret
