#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_handles.sh: rule handles are 64 bits wide on every kernel and
# never run out (kmod/handle.c: 32-bit slots handed out cyclically, an
# epoch above them).  A namespace created with the module parameter
# handle_base just below 2^32 gets handles that cross 2^32 within one
# transaction; then:
#  - the handles of a dump, read back with nl_handles, rise strictly past
#    2^32 and save lists every rule in order (the dump resumes by a 64-bit
#    handle across many messages);
#  - deleting by position and by specification finds rules on both sides;
#  - a transaction that crosses the wrap and is aborted leaves nothing
#    behind (abort finds the rules it added on both sides of the wrap); a
#    monitor sees one NEWRULE per rule of one that commits.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nl_handles txn_hold
nfgate_load

param=/sys/module/nfgate/parameters/handle_base
[ -w "$param" ] || die "$param missing: the module has no handle_base parameter"
BASE=$(((1 << 32) - 1500))
N=3000
echo "$BASE" >"$param" || die "cannot set handle_base"
NS=$NS_TAG-h
NSA=$NS_TAG-ha
ns_create "$NS"
ns_create "$NSA"
echo 1 >"$param"

rules() {
	local i

	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	for ((i = 1; i <= N; i++)); do
		echo "-A INPUT -s 198.18.$((i / 256)).$((i % 256))/32 -p udp -m udp --dport $((1000 + i)) -j DROP"
	done
	echo "COMMIT"
}

log "-- a transaction across the wrap"
ip netns exec "$NS" "$NFGATE" monitor >"$tmpdir/mon.out" 2>&1 &
bg_pids+=($!)
# the monitor has joined once it shows a change
for ((i = 0; i < 50; i++)); do
	nfg "$NS" -N SYNC && nfg "$NS" -X SYNC
	grep -qx -- "-X SYNC" "$tmpdir/mon.out" && break
	sleep 0.3
done
grep -qx -- "-X SYNC" "$tmpdir/mon.out" || fail "the monitor shows nothing"
rules >"$tmpdir/good.rules"
nfg_ok "$NS" restore "$tmpdir/good.rules"
ip netns exec "$NS" "$HELPERS/nl_handles" 0 INPUT >"$tmpdir/handles" ||
	fail "nl_handles failed"
assert_eq "handles dumped" "$N" "$(wc -l <"$tmpdir/handles")"
first=$(head -n 1 "$tmpdir/handles")
last=$(tail -n 1 "$tmpdir/handles")
log "handles $first .. $last"
[ "$first" -lt $((1 << 32)) ] || fail "first handle $first is not below 2^32"
[ "$last" -gt $((1 << 32)) ] || fail "last handle $last is not above 2^32"
sort -n -c -u "$tmpdir/handles" 2>/dev/null ||
	fail "handles do not rise strictly in chain order"
nfg "$NS" save >"$tmpdir/save"
assert_eq "save lists every rule in order" \
	"$(grep '^-A' "$tmpdir/good.rules")" "$(grep '^-A' "$tmpdir/save")"
for ((i = 0; i < 100; i++)); do
	[ "$(grep -c '^-I INPUT ' "$tmpdir/mon.out")" -ge "$N" ] && break
	sleep 0.2
done
assert_eq "NEWRULE events of the commit, positions 1..$N in order" \
	"$(seq 1 "$N")" "$(awk '$1 == "-I" && $2 == "INPUT" { print $3 }' "$tmpdir/mon.out")"

log "-- deletes on both sides of 2^32"
nfg_ok "$NS" -D INPUT 1				# below 2^32
nfg_ok "$NS" -D INPUT -s 198.18.11.184/32 -p udp --dport 4000 -j DROP	# rule 3000
nfg_ok "$NS" -D INPUT 2000			# above 2^32
ip netns exec "$NS" "$HELPERS/nl_handles" 0 INPUT >"$tmpdir/handles2"
assert_eq "rules left" "$((N - 3))" "$(wc -l <"$tmpdir/handles2")"
grep -qx "$first" "$tmpdir/handles2" && fail "rule 1 (handle $first) still there"
grep -qx "$last" "$tmpdir/handles2" && fail "rule $N (handle $last) still there"
gone=$(sed -n 2001p "$tmpdir/handles")
grep -qx "$gone" "$tmpdir/handles2" && fail "rule 2001 (handle $gone) still there"
assert_eq "rule count after the deletes" "$((N - 3))" \
	"$(nfg "$NS" -S INPUT | grep -c '^-A')"

log "-- an aborted transaction across the wrap leaves nothing"
# txn_hold stages N rules in INPUT in one transaction and holds it; killing
# it closes the socket, which aborts the transaction.
ip netns exec "$NSA" "$HELPERS/txn_hold" "$N" >"$tmpdir/hold.out" 2>&1 &
hold=$!
wait_file "$tmpdir/hold.out" 600 || fail "txn_hold did not stage $N rules"
kill "$hold"
wait "$hold" 2>/dev/null
nfg_ok "$NSA" -A INPUT -s 192.0.2.1/32 -j ACCEPT
assert_eq "rules after the abort and one add" \
	"-A INPUT -s 192.0.2.1/32 -j ACCEPT" "$(nfg "$NSA" -S INPUT | grep -v '^-P')"
nfg_ok "$NSA" -F INPUT

exit $ret
