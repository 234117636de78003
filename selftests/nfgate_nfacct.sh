#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_nfacct.sh: the nfacct match, bound to the kernel's nfnetlink_acct
# objects, side by side with iptables-legacy on the same router (FORWARD;
# the objects are made by nfg_acct.py, nfacct(8) is not needed):
#  - a rule naming an object that does not exist is refused (exit 1; nfgate
#    names the object);
#  - -p udp -m nfacct --nfacct-name fwd counts 5 datagrams into "fwd";
#  - an object with a quota of 2 packets: -m nfacct --nfacct-name q -j DROP
#    lets the first ping through (request and reply under the quota) and
#    drops the rest;
#  - the objects' counters, -S and the -L -n -v -x rows are the same.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp
command -v python3 >/dev/null || skip "python3 missing (the nfacct helper)"
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
modprobe -a x_tables ip_tables iptable_filter xt_tcpudp xt_nfacct \
	nfnetlink_acct || skip "iptables-legacy modules missing"
ACCT=$SELFTESTS/nfg_acct.py
topo_create

acct() {
	ip netns exec "$RTR" python3 -S -E "$ACCT" "$@"
}
acct add fwd || die "cannot create accounting object fwd"
acct add q 2 || die "cannot create accounting object q"

{
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	echo "-A FORWARD -p udp -m nfacct --nfacct-name fwd"
	echo "-A FORWARD -p icmp -m nfacct --nfacct-name q -j DROP"
	echo "COMMIT"
} >"$tmpdir/nfacct.rules"

declare -A out save counts
for TOOL in nfgate iptables-legacy; do
	log "-- nfacct through $TOOL"
	if msg=$(eng "$TOOL" "$RTR" -A FORWARD -m nfacct --nfacct-name nosuch \
		2>&1); then
		fail "$TOOL: a missing accounting object was taken"
	fi
	[ "$TOOL" = nfgate ] && assert_match "nfgate names the missing object" \
		"nosuch" "$msg"
	acct zero fwd >/dev/null
	acct zero q >/dev/null
	eng_restore "$TOOL" "$RTR" "$tmpdir/nfacct.rules"
	got=$(udp_round "$CLI" "$SRV" $SRV_IP 5000 5)
	assert_eq "$TOOL: udp passes" "5000:5" "$got"
	got=$(ping_count "$CLI" $SRV_IP 4)
	assert_eq "$TOOL: pings under the quota of 2 packets" 1 "$got"
	counts[$TOOL]="fwd $(acct zero fwd) q $(acct zero q)"
	assert_match "$TOOL: 5 datagrams in fwd" "^fwd 5 " "${counts[$TOOL]}"
	save[$TOOL]=$(eng "$TOOL" "$RTR" -S)
	out[$TOOL]=$(eng "$TOOL" "$RTR" -L -n -v -x | grep -v '^Chain')
	eng "$TOOL" "$RTR" -F
	eng "$TOOL" "$RTR" -Z
done
assert_eq "nfacct: the objects count what iptables-legacy's rules count" \
	"${counts[iptables-legacy]}" "${counts[nfgate]}"
assert_eq "nfacct: nfgate -S is iptables-legacy's" \
	"${save[iptables-legacy]}" "${save[nfgate]}"
assert_eq "nfacct: nfgate counts what iptables-legacy does" \
	"${out[iptables-legacy]}" "${out[nfgate]}"

exit $ret
