# SPDX-License-Identifier: GPL-2.0
#
# verdicts_lib.sh: helpers of nfgate_verdicts.sh and nfgate_nfqueue.sh,
# sourced after lib.sh and topo_create: the same rule command on the
# router with nfgate or with iptables-legacy (the oracle), and a flush of
# both.

N=3
# every case runs with both; they must agree
IMPLS="nfgate legacy"

# rtr IMPL ARGS...: a rule command on the router with IMPL (lib.sh's eng).
rtr() {
	eng "$1" "$RTR" "${@:2}"
}

rtr_ok() {
	eng_ok "$1" "$RTR" "${@:2}"
}

# flush both implementations' filter and mangle tables on the router
flush_all() {
	local t

	for t in filter mangle; do
		nfg "$RTR" -t $t -F
		ip netns exec "$RTR" iptables-legacy -t $t -F
	done
}
