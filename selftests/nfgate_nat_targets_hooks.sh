#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_nat_targets_hooks.sh: where the NAT targets may be used, and how
# they are listed (their packets: nfgate_nat_targets.sh).
#  1. hook checks as ip_tables': DNAT or MASQUERADE in a user chain
#     reached from a hook they do not allow is refused, whether the rule
#     or the jump comes last, at any depth, in restore too; iptables-legacy
#     refuses the same commands;
#  2. save, -S and -L -n -v of the four targets are iptables-legacy's.

source "$(dirname -- "$0")/lib.sh"
require_env
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
# iptables-legacy's modules: the VM does not autoload.
modprobe -a ip_tables iptable_nat xt_nat xt_MASQUERADE xt_REDIRECT \
	xt_tcpudp || skip "cannot load iptable_nat and xt_*"

# 1. Hook checks.
log "-- hook checks"
H=$NS_TAG-h
L=$NS_TAG-l
ns_create "$H"
ns_create "$L"
# both_refuse WANT-REGEX ARGS...: nfgate refuses with WANT, and so does
# iptables-legacy.
both_refuse() {
	local want=$1 out

	shift
	if out=$(nfg "$H" -t nat "$@" 2>&1); then
		fail "nfgate -t nat $*: accepted"
	else
		assert_match "nfgate -t nat $*" "$want" "$out"
	fi
	ip netns exec "$L" iptables-legacy -t nat "$@" 2>/dev/null &&
		fail "iptables-legacy -t nat $*: accepted"
}
both_ok() {
	nfg_ok "$H" -t nat "$@"
	ip netns exec "$L" iptables-legacy -t nat "$@" ||
		fail "iptables-legacy -t nat $*: refused"
}
both_ok -N SEP
both_ok -A SEP -p tcp -j DNAT --to-destination 198.51.100.2:8080
both_refuse "DNAT is not valid in chain POSTROUTING" \
	-A POSTROUTING -p tcp -j DNAT --to-destination 198.51.100.2
both_refuse "DNAT in chain SEP is not valid from hook POSTROUTING \(jump to SEP\)" \
	-A POSTROUTING -j SEP
both_refuse "DNAT in chain SEP is not valid from hook INPUT \(jump to SEP\)" \
	-A INPUT -j SEP
both_ok -A PREROUTING -j SEP
both_ok -A OUTPUT -j SEP
# The rule last: a chain already reached from POSTROUTING.
both_ok -N POST
both_ok -A POSTROUTING -j POST
both_refuse "DNAT in chain POST is not valid from hook POSTROUTING\)" \
	-A POST -p tcp -j DNAT --to-destination 198.51.100.2
both_ok -A POST -j MASQUERADE
# Two levels down, MASQUERADE reached from PREROUTING through SEP.
both_ok -N DEEP
both_ok -A DEEP -j MASQUERADE
both_refuse "MASQUERADE in chain DEEP is not valid from hook PREROUTING \(jump to DEEP\)" \
	-A SEP -j DEEP
both_ok -N MID
both_ok -A MID -j DEEP
both_refuse "MASQUERADE in chain DEEP is not valid from hook PREROUTING \(jump to MID\)" \
	-A SEP -j MID
# Deleting the call makes the rule valid again.
both_ok -D POSTROUTING -j POST
both_ok -A POST -p tcp -j DNAT --to-destination 198.51.100.2
assert_eq "refusals changed nothing" \
	"$(ip netns exec "$L" iptables-legacy -t nat -S)" "$(nfg "$H" -t nat -S)"
# In one restore transaction: refused as a whole.
before=$(save_filtered "$H" -t nat)
printf '*nat\n-A POST -j ACCEPT\n-A POSTROUTING -j SEP\nCOMMIT\n' >"$tmpdir/bad.rules"
if out=$(nfg "$H" restore --noflush "$tmpdir/bad.rules" 2>&1); then
	fail "restore with POSTROUTING -> SEP accepted"
else
	assert_match "restore refused" \
		"DNAT in chain SEP is not valid from hook POSTROUTING" "$out"
fi
assert_eq "refused restore changed nothing" "$before" \
	"$(save_filtered "$H" -t nat)"
# The table check stays: DNAT has no place in filter.
if out=$(nfg "$H" -A INPUT -p tcp -j DNAT --to-destination 198.51.100.2 2>&1); then
	fail "DNAT in the filter table accepted"
else
	assert_match "DNAT in filter" "DNAT is not valid in this table" "$out"
fi

# 2. Output as iptables-legacy's.
log "-- save, -S, -L against iptables-legacy"
G=$NS_TAG-g
M=$NS_TAG-m
ns_create "$G"
ns_create "$M"
# One restore each (the same lines as commands would take twice as many
# runs of the CLI, and the VM is slow).
{
	echo "*nat"
	cat <<'RULES'
-A PREROUTING -p tcp -j DNAT --to-destination 198.51.100.2:8080
-A PREROUTING -d 192.0.2.1 -p tcp --dport 80 -j DNAT --to-destination 198.51.100.2-198.51.100.5:8080-8090
-A PREROUTING -p tcp -j DNAT --to-destination 198.51.100.2:8080-8090/100 --random --persistent
-A PREROUTING -p tcp -j DNAT --to-destination :http
-A PREROUTING -p icmp -j DNAT --to-destination 198.51.100.9:5
-A PREROUTING -p udp -j DNAT --random --to-destination 198.51.100.2
-A PREROUTING -p tcp -j REDIRECT --to-ports 8080 --random
-A PREROUTING -p tcp -j REDIRECT --to-ports 8080-8081
-A OUTPUT -p udp -j REDIRECT --random
-A OUTPUT -p tcp -j REDIRECT
-A POSTROUTING -p udp -j SNAT --to-source 203.0.113.1:1000-2000 --random --random-fully --persistent
-A POSTROUTING -o veth0 -j SNAT --to-source 203.0.113.1-203.0.113.3
-A INPUT -p tcp -j SNAT --to-source :0
-A POSTROUTING -j MASQUERADE
-A POSTROUTING -p tcp -j MASQUERADE --to-ports 1024-2048 --random --random-fully
-A POSTROUTING -p sctp -j MASQUERADE --to-ports 0
RULES
	echo COMMIT
} >"$tmpdir/targets.rules"
nfg_ok "$G" restore "$tmpdir/targets.rules"
ip netns exec "$M" iptables-legacy-restore "$tmpdir/targets.rules" ||
	fail "iptables-legacy-restore of the targets"
assert_eq "-S" "$(ip netns exec "$M" iptables-legacy -t nat -S)" \
	"$(nfg "$G" -t nat -S)"
assert_eq "save -t nat" \
	"$(ip netns exec "$M" iptables-legacy-save -t nat | grep -v '^#')" \
	"$(save_filtered "$G" -t nat)"
# iptables 1.8.9 -n prints the protocol as a number, nfgate (all tables)
# as a name: only that column is mapped.
assert_eq "-L -n -v" "$(ip netns exec "$M" iptables-legacy -t nat -L -n -v)" \
	"$(nfg "$G" -t nat -L -n -v | sed -e 's/ tcp  --/ 6    --/' \
		-e 's/ udp  --/ 17   --/' -e 's/ icmp --/ 1    --/' \
		-e 's/ sctp --/ 132  --/' -e 's/ all  --/ 0    --/')"

exit $ret
