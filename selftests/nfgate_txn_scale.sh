#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_txn_scale.sh: atomicity of big transactions through the CLI.
#  - "nfgate restore --noflush" of one block of 10000 operations whose
#    operation 5000 only the kernel can refuse (a delete of a rule that does
#    not exist; in a second file a jump to a chain that does not exist)
#    exits 1 naming line 5001 (the 5000th operation), and "save" and
#    "save -c" are byte-identical to before;
#  - the same, while a ping flood runs through a counting rule and a watcher
#    keeps listing the chain: operations 1..4999 put ICMP DROP rules in
#    front, so had any of them been visible at any moment, the watcher would
#    have seen it or an echo would have been lost; afterwards the counting
#    rule holds exactly the echoes sent (counters untouched by the failure);
#  - a process holding a transaction of 5000 staged rules is SIGKILLed:
#    nothing of it is ever visible, and the next writer is not refused.
# The protocol-level counterparts (operation N in the extack, generations)
# are nl_txn's big_transaction_fails_whole, generation_counts_commits_only
# and process_death_aborts (nfgate_transactions.sh).

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper txn_hold
topo_create

S=$SRV
OPS=10000
BAD=5000

nfg_ok "$S" -N KEEP
nfg_ok "$S" -A KEEP -p udp --dport 9 -j DROP
nfg_ok "$S" -A INPUT -p icmp		# counts the echoes
nfg_ok "$S" -A INPUT -s 198.18.99.1 -j KEEP
ping_ok "$CLI" $SRV_IP 5		# counters are not all zero

# big_file FILE BAD-LINE: one *filter block of $OPS operations; operation
# $BAD is BAD-LINE, the others valid: among them ICMP DROPs at position 1.
big_file() {
	local i

	{
		echo "*filter"
		for ((i = 1; i <= OPS; i++)); do
			if ((i == BAD)); then
				echo "$2"
			elif ((i % 100 == 1)); then
				echo "-I INPUT 1 -p icmp -j DROP"
			else
				echo "-A INPUT -s 198.18.$((i / 250)).$((i % 250 + 1)) -p udp --dport $((1000 + i % 5000)) -j DROP"
			fi
		done
		echo "COMMIT"
	} >"$1"
}
big_file "$tmpdir/del.rules" "-D INPUT -s 198.18.250.250/32 -p tcp -j DROP"
big_file "$tmpdir/jump.rules" "-A INPUT -p tcp -j NOSUCHCHAIN"
# line 1 is "*filter": operation N is line N + 1
BAD_LINE=$((BAD + 1))

before=$(save_filtered "$S")
before_rs=$(ruleset "$S")
before_c=$(save_filtered "$S" -c)

for f in del jump; do
	log "-- $OPS operations, number $BAD fails in the kernel ($f)"
	SECONDS_START=$SECONDS
	out=$(nfg "$S" restore --noflush "$tmpdir/$f.rules" 2>&1)
	rc=$?
	log "restore -> $rc in $((SECONDS - SECONDS_START))s: $out"
	assert_eq "$f: restore exit code" 1 "$rc"
	assert_match "$f: error names line $BAD_LINE" "line $BAD_LINE([^0-9]|$)" "$out"
	now=$(save_filtered "$S")
	assert_eq "$f: save after the failed restore" "$before" "$now" ||
		show_diff "$before" "$now"
	now=$(save_filtered "$S" -c)
	assert_eq "$f: save -c after the failed restore" "$before_c" "$now" ||
		show_diff "$before_c" "$now"
done

log "-- the same under a ping flood and a watcher"
echoes0=$(save_counter "$S" filter INPUT 1)
PINGS=1500
ip netns exec "$CLI" ping -n -q -c $PINGS -i 0.01 -W 2 $SRV_IP \
	>"$tmpdir/ping.out" 2>&1 &
ping_pid=$!
bg_pids+=($ping_pid)
nfg "$S" restore --noflush "$tmpdir/del.rules" >"$tmpdir/restore.out" 2>&1 &
restore_pid=$!
bg_pids+=($restore_pid)
looks=0
seen=0
while kill -0 $restore_pid 2>/dev/null; do
	n=$(nfg "$S" -S INPUT | grep -c '^-A ')
	looks=$((looks + 1))
	[ "$n" != 2 ] && seen=$((seen + 1))
done
wait $restore_pid
rc=$?
log "restore -> $rc: $(cat "$tmpdir/restore.out"); watcher listed INPUT $looks times"
assert_eq "restore under load exit code" 1 "$rc"
assert_eq "listings that showed a staged rule" 0 "$seen"
kill -0 $ping_pid 2>/dev/null || log "note: the ping flood ended before the restore"
wait $ping_pid
got=$(sed -n 's/.* \([0-9]\+\) \(packets \)\?received.*/\1/p' "$tmpdir/ping.out")
assert_eq "echo replies during the failed restore" "$PINGS" "$got"
assert_eq "ruleset after the failed restore under load" "$before_rs" \
	"$(ruleset "$S")"
assert_eq "counting rule: exactly the echoes" $((echoes0 + PINGS)) \
	"$(save_counter "$S" filter INPUT 1)"
assert_eq "rules after" "$(echo "$before" | grep -c '^-A ')" \
	"$(nfg "$S" -S | grep -c '^-A ')"

log "-- SIGKILL of a process holding 5000 staged rules"
before=$(ruleset "$S")
ip netns exec "$S" "$HELPERS/txn_hold" 5000 >"$tmpdir/hold.out" 2>&1 &
hold=$!
bg_pids+=($hold)
wait_file "$tmpdir/hold.out" 1200 || fail "txn_hold did not start in 120 s"
assert_eq "txn_hold" holding "$(cat "$tmpdir/hold.out")"
ping_ok "$CLI" $SRV_IP 3	# 5000 staged INPUT DROPs: unseen
assert_eq "save while held" "$before" "$(ruleset "$S")"
kill -KILL $hold
wait $hold 2>/dev/null
out=$(nfg "$S" -A INPUT -p tcp --dport 7 -j DROP 2>&1)
assert_eq "first write after the SIGKILL (no EBUSY): $out" 0 "$?"
ping_ok "$CLI" $SRV_IP 3
assert_eq "INPUT rules after the SIGKILL" \
	$(($(echo "$before" | grep -c '^-A INPUT') + 1)) \
	"$(ruleset "$S" | grep -c '^-A INPUT')"
assert_no_match "no staged rule survived" '^-A INPUT -p icmp -j DROP$' \
	"$(ruleset "$S")"

exit $ret
