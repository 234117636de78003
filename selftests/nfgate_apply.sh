#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_apply.sh: `nfgate apply FILE` changes only what differs.
#  - --dry-run prints exactly the minimal operation list and changes nothing
#    (save -c byte-identical before and after);
#  - after apply, save equals the desired file (modulo counters), rules that
#    stayed keep their packet counters, new rules start at zero and match;
#  - applying the same file again is "0 changes" and keeps every counter;
#  - a file with an error (bad jump, bad syntax) changes nothing, exit 1
#    and names the line; while another socket holds a transaction apply
#    fails and changes nothing; -t applies one table only; stderr stays clean
#    (no progress line when stderr is not a terminal).

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp nfg_tcp txn_hold
topo_create

S=$SRV

cat >"$tmpdir/initial.rules" <<'RULES'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:OLD - [0:0]
:WEB - [0:0]
-A INPUT -p icmp -j ACCEPT
-A INPUT -p tcp -m tcp --dport 80 -j WEB
-A INPUT -p udp -m udp --dport 9 -j OLD
-A INPUT -s 203.0.113.0/24 -j DROP
-A OLD -j DROP
-A WEB -s 192.0.2.0/24 -j ACCEPT
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p icmp
COMMIT
RULES

# The desired state: OLD and its jump go, NEW and a jump to it come (in the
# middle of INPUT), WEB gets a second rule, FORWARD's policy changes; the
# mangle block is unchanged.
cat >"$tmpdir/desired.rules" <<'RULES'
# desired ruleset
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:NEW - [0:0]
:WEB - [0:0]
-A INPUT -p icmp -j ACCEPT
-A INPUT -p tcp -m tcp --dport 80 -j WEB
-A INPUT -p udp -m udp --dport 53 -j NEW
-A INPUT -s 203.0.113.0/24 -j DROP
-A NEW -j ACCEPT
-A WEB -s 192.0.2.0/24 -j ACCEPT
-A WEB -j DROP
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p icmp
COMMIT
RULES

expected_ops='-t filter -N NEW
-t filter -D INPUT 3
-t filter -F OLD
-t filter -X OLD
-t filter -P FORWARD DROP
-t filter -I INPUT 3 -p udp -m udp --dport 53 -j NEW
-t filter -A WEB -j DROP
-t filter -A NEW -j ACCEPT
8 changes'

# save without comments and with every [p:b] as [0:0].
save_nocounters() {
	save_filtered "$@" | sed 's/\[[0-9]*:[0-9]*\]/[0:0]/'
}

nfg_ok "$S" restore "$tmpdir/initial.rules"
log "-- traffic bumps counters of rules that will stay"
ping_ok "$CLI" $SRV_IP 4
assert_eq "port 80 reaches WEB" reached "$(tcp_reach "$CLI" $SRV_IP 80)"
assert_counters "before apply" "$S" filter INPUT:1:4 INPUT:2:1 WEB:1:1
assert_counter "before apply" "$S" mangle PREROUTING 1 4

log "-- --dry-run prints the minimal op list and changes nothing"
before=$(save_filtered "$S" -c)
out=$(nfg "$S" apply --dry-run "$tmpdir/desired.rules" 2>"$tmpdir/err")
rc=$?
assert_eq "dry-run exit" 0 "$rc"
assert_eq "dry-run ops" "$expected_ops" "$out"
assert_eq "dry-run stderr" "" "$(cat "$tmpdir/err")"
assert_eq "dry-run changed nothing" "$before" "$(save_filtered "$S" -c)"
out=$(nfg "$S" apply --dry-run - <"$tmpdir/desired.rules" 2>&1)
assert_eq "dry-run from stdin" "$expected_ops" "$out"

log "-- apply"
out=$(nfg "$S" apply "$tmpdir/desired.rules" 2>"$tmpdir/err")
rc=$?
assert_eq "apply exit" 0 "$rc"
assert_eq "apply stdout" "" "$out"
assert_eq "apply stderr (no progress off a terminal)" "" "$(cat "$tmpdir/err")"
# save prints every table: raw and nat, not in the file, are left alone
# (empty)
assert_eq "save equals the desired file" \
	"$(grep -v '^#' "$tmpdir/desired.rules"
	printf '*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n'
	printf '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n'
	printf ':OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n')" \
	"$(save_nocounters "$S")"
assert_counters "untouched rules kept their counters" "$S" filter \
	INPUT:1:4 INPUT:2:1 INPUT:3:0 INPUT:4:0 WEB:1:1 WEB:2:0 NEW:1:0
assert_counter "untouched mangle rule" "$S" mangle PREROUTING 1 4

log "-- the new rules are live"
assert_eq "udp 53 through NEW" "53:2" "$(udp_round "$CLI" "$S" $SRV_IP 53 2)"
assert_counters "new rules count" "$S" filter INPUT:3:2 NEW:1:2 INPUT:1:4
assert_eq "port 80 from 192.0.2.0/24 still accepted" reached \
	"$(tcp_reach "$CLI" $SRV_IP 80)"
