#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_match_order.sh: a match that changes state, written before the
# rule's -m udp, runs for every packet that reaches it, whatever its ports,
# as in iptables (which runs a rule's matches in the order written and
# tests the ports where -m udp stands).  nfgate keeps a rule's ports in its
# core match; such a rule tests them at the -m udp marker instead.  Side by
# side with iptables-legacy on the same router, which must count and
# deliver exactly as nfgate does:
#  - statistic --mode nth --every 2 before --dport 5001: the counter steps
#    for the datagrams to 5000 as well, so it drops the 2nd to 5001 (the
#    5th datagram), not the 1st and 3rd;
#  - limit --limit-burst 2 before --dport 5001 -j ACCEPT (then DROP 5001):
#    the datagrams to 5000 spend the burst, none to 5001 is accepted;
#  - recent --set before --dport 5001: a datagram to 5000 records the
#    client, whose pings a later --rcheck rule then drops.
# Each case fails with the ports tested first (the module before the
# change that added this test).

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
modprobe -a x_tables ip_tables iptable_filter xt_tcpudp xt_statistic \
	xt_limit xt_recent || skip "iptables-legacy modules missing"
topo_create

# rules_file NAME RULE...: a filter table with the rules in FORWARD.
rules_file() {
	local name=$1 rule

	shift
	{
		echo "*filter"
		echo ":INPUT ACCEPT [0:0]"
		echo ":FORWARD ACCEPT [0:0]"
		echo ":OUTPUT ACCEPT [0:0]"
		for rule; do
			echo "-A FORWARD $rule"
		done
		echo "COMMIT"
	} >"$tmpdir/$name.rules"
}

rules_file nth \
	"-p udp -m statistic --mode nth --every 2 --packet 0 -m udp --dport 5001 -j DROP"
rules_file limit \
	"-p udp -m limit --limit 1/min --limit-burst 2 -m udp --dport 5001 -j ACCEPT" \
	"-p udp -m udp --dport 5001 -j DROP"
rules_file recent \
	"-p udp -m recent --set --name order --mask 255.255.255.255 --rsource -m udp --dport 5001" \
	"-p icmp -m recent --rcheck --name order --mask 255.255.255.255 --rsource -j DROP"

declare -A out

# rows TOOL: FORWARD's rule rows, added to what TOOL is compared on.
rows() {
	out[$1]+=$(eng "$1" "$RTR" -L FORWARD -n -v -x | tail -n +2)$'\n'
}

# udp_case TOOL NAME AT-5000 AT-5001: NAME's rules, then 3 datagrams to
# port 5000 and 3 to 5001; what arrived at each.
udp_case() {
	local tool=$1 name=$2

	log "-- $name before -m udp, through $tool"
	eng_restore "$tool" "$RTR" "$tmpdir/$name.rules"
	assert_eq "$tool $name: to 5000" "$3" \
		"$(udp_round "$CLI" "$SRV" $SRV_IP 5000 3)"
	assert_eq "$tool $name: to 5001" "$4" \
		"$(udp_round "$CLI" "$SRV" $SRV_IP 5001 3)"
	rows "$tool"
}

for TOOL in nfgate iptables-legacy; do
	# every 2nd datagram from the first matches: the 1st and 3rd (to
	# 5000) and the 5th; with the ports tested first, the 1st and 3rd
	# to 5001 would
	udp_case "$TOOL" nth 5000:3 5001:2
	# the datagrams to 5000 spend the burst: none to 5001 is accepted
	udp_case "$TOOL" limit 5000:3 5001:0

	log "-- recent --set before -m udp, through $TOOL"
	eng_restore "$TOOL" "$RTR" "$tmpdir/recent.rules"
	got=$(ping_count "$CLI" $SRV_IP 2)
	assert_eq "$TOOL: pings before any datagram" 2 "$got"
	got=$(udp_round "$CLI" "$SRV" $SRV_IP 5000 1)
	assert_eq "$TOOL: a datagram to 5000" "5000:1" "$got"
	got=$(ping_count "$CLI" $SRV_IP 2)
	assert_eq "$TOOL: the datagram to 5000 recorded the client" 0 "$got"
	rows "$TOOL"
	eng "$TOOL" "$RTR" -F
	eng "$TOOL" "$RTR" -Z
done
assert_eq "nfgate counts what iptables-legacy does" \
	"${out[iptables-legacy]}" "${out[nfgate]}"

exit $ret
