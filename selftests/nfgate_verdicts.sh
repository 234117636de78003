#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_verdicts.sh: the REJECT and LOG targets and the addrtype match on
# real packets (NFQUEUE and QUEUE: nfgate_nfqueue.sh), each case run once
# with nfgate and once with iptables-legacy on the router (the oracle),
# which must agree:
#  1. REJECT in FORWARD answers a UDP datagram with the ICMP type 3 code
#     --reject-with asks for (read from a raw ICMP socket in the client);
#     in INPUT too; tcp-reset makes a connect() refused at once where the
#     server would let it time out;
#  2. LOG writes a kernel log line with the prefix and the packet's
#     interfaces and addresses (nf_log_all_netns=1), and the next rule
#     still runs (the packet is counted after it);
#  3. addrtype --dst-type LOCAL matches the router's own addresses and
#     not forwarded traffic; with --limit-iface-in only the addresses of
#     the input device are LOCAL;
#  4. refused: REJECT outside filter, tcp-reset without -p tcp, addrtype
#     limits in the wrong hook; -S of the rules is iptables-legacy's.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp nfg_tcp
command -v python3 >/dev/null || skip "python3 missing"
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
for m in nf_log_syslog ip_tables iptable_filter iptable_mangle \
	ipt_REJECT xt_LOG xt_NFQUEUE xt_addrtype; do
	modprobe "$m" || skip "modprobe $m failed"
done
topo_create

source "$SELFTESTS/verdicts_lib.sh"

icmp_err() {
	ip netns exec "$CLI" python3 "$SELFTESTS/icmp_err.py" "$@"
}

# 1. REJECT with each ICMP type, then tcp-reset.
log "-- REJECT"
# one port per type, one probe run per implementation
TYPES=(icmp-net-unreachable icmp-host-unreachable icmp-proto-unreachable
	icmp-port-unreachable icmp-net-prohibited icmp-host-prohibited
	icmp-admin-prohibited net-unreach admin-prohib "")
CODES=(0 1 2 3 9 10 13 0 13 3)
ports=
want=
none=
for i in "${!TYPES[@]}"; do
	ports+=${ports:+,}$((10 + i))
	want+="${want:+ }$((10 + i)):3/${CODES[$i]}"
	none+="${none:+ }$((10 + i)):none"
done
# the server drops UDP to these ports and SYNs to port 81 (no answer of
# its own), and the router answers as often as asked (no ICMP rate limit)
nfg_ok "$SRV" -A INPUT -p udp --dport 10:19 -j DROP
nfg_ok "$SRV" -A INPUT -p tcp --dport 81 -j DROP
ip netns exec "$RTR" sysctl -qw net.ipv4.icmp_ratelimit=0
assert_eq "no rule: no ICMP error" "$none" "$(icmp_err $SRV_IP $ports 1)"
for impl in $IMPLS; do
	for i in "${!TYPES[@]}"; do
		rtr_ok $impl -A FORWARD -p udp -d $SRV_IP --dport $((10 + i)) \
			-j REJECT ${TYPES[$i]:+--reject-with ${TYPES[$i]}}
	done
	assert_eq "$impl REJECT types" "$want" "$(icmp_err $SRV_IP $ports)"
	flush_all
	rtr_ok $impl -A INPUT -p udp -j REJECT --reject-with icmp-host-prohibited
	assert_eq "$impl REJECT in INPUT" "7:3/10" "$(icmp_err $RTR_CLI_IP 7)"
	flush_all
done

assert_eq "no rule: SYN dropped by the server" "timeout" \
	"$(tcp_probe "$CLI" $SRV_IP 81)"
for impl in $IMPLS; do
	rtr_ok $impl -A FORWARD -p tcp -d $SRV_IP --dport 81 \
		-j REJECT --reject-with tcp-reset
	assert_eq "$impl REJECT tcp-reset" "refused" \
		"$(tcp_probe "$CLI" $SRV_IP 81)"
	flush_all
done
nfg_ok "$SRV" -F

# 2. LOG.
log "-- LOG"
sysctl -qw net.netfilter.nf_log_all_netns=1 ||
	fail "cannot set net.netfilter.nf_log_all_netns"
for impl in $IMPLS; do
	tag="nfgV-$impl-$$: "
	rtr_ok $impl -A FORWARD -p icmp -j LOG --log-prefix "$tag"
	rtr_ok $impl -A FORWARD -p tcp -j LOG --log-prefix "$tag" \
		--log-tcp-sequence --log-level debug
	rtr_ok $impl -A FORWARD -p icmp -j DROP
	ping_fails "$CLI" $SRV_IP 1
	tcp_probe "$CLI" $SRV_IP 82 >/dev/null
	lines=$(dmesg | grep -F -- "$tag")
	assert_match "$impl LOG icmp line" \
		"$tag""IN=veth-cli OUT=veth-srv MAC=[0-9a-f:]+ SRC=$CLI_IP DST=$SRV_IP .*PROTO=ICMP TYPE=8" \
		"$lines"
	assert_match "$impl LOG --log-tcp-sequence" \
		"$tag""IN=veth-cli OUT=veth-srv .*PROTO=TCP SPT=[0-9]+ DPT=82 SEQ=[0-9]+" \
		"$lines"
	flush_all
done

