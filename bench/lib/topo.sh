# SPDX-License-Identifier: GPL-2.0
# bench/lib/topo.sh: the three network namespaces of the benchmark.
#
#   nfgb-cli  c0 192.0.2.1/24 ---- rc 192.0.2.254/24    nfgb-rtr (forwards;
#   nfgb-srv  s0 198.51.100.1/24 - rs 198.51.100.254/24  rules under test)
#
# The router routes 198.18.0.0/15 (the services) to the server through a
# permanent neighbour entry (no ARP), and 203.0.113.0/24 the same way; the
# server black-holes 198.18.0.0/15,
# the cheapest way to take the packets in without answering them; the same
# for 203.0.113.0/24, the endpoints the NAT workload DNATs to.  Every
# rule operation of the benchmark runs inside nfgb-rtr.  With two CPUs or
# more, RPS on rc moves the router's receive processing (and so its FORWARD
# hook) to CPU 1, away from pktgen's thread on CPU 0: the rate measured is
# the router's, not a share of one CPU that pktgen also spins on.

BENCH_NS_CLI=nfgb-cli
BENCH_NS_RTR=nfgb-rtr
BENCH_NS_SRV=nfgb-srv

topo_down() {
	local ns
	for ns in $BENCH_NS_CLI $BENCH_NS_RTR $BENCH_NS_SRV; do
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

topo_up() {
	local ns smac
	topo_down
	modprobe veth || return 1
	for ns in $BENCH_NS_CLI $BENCH_NS_RTR $BENCH_NS_SRV; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up || return 1
	done
	ip link add c0 netns $BENCH_NS_CLI type veth peer name rc netns $BENCH_NS_RTR &&
		ip link add s0 netns $BENCH_NS_SRV type veth peer name rs netns $BENCH_NS_RTR &&
		ip -n $BENCH_NS_CLI addr add 192.0.2.1/24 dev c0 &&
		ip -n $BENCH_NS_CLI link set c0 up &&
		ip -n $BENCH_NS_RTR addr add 192.0.2.254/24 dev rc &&
		ip -n $BENCH_NS_RTR link set rc up &&
		ip -n $BENCH_NS_RTR addr add 198.51.100.254/24 dev rs &&
		ip -n $BENCH_NS_RTR link set rs up &&
		ip -n $BENCH_NS_SRV addr add 198.51.100.1/24 dev s0 &&
		ip -n $BENCH_NS_SRV link set s0 up &&
		ip netns exec $BENCH_NS_RTR sysctl -qw net.ipv4.ip_forward=1 &&
		ip -n $BENCH_NS_SRV route add blackhole 198.18.0.0/15 &&
		ip -n $BENCH_NS_RTR route add 198.18.0.0/15 via 198.51.100.1 &&
		ip -n $BENCH_NS_SRV route add blackhole 203.0.113.0/24 &&
		ip -n $BENCH_NS_RTR route add 203.0.113.0/24 via 198.51.100.1 || return 1
	smac=$(ip netns exec $BENCH_NS_SRV cat /sys/class/net/s0/address) || return 1
	ip -n $BENCH_NS_RTR neigh replace 198.51.100.1 lladdr "$smac" dev rs nud permanent ||
		return 1
	if [ "$(nproc)" -ge 2 ]; then
		ip netns exec $BENCH_NS_RTR sh -c 'echo 2 >/sys/class/net/rc/queues/rx-0/rps_cpus'
	fi
}

# The router's MAC on the client link: pktgen's dst_mac.
topo_router_mac() {
	ip netns exec $BENCH_NS_RTR cat /sys/class/net/rc/address
}
