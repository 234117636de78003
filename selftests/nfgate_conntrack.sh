#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_conntrack.sh: the conntrack and state matches on real packets,
# each scenario run with nfgate's rules and then with the same rules in
# iptables-legacy, in the same VM and namespaces (nfgate_connmark.sh has
# CONNMARK, connmark, statistic and the texts: one test would outlast the
# selftest timeout in a loaded TCG VM):
#  1. conntrack is off in a namespace without a rule that needs it, on
#     while one exists, and off again once it is deleted (gc frees rules
#     asynchronously: polled);
#  2. a stateful FORWARD (policy DROP): -m conntrack --ctstate
#     ESTABLISHED,RELATED -j ACCEPT plus NEW for one port: the replies
#     flow, another port and connections from the server side do not;
#     --ctstate INVALID -j DROP drops a data segment 1 GiB beyond the
#     window (nf_conntrack_tcp_be_liberal=0), exactly once;
#  3. the same with -m state.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp
command -v python3 >/dev/null || skip "python3 missing"
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
for m in ip_tables iptable_filter iptable_mangle xt_conntrack xt_state \
	xt_connmark xt_statistic xt_mark xt_tcpudp; do
	modprobe "$m" || skip "modprobe $m failed"
done
CT="python3 $SELFTESTS/nfg_ct.py"
topo_create
source "$SELFTESTS/ct_lib.sh"

# 1. Conntrack follows the rules that need it (nfgate only: an
# iptables-legacy conntrack rule would hold it as well).
log "-- conntrack off without a conntrack rule, on with one, off after"
udp_flow 3000 3001 3
assert_eq "no conntrack rule: entries" 0 "$(ct_count)"
nfg_ok "$RTR" -A FORWARD -m conntrack --ctstate NEW
udp_flow 3000 3002 3
# a UDP flow without replies is NEW on every packet
assert_eq "with a conntrack rule: NEW counted" 3 \
	"$(counter nfgate "$RTR" filter FORWARD 1)"
n=$(ct_count)
[ "$n" -ge 1 ] || fail "with a conntrack rule: nf_conntrack_count $n"
nfg_ok "$RTR" -D FORWARD -m conntrack --ctstate NEW
released=0
for ((i = 0; i < 50; i++)); do
	before=$(ct_count)
	udp_flow 3000 $((3100 + i)) 1
	if [ "$(ct_count)" = "$before" ]; then
		released=1
		break
	fi
	sleep 0.2
done
assert_eq "rule deleted: conntrack released" 1 $released

ip netns exec "$RTR" sysctl -qw net.netfilter.nf_conntrack_tcp_be_liberal=0
bg "$SRV" $CT serve $SRV_IP 8080 "$tmpdir/s8080"
bg "$SRV" $CT serve $SRV_IP 8081 "$tmpdir/s8081"
bg "$CLI" $CT serve $CLI_IP 8080 "$tmpdir/c8080"
for f in s8080 s8081 c8080; do
	wait_file "$tmpdir/$f" || die "echo server $f not ready"
done

# 2./3. The stateful firewall, with -m conntrack or -m state.
stateful() {
	local e=$1 m=$2 opt=$3 what="$1 -m $2"

	log "-- $what: stateful FORWARD"
	eng_ok "$e" "$RTR" -P FORWARD DROP
	eng_ok "$e" "$RTR" -A FORWARD -m "$m" "$opt" INVALID -j DROP
	eng_ok "$e" "$RTR" -A FORWARD -m "$m" "$opt" ESTABLISHED,RELATED -j ACCEPT
	eng_ok "$e" "$RTR" -A FORWARD -i veth-cli -p tcp --dport 8080 \
		-m "$m" "$opt" NEW -j ACCEPT
	assert_eq "$what: allowed port" ok \
		"$(ip netns exec "$CLI" $CT talk $SRV_IP 8080)"
	assert_eq "$what: other port" timeout \
		"$(ip netns exec "$CLI" $CT talk $SRV_IP 8081)"
	# -m state has the same rules: the server side once is enough
	[ "$m" = state ] ||
		assert_eq "$what: from the server side" timeout \
			"$(ip netns exec "$SRV" $CT talk $CLI_IP 8080)"
	assert_eq "$what: INVALID before" 0 "$(counter "$e" "$RTR" filter FORWARD 1)"
	assert_eq "$what: out-of-window segment" sent \
		"$(ip netns exec "$CLI" $CT oow $SRV_IP 8080 veth0)"
	assert_eq "$what: INVALID dropped" 1 "$(counter "$e" "$RTR" filter FORWARD 1)"
	eng_ok "$e" "$RTR" -F FORWARD
	eng_ok "$e" "$RTR" -P FORWARD ACCEPT
}

stateful nfgate conntrack --ctstate
stateful nfgate state --state
stateful legacy conntrack --ctstate
stateful legacy state --state

exit $ret
