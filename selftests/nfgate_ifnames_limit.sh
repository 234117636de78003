#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_ifnames_limit.sh: the interned (-i, -o) name pairs are kept per
# network namespace and bounded by the module parameter max_ifnames
# (Documentation/design.rst, Memory).  With max_ifnames=64:
#  - a restore with 65 distinct input names into the router is refused,
#    naming the limit, and changes nothing; 64 go in; one more distinct
#    name (also "-i name+", a different pair) is refused, a rule with a
#    name already held is not, nor is a delete by spec of an unknown name
#    ("no such rule");
#  - another namespace is not limited by the router's names: the server
#    takes 64 distinct names of its own while the router is at its limit;
#  - equal pairs still share: two router rules with -i veth-cli, and
#    "-i veth0" in client and server, all count the pings that cross them;
#  - deleting rules frees their names: after -F the router takes 64 new
#    distinct names (once gc and RCU have freed the old ones);
#  - deleting a namespace that holds names (live, retired, and staged in
#    a transaction aborted as the namespace goes) leaves the kernel log
#    clean: no leaked name and no use of a freed table.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper txn_hold
topo_create

LIMIT=64
N=3
PARAM=/sys/module/nfgate/parameters/max_ifnames
[ -w "$PARAM" ] || die "nfgate has no max_ifnames parameter ($PARAM)"
saved_max=$(cat "$PARAM")
trap 'echo "$saved_max" >"$PARAM"; cleanup' EXIT
echo $LIMIT >"$PARAM" || die "cannot set max_ifnames=$LIMIT"
dmesg_start=$(dmesg | wc -l)
TOO_MANY='too many distinct interface names'

# names_rules PREFIX FIRST LAST [CHAIN]: a "*filter" block (restore
# --noflush) with one rule per name PREFIX<i>, i = FIRST..LAST.
names_rules() {
	local i

	echo "*filter"
	for ((i = $2; i <= $3; i++)); do
		echo "-A ${4:-FORWARD} -i $1$i -p udp -j DROP"
	done
	echo "COMMIT"
}

# refused WHAT NS ARGS...: the CLI must fail, name the limit and leave
# the ruleset of NS as it was.
refused() {
	local what=$1 ns=$2 before out rc

	shift 2
	before=$(ruleset "$ns")
	out=$(nfg "$ns" "$@" 2>&1)
	rc=$?
	log "$what -> $rc: $(echo "$out" | head -n 2)"
	[ $rc -ne 0 ] || fail "$what: exited 0 beyond max_ifnames=$LIMIT"
	assert_match "$what: the message names the limit" "$TOO_MANY" "$out"
	assert_eq "$what: ruleset unchanged" "$before" "$(ruleset "$ns")"
}

log "-- router: $((LIMIT + 1)) distinct names in one restore"
names_rules n 1 $LIMIT >"$tmpdir/a65.rules"
sed -i '2i -A FORWARD -i veth-cli -p icmp' "$tmpdir/a65.rules"
refused "restore of $((LIMIT + 1)) names" "$RTR" restore --noflush \
	"$tmpdir/a65.rules"

log "-- router: $LIMIT names, then one more"
sed '/-i n'$LIMIT' /d' "$tmpdir/a65.rules" >"$tmpdir/a64.rules"
nfg_ok "$RTR" restore --noflush "$tmpdir/a64.rules"
assert_eq "router FORWARD rules" $LIMIT "$(nfg "$RTR" -S FORWARD | grep -c '^-A')"
refused "-A with name $((LIMIT + 1))" "$RTR" -A FORWARD -i nX -j DROP
refused "-A with a wildcard of a held name" "$RTR" -A FORWARD -i n1+ -j DROP
refused "-A with a held name as -o" "$RTR" -A FORWARD -o n1 -j DROP
refused "-I with name $((LIMIT + 1))" "$RTR" -I FORWARD 1 -o nX -j DROP
refused "-R with name $((LIMIT + 1))" "$RTR" -R FORWARD 2 -i nX -j DROP
nfg_ok "$RTR" -A FORWARD -i n5 -p tcp -j DROP	# held: shared
nfg_ok "$RTR" -A FORWARD -i veth-cli -s $CLI_IP -p icmp
nfg_ok "$RTR" -A FORWARD -i + -p udp -j DROP	# "+" is no name at all
out=$(nfg "$RTR" -D FORWARD -i nX -p udp -j DROP 2>&1)
assert_eq "-D of an unknown name at the limit fails" 1 "$?"
assert_no_match "-D of an unknown name: not the limit" "$TOO_MANY" "$out"
assert_match "-D of an unknown name: no such rule" "matching rule" "$out"
nfg_ok "$RTR" -D FORWARD -i n5 -p tcp -j DROP
nfg_ok "$RTR" -D FORWARD -i + -p udp -j DROP

