#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_monitor.sh: change notifications.  `nfgate monitor` runs in the
# background in namespace A while a known sequence of changes is made there
# (CLI -A -I -D -R -N -X -P -F, a multi-operation restore transaction, a
# failed restore and a failed command, no-op commands); its output must be
# exactly the expected lines: one per committed change, in the documented
# order, with a "# generation G (N changes)" marker per transaction, and
# nothing for what failed or changed nothing.  A monitor in namespace B
# must see only B's own changes.  SIGINT ends the monitor with status 0.

source "$(dirname -- "$0")/lib.sh"
require_env

A=$NS_TAG-a
B=$NS_TAG-b
ns_create "$A"
ns_create "$B"

# wait_line FILE LINE [TENTHS]: until FILE has LINE (the monitor is
# asynchronous).
wait_line() {
	local i

	for ((i = 0; i < ${3:-100}; i++)); do
		grep -qxF -- "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}

# start_monitor NS OUT [TABLE]: monitor (of TABLE only, if given) in NS,
# synchronized by a first change; sets sync_lines (lines of OUT so far) and
# sync_gen (NS's generation).
start_monitor() {
	local i t=${3:-filter} pfx=${3:+-t $3 }

	ip netns exec "$1" "$NFGATE" monitor ${3:+-t "$3"} >"$2" 2>&1 &
	bg_pids+=($!)
	# A change made before the monitor joined the group would be missed:
	# repeat a chain create/delete until the monitor has shown one.
	for ((i = 0; i < 50; i++)); do
		nfg "$1" -t "$t" -N SYNC && nfg "$1" -t "$t" -X SYNC
		# short: a sync made before the monitor joined never shows
		wait_line "$2" "${pfx}-X SYNC" 15 && break
	done
	for ((i = 0; i < 50; i++)); do
		tail -n 1 "$2" | grep -q '^# generation' && break
		sleep 0.1
	done
	tail -n 1 "$2" | grep -q '^# generation' || die "monitor in $1 shows nothing"
	sync_lines=$(wc -l <"$2")
	sync_gen=$(tail -n 1 "$2" | awk '{ print $3 }')
}

start_monitor "$A" "$tmpdir/m.out" mangle
mon_m=${bg_pids[-1]}
skip_m=$sync_lines
start_monitor "$A" "$tmpdir/a.out"
mon_a=${bg_pids[-1]}
skip_a=$sync_lines
gen=$sync_gen
start_monitor "$B" "$tmpdir/b.out"
mon_b=${bg_pids[-1]}
skip_b=$sync_lines
gen_b=$sync_gen
log "monitors ready, A at generation $gen, B at $gen_b"

expect=()
# change EXPECTED-LINES... -- CLI ARGS: run the CLI in A, expect the lines
# and one commit marker.
change() {
	local lines=() n

	while [ "$1" != -- ]; do
		lines+=("$1")
		shift
	done
	shift
	nfg_ok "$A" "$@" >/dev/null
	gen=$((gen + 1))
	n=${#lines[@]}
	expect+=("${lines[@]}" "# generation $gen ($n change$([ "$n" = 1 ] || echo s))")
}

change "-I FORWARD 1 -d 198.18.0.1/32 -p tcp -m tcp --dport 80 -j ACCEPT" -- \
	-A FORWARD -d 198.18.0.1/32 -p tcp --dport 80 -j ACCEPT
change "-I FORWARD 2 -s 192.0.2.0/24 -j DROP" -- -A FORWARD -s 192.0.2.0/24 -j DROP
change "-I FORWARD 2 -p udp -j ACCEPT" -- -I FORWARD 2 -p udp -j ACCEPT
change "-D FORWARD -s 192.0.2.0/24 -j DROP" -- -D FORWARD -s 192.0.2.0/24 -j DROP
change "-N WEB" -- -N WEB
change "-P INPUT DROP" -- -P INPUT DROP
change "-t mangle -I PREROUTING 1 -i veth+ -j RETURN" -- \
	-t mangle -A PREROUTING -i veth+ -j RETURN
expect_m=("${expect[@]: -2}")

log "-- no-ops and failures publish nothing"
nfg_ok "$A" -P INPUT DROP		# already DROP: nothing changes
out=$(nfg "$A" -D FORWARD -p icmp -j DROP 2>&1)
[ $? -ne 0 ] || fail "-D of a missing rule succeeded: $out"
{
	echo "*filter"
	echo "-A WEB -p tcp --dport 8080 -j ACCEPT"
	echo "-A WEB -j NOSUCHCHAIN"
	echo "COMMIT"
} >"$tmpdir/bad.rules"
out=$(nfg "$A" restore --noflush "$tmpdir/bad.rules" 2>&1)
[ $? -ne 0 ] || fail "the failing restore succeeded: $out"

log "-- one restore transaction, several kinds of change"
{
	echo "*filter"
	echo ":OUTPUT DROP [0:0]"
	echo ":NEW2 - [0:0]"
	echo "-A WEB -p tcp --dport 443 -j ACCEPT"
	echo "-A WEB -p icmp -j DROP"
	echo "-A WEB -p tcp --dport 80 -j ACCEPT"
	echo "-D WEB -p icmp -j DROP"
	echo "-I WEB 1 -s 203.0.113.0/24 -j DROP"
	echo "-D FORWARD -p udp -j ACCEPT"
	echo "-A INPUT -j WEB"
	echo "COMMIT"
} >"$tmpdir/good.rules"
gen=$((gen + 1))
nfg_ok "$A" restore --noflush "$tmpdir/good.rules"
# new chains, policies, deleted rules, new rules (chain order, position)
expect+=("-N NEW2" "-P OUTPUT DROP" "-D FORWARD -p udp -j ACCEPT"
	"-I INPUT 1 -j WEB"
	"-I WEB 1 -s 203.0.113.0/24 -j DROP"
	"-I WEB 2 -p tcp -m tcp --dport 443 -j ACCEPT"
	"-I WEB 3 -p tcp -m tcp --dport 80 -j ACCEPT"
	"# generation $gen (7 changes)")

change "-D WEB -s 203.0.113.0/24 -j DROP" \
	"-D WEB -p tcp -m tcp --dport 443 -j ACCEPT" \
	"-D WEB -p tcp -m tcp --dport 80 -j ACCEPT" -- -F WEB
change "-D INPUT -j WEB" -- -D INPUT 1
change "-X NEW2" "-X WEB" -- -X
change "-D FORWARD -d 198.18.0.1/32 -p tcp -m tcp --dport 80 -j ACCEPT" \
	"-I FORWARD 1 -p tcp -j DROP" -- -R FORWARD 1 -p tcp -j DROP
change "-P INPUT ACCEPT" -- -P INPUT ACCEPT

# The last change: wait for its marker, then stop the monitor.
change "-N END" -- -N END
wait_line "$tmpdir/a.out" "${expect[-1]}" || fail "monitor A never showed '${expect[-1]}'"
kill -INT "$mon_a"
wait "$mon_a"
assert_eq "monitor A exit status after SIGINT" 0 "$?"

assert_eq "monitor A output" "$(printf '%s\n' "${expect[@]}")" \
	"$(tail -n +$((skip_a + 1)) "$tmpdir/a.out")"

kill -INT "$mon_m"
wait "$mon_m"
assert_eq "monitor -t mangle exit status" 0 "$?"
assert_eq "monitor -t mangle output (only mangle, its own marker)" \
	"$(printf '%s\n' "${expect_m[@]}")" \
	"$(tail -n +$((skip_m + 1)) "$tmpdir/m.out")"

log "-- namespace B saw only its own changes"
nfg_ok "$B" -A INPUT -p icmp -j ACCEPT
wait_line "$tmpdir/b.out" "-I INPUT 1 -p icmp -j ACCEPT" ||
	fail "monitor B did not show B's change"
kill -TERM "$mon_b"
wait "$mon_b"
assert_eq "monitor B exit status after SIGTERM" 0 "$?"
assert_eq "monitor B output" \
	"$(printf '%s\n' "-I INPUT 1 -p icmp -j ACCEPT" "# generation $((gen_b + 1)) (1 change)")" \
	"$(tail -n +$((skip_b + 1)) "$tmpdir/b.out")"

exit $ret