assert_counters "WEB" "$S" filter WEB:1:2 WEB:2:0

log "-- the same file again: 0 changes, counters kept"
before=$(save_filtered "$S" -c)
assert_eq "dry-run again" "0 changes" \
	"$(nfg "$S" apply --dry-run "$tmpdir/desired.rules" 2>&1)"
nfg_ok "$S" apply "$tmpdir/desired.rules"
assert_eq "apply again changed nothing" "$before" "$(save_filtered "$S" -c)"
out=$(nfg "$S" apply -v "$tmpdir/desired.rules" 2>&1)
assert_eq "apply -v again" "0 changes" "$out"

log "-- a file with an error changes nothing"
before=$(save_filtered "$S" -c)
sed 's/^-A NEW -j ACCEPT$/-A NEW -j NOSUCH/' "$tmpdir/desired.rules" \
	>"$tmpdir/bad-jump.rules"
sed -i 's/^-A WEB -j DROP$/-A WEB -j ACCEPT/' "$tmpdir/bad-jump.rules"
out=$(nfg "$S" apply "$tmpdir/bad-jump.rules" 2>&1)
rc=$?
assert_eq "bad jump: exit" 1 "$rc"
assert_match "bad jump: names the line and chain" '^nfgate: line 12: .*NOSUCH' "$out"
assert_eq "bad jump changed nothing" "$before" "$(save_filtered "$S" -c)"
sed 's/^-A WEB -j DROP$/-A WEB --bogus -j DROP/' "$tmpdir/desired.rules" \
	>"$tmpdir/bad-syntax.rules"
sed -i 's/^:FORWARD DROP/:FORWARD ACCEPT/' "$tmpdir/bad-syntax.rules"
out=$(nfg "$S" apply "$tmpdir/bad-syntax.rules" 2>&1)
rc=$?
assert_eq "bad syntax: exit" 1 "$rc"
assert_match "bad syntax: names the line" '^nfgate: line 14: ' "$out"
assert_eq "bad syntax changed nothing" "$before" "$(save_filtered "$S" -c)"
out=$(nfg "$S" apply --no-such-option "$tmpdir/desired.rules" 2>&1)
assert_eq "unknown option: exit 2" 2 "$?"
out=$(nfg "$S" apply "$tmpdir/missing.rules" 2>&1)
assert_eq "missing file: exit 1" 1 "$?"
assert_match "missing file: message" "Can't open .*missing.rules" "$out"
assert_eq "option errors changed nothing" "$before" "$(save_filtered "$S" -c)"

log "-- -t applies one table; a table not in the file is left alone"
cat >"$tmpdir/mangle-only.rules" <<'RULES'
*mangle
-A PREROUTING -p icmp
-A PREROUTING -p udp
COMMIT
RULES
cat "$tmpdir/desired.rules" "$tmpdir/mangle-only.rules" |
	sed 's/^-A INPUT -s 203.0.113.0\/24 -j DROP$//' >"$tmpdir/both.rules"
assert_eq "-t mangle dry-run" "-t mangle -A PREROUTING -p udp
1 change" "$(nfg "$S" apply --dry-run -t mangle "$tmpdir/both.rules" 2>&1)"
filter_before=$(save_filtered "$S" -c -t filter)
nfg_ok "$S" apply "$tmpdir/mangle-only.rules"
assert_eq "filter untouched by a mangle-only file" "$filter_before" \
	"$(save_filtered "$S" -c -t filter)"
assert_counter "mangle rule kept its counter" "$S" mangle PREROUTING 1 4
assert_counter "mangle rule appended" "$S" mangle PREROUTING 2 0

printf '*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n' >"$tmpdir/empty.rules"

log "-- another socket holds a transaction: apply fails, changes nothing"
before=$(save_filtered "$S" -c)
ip netns exec "$S" "$HELPERS/txn_hold" 3 >"$tmpdir/hold.out" 2>&1 &
hold=$!
bg_pids+=($hold)
wait_file "$tmpdir/hold.out" 50 || fail "txn_hold did not start"
out=$(nfg "$S" apply "$tmpdir/empty.rules" 2>&1)
rc=$?
assert_eq "apply while held: exit" 1 "$rc"
assert_match "apply while held: says why" 'busy|transaction' "$out"
kill "$hold"
wait "$hold" 2>/dev/null
assert_eq "apply while held changed nothing" "$before" "$(save_filtered "$S" -c)"

log "-- an empty ruleset file empties the named table"
out=$(nfg "$S" apply --dry-run "$tmpdir/empty.rules" 2>&1)
assert_match "empty: 9 changes" '^9 changes$' "$out"
nfg_ok "$S" apply "$tmpdir/empty.rules"
assert_eq "empty: filter is empty" ":INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]" "$(save_nocounters "$S" -t filter | grep '^:')"
assert_eq "empty: no rules" "" "$(save_filtered "$S" -t filter | grep -e '^-A')"

exit $ret
