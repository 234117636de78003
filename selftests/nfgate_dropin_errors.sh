#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_dropin_errors.sh: the drop-in iptables (build/iptables-nfgate, the
# CLI started under iptables' name) fails as iptables-legacy v1.8.9 does.
# Every command below runs in the same order against iptables-legacy in
# one namespace and iptables-nfgate in another; the exit status and the
# whole of stderr must be the same ("(legacy)" read as "(nfgate)").  The
# commands are those of iptables' own return-code test (creating,
# flushing, renaming, deleting chains, rules by number and by
# specification, -C, a missing jump target, an unknown table) plus
# -X of a non-empty, a referenced and a built-in chain, -P of a user
# chain and -V; and eight inputs through iptables-restore and
# iptables-nfgate-restore (a rule's parse error with "Error occurred at
# line", "line N failed", a missing COMMIT; a block committed before a
# later one fails, as iptables-restore commits it).  Tools such as Docker
# and kube-proxy read these messages
# ("Bad rule (does a matching rule exist in that chain?)", "No
# chain/target/match by that name") and the statuses (1, 2, 3).

source "$(dirname -- "$0")/lib.sh"
require_env
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
modprobe -a x_tables ip_tables iptable_filter iptable_mangle xt_tcpudp xt_mark ||
	skip "iptables-legacy modules missing"
nfgate_load
DROPIN=$(dirname -- "$NFGATE")/iptables-nfgate
[ -x "$DROPIN" ] || die "$DROPIN missing (built with the CLI)"

L=$NS_TAG-legacy
G=$NS_TAG-dropin
ns_create "$L"
ns_create "$G"

n=0
# same ARGS...: one command through both; status and stderr compared.
same() {
	local lrc grc lerr gerr

	n=$((n + 1))
	lerr=$(ip netns exec "$L" iptables-legacy "$@" 2>&1 >/dev/null)
	lrc=$?
	gerr=$(ip netns exec "$G" "$DROPIN" "$@" 2>&1 >/dev/null)
	grc=$?
	lerr=${lerr//(legacy)/(nfgate)}
	if [ "$lrc" != "$grc" ] || [ "$lerr" != "$gerr" ]; then
		fail "iptables $*: legacy $lrc, drop-in $grc"
		show_diff "$lerr" "$gerr"
	else
		log "ok: $* -> $lrc${lerr:+: $lerr}"
	fi
}

# Chains.
same -N foo
same -N foo
same -F foo
same -Z foo
same -F bar
same -Z bar
same -E foo bar
same -E foo bar
same -E foo bar2
same -L foo
same -N foo2
same -E foo2 bar
same -E INPUT foo3
# Rules.
same -A INPUT -j ACCEPT
same -A noexist -j ACCEPT
same -I INPUT -j foobar
same -R INPUT 1 -j foobar
same -D INPUT -j foobar
same -D INPUT -p tcp --dport 22 -j ACCEPT
same -I INPUT 23 -j ACCEPT
same -D INPUT 23
same -R INPUT 23 -j ACCEPT
same -I nonexist 23 -j ACCEPT
same -D nonexist 23
same -R nonexist 23 -j ACCEPT
# Checks.
same -C INPUT -j ACCEPT
same -C FORWARD -j ACCEPT
same -C nonexist -j ACCEPT
same -C INPUT -j foobar
same -t foobar -C INPUT -j ACCEPT
# Deleting chains that cannot go, policies of user chains.
same -A bar -j ACCEPT
same -X bar
same -F bar
same -A foo2 -j bar
same -X bar
same -X INPUT
same -X nonexist
same -P foo2 ACCEPT
same -P INPUT FOO
same -Z INPUT 9
same -D foo2 1
same -X foo2
same -X bar
same -L bar

# iptables-restore: a rule's parse error with its line, anything refused
# later as "line N failed", a missing COMMIT.
RDROPIN=$(dirname -- "$NFGATE")/iptables-nfgate-restore
# same_restore TEXT [ARGS]: one restore input through both.
same_restore() {
	local lrc grc lerr gerr

	n=$((n + 1))
	printf '%b' "$1" >"$tmpdir/r.in"
	shift
	lerr=$(ip netns exec "$L" iptables-legacy-restore "$@" <"$tmpdir/r.in" 2>&1 >/dev/null)
	lrc=$?
	gerr=$(ip netns exec "$G" "$RDROPIN" "$@" <"$tmpdir/r.in" 2>&1 >/dev/null)
	grc=$?
	lerr=${lerr//(legacy)/(nfgate)}
	if [ "$lrc" != "$grc" ] || [ "$lerr" != "$gerr" ]; then
		fail "iptables-restore $* of $(head -c 60 "$tmpdir/r.in" | tr '\n' ' '): legacy $lrc, drop-in $grc"
		show_diff "$lerr" "$gerr"
	else
		log "ok: restore -> $lrc${lerr:+: $lerr}"
	fi
}
same_restore '*filter\n-A INPUT --bogus\nCOMMIT\n'
same_restore '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n'
same_restore '*filter\n-A INPUT -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n'
same_restore '*filter\n-A nochain -j ACCEPT\nCOMMIT\n' --noflush
same_restore '*filter\n-D INPUT -p udp -j DROP\nCOMMIT\n' --noflush
same_restore '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n'
# A block is committed at its COMMIT, before the next one is read: an error
# in a later block (the parser's, the kernel's) leaves it in place.
same_restore '*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j MARK --set-mark 7\nCOMMIT\n*filter\n-A INPUT --bogus\nCOMMIT\n'
assert_eq "mangle after a later block's parse error" "$(saved legacy "$L" mangle)" "$(saved nfgate "$G" mangle)"
same_restore '*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j MARK --set-mark 8\nCOMMIT\n*filter\n-A INPUT -j nochain\nCOMMIT\n'
assert_eq "mangle after a later block's refusal" "$(saved legacy "$L" mangle)" "$(saved nfgate "$G" mangle)"

# -V names the drop-in.
got=$(ip netns exec "$G" "$DROPIN" -V)
assert_eq "-V" "iptables v1.8.9 (nfgate)" "$got"
log "$n commands compared"
exit $ret
