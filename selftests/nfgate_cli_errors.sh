#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_cli_errors.sh: bad command lines and bad restore files are
# rejected with iptables' exit codes (1: command or kernel error, 2: usage
# error), a message that says what is wrong, and nothing changed: "-S" and
# "save" are byte-identical before and after every rejected command.
# The baseline ruleset also holds the positive edge cases: a 28-character
# chain name and a 16-deep jump chain INPUT -> C1 -> ... -> C16.

source "$(dirname -- "$0")/lib.sh"
require_env
command -v setpriv >/dev/null || skip "setpriv (util-linux) missing"

NS=$NS_TAG-cli
ns_create "$NS"

NAME28=$(printf 'N%.0s' $(seq 1 28))
NAME29=${NAME28}N

log "-- baseline"
{
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD DROP [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	for c in UC REF LA LB C{1..17}; do echo ":$c - [0:0]"; done
	echo "-A INPUT -p tcp -j UC"
	echo "-A INPUT -p udp -j REF"
	echo "-A INPUT -p icmp -j C1"
	echo "-A UC -p udp --dport 53 -j DROP"
	echo "-A LA -j LB"
	for i in {1..14}; do echo "-A C$i -j C$((i + 1))"; done
	echo "COMMIT"
	mangle_block "-A PREROUTING -p icmp"
} >"$tmpdir/base.rules"
nfg_ok "$NS" restore "$tmpdir/base.rules" || die "baseline restore failed"
# the positive edges, with the plain commands
nfg_ok "$NS" -N "$NAME28"
nfg_ok "$NS" -A C15 -j C16	# INPUT -> C1 -> ... -> C16: 16 deep

# "save" holds every table, chain, policy and rule: one CLI run per check.
snap() {
	save_filtered "$NS"
}
before=$(snap)
before_S=$(nfg "$NS" -S)
assert_match "baseline has the 28-character chain" "^-N $NAME28\$" "$before_S"
assert_match "baseline has the 16-deep jump" '^-A C15 -j C16$' "$before_S"

# reject WANT-RC MSG-REGEX ARGS...: exit code WANT-RC (a|b for either),
# stderr+stdout matching MSG-REGEX (case-insensitive; "" for any), and
# the ruleset unchanged.
reject() {
	local want=$1 re=$2 out rc now

	shift 2
	out=$(nfg "$NS" "$@" 2>&1)
	rc=$?
	log "nfgate $* -> $rc: $(echo "$out" | head -n 3)"
	if ! [[ $rc =~ ^($want)$ ]]; then
		fail "nfgate $*: exit $rc, want $want"
	fi
	if [ -n "$re" ] && ! echo "$out" | grep -q -i -E -- "$re"; then
		fail "nfgate $*: message does not match /$re/"
	fi
	now=$(snap)
	if [ "$now" != "$before" ]; then
		fail "nfgate $*: the ruleset changed"
		show_diff "$before" "$now"
		before=$now
	fi
}

log "-- commands the kernel refuses (exit 1)"
reject 1 NOSUCH -A NOSUCH -j ACCEPT
assert_eq "-S byte-identical after -A NOSUCH" "$before_S" "$(nfg "$NS" -S)"
reject 1 NOSUCH -I NOSUCH 1 -j ACCEPT
reject 1 '' -I INPUT 99 -j ACCEPT
reject 1 '' -D INPUT 9
reject 1 '' -D INPUT -p udp -j ACCEPT
reject 1 '' -R INPUT 9 -j ACCEPT
reject 1 NOSUCH -D NOSUCH 1
reject 1 NOSUCH -F NOSUCH
reject 1 NOSUCH -X NOSUCH
reject 1 'exist' -N UC
reject '1|2' 'exist|built-in|builtin' -N INPUT
reject 1 '' -X UC
reject 1 '' -X REF
reject '1|2' '' -X INPUT
reject 1 '' -X
reject 1 'loop|levels' -A LB -j LA
reject 1 'loop|levels' -A UC -j UC
reject 1 'loop|levels' -A UC -g UC
reject 1 'loop|levels|deep' -A C16 -j C17
reject '1|2' '' -A INPUT -j NOSUCHCHAIN
reject '1|2' '' -P UC DROP

log "-- usage errors (exit 2)"
reject 2 '' --bogus-option
reject 2 '' -A INPUT --bogus -j ACCEPT
reject 2 '' -A
reject 2 '' -A INPUT -p tcp --dport 70000 -j ACCEPT
reject 2 '' -A INPUT -p tcp --dport http-nonsense -j ACCEPT
reject 2 '' -A INPUT --dport 80 -j ACCEPT
reject 2 '' -A INPUT -s 192.0.2.0/33 -j ACCEPT
reject 2 '' -A INPUT -s 192.0.2.300 -j ACCEPT
reject 2 '' -A INPUT -i abcdefghijklmnop -j ACCEPT
reject 2 '' -A INPUT -p nosuchproto -j ACCEPT
reject 2 '' -A INPUT -D INPUT 1
reject 2 '' -A INPUT -j
reject '1|2' '' -A INPUT -p tcp --dport 90:80 -j ACCEPT
reject '1|2' '' -A INPUT ! -p all -j ACCEPT
reject '1|2' '' -A INPUT ! -p 0 -j ACCEPT
reject '1|2' '' -A OUTPUT -i veth0 -j ACCEPT
reject '1|2' '' -A INPUT -o veth0 -j ACCEPT
reject '1|2' '' -t mangle -A PREROUTING -o veth0 -j ACCEPT
reject '1|2' '' -N "$NAME29"
reject '1|2' '' -N -bad
reject '1|2' '' -N ACCEPT
reject '1|2' '' -I INPUT 0 -j ACCEPT
reject '1|2' '' -P INPUT RETURN
reject '1|2|3' '' -t nosuch -L
reject '1|2' '' -t mangle -A NOSUCH -j ACCEPT

log "-- without CAP_NET_ADMIN"
out=$(ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$NFGATE" -A INPUT -j DROP 2>&1)
rc=$?
log "unprivileged -A -> $rc: $out"
assert_eq "unprivileged -A exit code" 1 "$rc"
assert_match "unprivileged -A message" '[Pp]ermi' "$out"
out=$(ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$NFGATE" -S 2>&1)
rc=$?
assert_eq "unprivileged -S exit code" 1 "$rc"
assert_eq "unchanged after unprivileged writes" "$before" "$(snap)"

log "-- restore files with a bad line N"
restore_reject() {	# restore_reject LINE FILE [restore options]
	local line=$1 file=$2 out rc now

	shift 2
	out=$(ip netns exec "$NS" "$NFGATE" restore "$@" <"$file" 2>&1)
	rc=$?
	log "restore $* (bad line $line) -> $rc: $(echo "$out" | head -n 3)"
	[ $rc -ne 0 ] || fail "restore with a bad line $line exited 0"
	echo "$out" | grep -q -E "line $line([^0-9]|\$)" ||
		fail "restore: message does not name line $line: $out"
	now=$(snap)
	if [ "$now" != "$before" ]; then
		fail "restore with a bad line $line changed the ruleset"
		show_diff "$before" "$now"
		before=$now
	fi
}
head_filter() {
	printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n'
}
{ head_filter; echo "-A INPUT -p icmp -j ACCEPT"; echo "-A INPUT -p tcp --dport 99999 -j ACCEPT"
  echo "-A INPUT -p udp -j DROP"; echo COMMIT; } >"$tmpdir/bad6.rules"
restore_reject 6 "$tmpdir/bad6.rules"
restore_reject 6 "$tmpdir/bad6.rules" --noflush
{ head_filter; echo "-A INPUT -p icmp -j ACCEPT"; echo "-A INPUT -p udp -j DROP"
  echo "-A NOSUCH -j ACCEPT"; echo "-A INPUT -p tcp -j DROP"; echo COMMIT; } >"$tmpdir/bad7.rules"
restore_reject 7 "$tmpdir/bad7.rules"
restore_reject 7 "$tmpdir/bad7.rules" --noflush
{ head_filter; echo ":NEWC - [0:0]"; echo "-A NEWC -j NOSUCHTARGET"; echo COMMIT; } >"$tmpdir/bad6b.rules"
restore_reject 6 "$tmpdir/bad6b.rules"
printf "*nosuchtable\nCOMMIT\n" >"$tmpdir/bad1.rules"
restore_reject 1 "$tmpdir/bad1.rules"
{ head_filter; echo ":INPUT BOGUS [0:0]"; echo COMMIT; } >"$tmpdir/bad5.rules"
restore_reject 5 "$tmpdir/bad5.rules"

log "-- restore --test changes nothing"
{ head_filter; echo "-A INPUT -p icmp -j ACCEPT"; echo COMMIT; } >"$tmpdir/good.rules"
out=$(ip netns exec "$NS" "$NFGATE" restore --test "$tmpdir/good.rules" 2>&1)
assert_eq "restore --test of a good file" 0 "$?"
assert_eq "restore --test left the ruleset" "$before" "$(snap)"

exit $ret
