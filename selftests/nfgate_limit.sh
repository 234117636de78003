#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_limit.sh: the limit match (a token bucket per rule) on packets,
# side by side with iptables-legacy on the same router:
#  - a burst of 3 at 1/min lets exactly 3 of 8 pings through (echo requests
#    are limited, replies pass), and -L -n -v -x counts as iptables does;
#  - behind 40 filler rules, so that the classifier (which tries candidates
#    out of order) serves the chain, a limit rule the packets never reach
#    (an earlier rule accepted them) spends no token: once that earlier
#    rule is gone, it counts 3 of 4 datagrams, its full burst.  limit is an
#    "ordered" kind, evaluated only in rule order.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
modprobe -a x_tables ip_tables iptable_filter xt_tcpudp xt_limit ||
	skip "iptables-legacy modules missing"
topo_create

{
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	for ((i = 1; i <= 40; i++)); do
		echo "-A FORWARD -s 203.0.113.$i/32 -p udp -m udp" \
			"--dport $((6000 + i)) -j DROP"
	done
	echo "-A FORWARD -p udp -j ACCEPT"
	echo "-A FORWARD -p udp -m limit --limit 1/min --limit-burst 3"
	echo "-A FORWARD -s $CLI_IP/32 -p icmp -m limit --limit 1/min" \
		"--limit-burst 3 -j ACCEPT"
	echo "-A FORWARD -s $CLI_IP/32 -p icmp -j DROP"
	echo "COMMIT"
} >"$tmpdir/limit.rules"

declare -A out
for TOOL in nfgate iptables-legacy; do
	log "-- limit through $TOOL"
	eng_restore "$TOOL" "$RTR" "$tmpdir/limit.rules"
	got=$(udp_round "$CLI" "$SRV" $SRV_IP 5000 5)
	assert_eq "$TOOL: udp accepted before limit" "5000:5" "$got"
	got=$(ping_count "$CLI" $SRV_IP 8)
	assert_eq "$TOOL: pings within the burst" 3 "$got"
	# now the udp limit rule is reached: its bucket must still be full
	eng "$TOOL" "$RTR" -D FORWARD -p udp -j ACCEPT
	got=$(udp_round "$CLI" "$SRV" $SRV_IP 5000 4)
	assert_eq "$TOOL: udp after the accept went" "5000:4" "$got"
	# rule rows only: iptables-legacy's -D rewrites the table and its
	# built-in chains' policy counters restart from zero (libiptc), while
	# nfgate's deletion leaves every other counter alone
	out[$TOOL]=$(eng "$TOOL" "$RTR" -L FORWARD -n -v -x |
		grep -v '^Chain\|6[0-9][0-9][0-9]')
	eng "$TOOL" "$RTR" -F
	eng "$TOOL" "$RTR" -Z
done
assert_eq "limit: nfgate counts what iptables-legacy does" \
	"${out[iptables-legacy]}" "${out[nfgate]}"
assert_match "udp limit rule: 3 of 4 once reached, none spent before" \
	"^ +3 +[0-9]+ +17 +-- .*limit: avg 1/min burst 3" "${out[nfgate]}"

exit $ret