log "-- server: its own $LIMIT names while the router is at its limit"
nfg_ok "$SRV" -A INPUT -i veth0 -p icmp
names_rules s 2 $LIMIT INPUT >"$tmpdir/b.rules"
nfg_ok "$SRV" restore --noflush "$tmpdir/b.rules"
refused "server name $((LIMIT + 1))" "$SRV" -A INPUT -i sX -j DROP
nfg_ok "$CLI" -A INPUT -i veth0 -p icmp
nfg_ok "$CLI" -A INPUT -i veth0 -s $SRV_IP -p icmp

log "-- shared names still match"
assert_eq "ping across the named rules" $N "$(ping_count "$CLI" $SRV_IP $N)"
assert_counters "router -i veth-cli" "$RTR" filter FORWARD:1:$N \
	FORWARD:2:0 FORWARD:$((LIMIT + 1)):$N
assert_counter "server -i veth0" "$SRV" filter INPUT 1 $N
assert_counters "client -i veth0" "$CLI" filter INPUT:1:$N INPUT:2:$N

log "-- deleting rules frees their names"
nfg_ok "$RTR" -F FORWARD
names_rules m 1 $LIMIT >"$tmpdir/m.rules"
# The deleted rules drop their names once gc and RCU have freed them.
for ((try = 0; try < 50; try++)); do
	out=$(nfg "$RTR" restore --noflush "$tmpdir/m.rules" 2>&1)
	rc=$?
	[ $rc -eq 0 ] && break
	echo "$out" | grep -q "$TOO_MANY" || break
	sleep 0.2
done
assert_eq "restore of $LIMIT new names after -F: exit code ($out)" 0 "$rc"
log "took $try retries"
assert_eq "router FORWARD rules" $LIMIT "$(nfg "$RTR" -S FORWARD | grep -c '^-A')"
refused "-A with name $((LIMIT + 1)) again" "$RTR" -A FORWARD -i nX -j DROP

log "-- deleting a namespace that holds names"
NSD=$NS_TAG-d
ns_create "$NSD"
names_rules d 1 $((LIMIT / 2)) >"$tmpdir/d.rules"
nfg_ok "$NSD" restore --noflush "$tmpdir/d.rules"
nfg_ok "$NSD" -F FORWARD		# retired rules still hold names
nfg_ok "$NSD" restore --noflush "$tmpdir/d.rules"
ip netns exec "$NSD" "$HELPERS/txn_hold" 20 t >"$tmpdir/hold.out" 2>&1 &
hold=$!
bg_pids+=($hold)
wait_file "$tmpdir/hold.out" 50 || fail "txn_hold did not start"
assert_eq "txn_hold with names" holding "$(cat "$tmpdir/hold.out")"
ip netns del "$NSD"
# The holder keeps the namespace alive; its exit aborts the transaction
# (staged rules are freed by RCU callbacks) and lets the namespace go.
kill "$hold"
wait "$hold" 2>/dev/null
sleep 2			# namespace cleanup runs in a workqueue
assert_eq "router still at its names" $LIMIT \
	"$(nfg "$RTR" -S FORWARD | grep -c '^-A')"

trouble=$(kernel_complaints "$dmesg_start")
assert_eq "kernel log" "" "$trouble"

exit $ret
