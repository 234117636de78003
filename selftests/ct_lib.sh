# SPDX-License-Identifier: GPL-2.0
#
# ct_lib.sh: what nfgate_conntrack.sh and nfgate_connmark.sh share, sourced
# after lib.sh and topo_create: the counters and flows both read and send
# (the rule commands are lib.sh's eng and eng_ok).

# counter ENGINE NS TABLE CHAIN NUM: packets of one rule.
counter() {
	counter_in "$(eng "$1" "$2" -t "$3" -L -v -n -x --line-numbers 2>&1)" \
		"$4" "$5"
}

ct_count() {
	ip netns exec "$RTR" cat /proc/sys/net/netfilter/nf_conntrack_count
}

# udp_flow SPORT DPORT COUNT: datagrams client -> server, one flow.
udp_flow() {
	ip netns exec "$CLI" "$HELPERS/nfg_udp" send -a $SRV_IP -p "$2" -n "$3" \
		-s "$1"
}