# 3. addrtype: count-only rules, one echo to each router address and one
# to the server (request and reply are forwarded).
log "-- addrtype"
# pkts IMPL TABLE CHAIN: the packet counters of CHAIN's rules, "a,b,..."
pkts() {
	rtr $1 -t $2 -L $3 -v -n -x | awk 'NR > 2 { print $1 }' | paste -sd,
}
for impl in $IMPLS; do
	rtr_ok $impl -A INPUT -p icmp -m addrtype --dst-type LOCAL
	# the router's address on veth-srv is not an address of veth-cli
	rtr_ok $impl -A INPUT -p icmp -m addrtype --dst-type LOCAL --limit-iface-in
	rtr_ok $impl -A INPUT -p icmp -m addrtype ! --dst-type LOCAL
	rtr_ok $impl -A FORWARD -p icmp -m addrtype --dst-type LOCAL
	rtr_ok $impl -A FORWARD -p icmp -m addrtype ! --dst-type LOCAL,BROADCAST
	rtr_ok $impl -A FORWARD -p icmp -m addrtype --src-type UNICAST \
		--dst-type UNICAST
	rtr_ok $impl -t mangle -A PREROUTING -p icmp -m addrtype \
		--dst-type LOCAL --limit-iface-in
	ping_ok "$CLI" $RTR_CLI_IP 1
	ping_ok "$CLI" $RTR_SRV_IP 1
	ping_ok "$CLI" $SRV_IP 1
	assert_eq "$impl addrtype counters" "2,1,0 0,2,2 1" \
		"$(pkts $impl filter INPUT) $(pkts $impl filter FORWARD) $(pkts $impl mangle PREROUTING)"
	flush_all
done

# 4. Refused rules, and the save text against iptables-legacy's.
log "-- refused and saved"
refused() {
	local out

	if out=$(nfg "$RTR" "$@" 2>&1); then
		fail "nfgate $*: accepted"
	else
		log "ok: refused $* ($out)"
	fi
	if ip netns exec "$RTR" iptables-legacy "$@" >/dev/null 2>&1; then
		fail "iptables-legacy $*: accepted"
	fi
}
refused -t mangle -A INPUT -j REJECT
refused -t mangle -A FORWARD -j REJECT
refused -A INPUT -p udp -j REJECT --reject-with tcp-reset
refused -A INPUT ! -p tcp -j REJECT --reject-with tcp-reset
refused -A OUTPUT -m addrtype --src-type LOCAL --limit-iface-in
refused -t mangle -A POSTROUTING -m addrtype --src-type LOCAL --limit-iface-in
refused -A INPUT -j NFQUEUE --queue-balance 0:65535
refused -A INPUT -j LOG --log-level 8
assert_eq "refused rules left nothing" "" \
	"$(nfg "$RTR" -S | grep -v '^-P')"

# restore reads the same syntax: one file for both
cat >"$tmpdir/rules" <<'EOF2'
*filter
-A INPUT -j REJECT
-A INPUT -p tcp -j REJECT --reject-with tcp-rst
-A FORWARD -j REJECT --reject-with icmp-h
-A OUTPUT -j REJECT --reject-with ADMIN
-A INPUT -j LOG --log-level alert --log-prefix "x y"
-A INPUT -j LOG --log-uid --log-ip-options --log-macdecode
-A INPUT -j LOG --log-prefix 0123456789012345678901234567890123
-A INPUT -j NFQUEUE
-A INPUT -j NFQUEUE --queue-bypass --queue-balance 3:5
-A INPUT -j NFQUEUE --queue-cpu-fanout --queue-balance 1:2
-A INPUT -j QUEUE
-A INPUT -m addrtype ! --src-type loc,b --dst-type U
-A INPUT -m addrtype --dst-type LOCAL --limit-iface-in
-A FORWARD -m addrtype --src-type blackhole --limit-iface-out
COMMIT
EOF2
nfg_ok "$RTR" restore "$tmpdir/rules"
ip netns exec "$RTR" iptables-legacy-restore "$tmpdir/rules" ||
	fail "iptables-legacy-restore"
assert_eq "-S as iptables-legacy" "$(ip netns exec "$RTR" iptables-legacy -S)" \
	"$(nfg "$RTR" -S)"
assert_eq "-L -n as iptables-legacy (but the prot column)" \
	"$(ip netns exec "$RTR" iptables-legacy -L -n | cut -c1-10,16-)" \
	"$(nfg "$RTR" -L -n | cut -c1-10,16-)"
assert_eq "-L as iptables-legacy" "$(ip netns exec "$RTR" iptables-legacy -L)" \
	"$(nfg "$RTR" -L)"
# the save output goes back in unchanged
nfg "$RTR" save >"$tmpdir/save.rules"
nfg_ok "$RTR" restore "$tmpdir/save.rules"
assert_eq "save, restore, save" \
	"$(grep -v '^#' "$tmpdir/save.rules" | sed 's/ \[[0-9]*:[0-9]*\]$//')" \
	"$(ruleset "$RTR")"
flush_all

# xt_addrtype's hook check: no output device in INPUT
for impl in $IMPLS; do
	if rtr $impl -A INPUT -m addrtype --src-type LOCAL --limit-iface-out \
		>/dev/null 2>&1; then
		fail "$impl accepts --limit-iface-out in INPUT"
	fi
done
flush_all

exit $ret
