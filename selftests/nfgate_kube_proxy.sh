#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_kube_proxy.sh: a kube-proxy (iptables mode) Service on real TCP
# connections, written as kube-proxy writes it: its jump rules in the
# built-in chains by single commands (-N, -I, as its EnsureChain and
# EnsureRule do), then its own chains by "restore --noflush" of the text
# kube-proxy generates (the -m comment / -m tcp -p tcp order, /32-less
# addresses, --probability with 10 decimals, MASQUERADE --random-fully).
#
#   client 192.0.2.2 -- 192.0.2.1 ROUTER 198.18.N.1 -- 198.18.N.2 epN (N=1..3)
#
# The Service default/web:http: ClusterIP 203.0.113.10:80 and NodePort
# 30080, endpoints ep1..ep3:8080, each a namespace on its own veth running
# a TCP server that answers with its name.  Cluster CIDR 198.18.0.0/16.
# The router's FORWARD policy is DROP (as on a node running Docker), a
# CNI-style rule accepts pod sources; everything else forwarded needs
# KUBE-FORWARD.
#  1. 300 new connections from the client to the ClusterIP are answered
#     from the ClusterIP by all three endpoints (each 60..140: statistic
#     --mode random 1/3, then 1/2), masqueraded (off-cluster source: the
#     endpoint sees the router); each KUBE-SEP DNAT counter equals its
#     endpoint's answers; KUBE-FORWARD's mark rule accepts exactly the 300
#     first packets, without it the client gets no answer; its INVALID
#     rule drops a lone SYN-ACK;
#  2. NodePort: the router's own address:30080 reaches an endpoint through
#     KUBE-SERVICES' last rule (addrtype --dst-type LOCAL) and
#     KUBE-NODEPORTS; an endpoint's (non-local) address:30080 does not go
#     there (counters unchanged, forwarded as is and dropped by policy);
#     the node itself reaches the ClusterIP and its own NodePort (nat
#     OUTPUT, filter OUTPUT's --ctstate NEW jump);
#  3. hairpin: ep1 reaches the ClusterIP 30 times; when it lands on itself
#     KUBE-SEP's "-s EP -j KUBE-MARK-MASQ" and KUBE-POSTROUTING masquerade
#     it (it sees the router), on the others it keeps its address; without
#     that rule exactly the connections landing on itself time out;
#  4. the sum of the KUBE-SEP counters is the number of connections;
#  5. the same commands in iptables-legacy (scratch namespace) give the
#     same nat and filter tables as nfgate in save, -S and -L -n; nfgate's
#     -C finds each rule kube-proxy wrote, in its spelling, and not before;
#  6. a later sync after ep3 went away (restore --noflush with ep3's chain
#     declared and deleted, -X) sends 60 connections to ep1 and ep2 only;
#     the KUBE-SEP rules it rewrote unchanged keep their counters.

source "$(dirname -- "$0")/lib.sh"
require_env
command -v python3 >/dev/null || skip "python3 missing (the echo helper)"
command -v iptables-legacy-restore >/dev/null || skip "iptables-legacy missing"
modprobe -a ip_tables iptable_nat iptable_filter xt_nat xt_MASQUERADE \
	xt_comment xt_mark xt_conntrack xt_statistic xt_addrtype xt_tcpudp ||
	skip "cannot load iptable_nat and xt_*"
require_helper nfg_inject
ECHO=$SELFTESTS/nfg_echo.py
CIP=203.0.113.10
NODEPORT=30080
SVC=KUBE-SVC-NPX46M4PTMTKRN6Y
EXT=KUBE-EXT-NPX46M4PTMTKRN6Y
SEP=(- KUBE-SEP-IT2ZTR26TO4XFPTO KUBE-SEP-N4G2XR5TDX7PQE7P
	KUBE-SEP-YIL6JZP7A3QYXJU2)

# Topology.
ns_create "$CLI"
ns_create "$RTR"
ip link add veth0 netns "$CLI" type veth peer name veth-cli netns "$RTR" ||
	die "veth client-router"
ip -n "$CLI" addr add $CLI_IP/24 dev veth0
ip -n "$RTR" addr add $RTR_CLI_IP/24 dev veth-cli
ip -n "$CLI" link set veth0 up
ip -n "$RTR" link set veth-cli up
ip -n "$CLI" route add default via $RTR_CLI_IP
EP=(-)
for i in 1 2 3; do
	EP[i]=$NS_TAG-ep$i
	ns_create "${EP[i]}"
	ip link add veth0 netns "${EP[i]}" type veth peer name veth-ep$i \
		netns "$RTR" || die "veth ep$i"
	ip -n "$RTR" addr add 198.18.$i.1/24 dev veth-ep$i
	ip -n "${EP[i]}" addr add 198.18.$i.2/24 dev veth0
	ip -n "$RTR" link set veth-ep$i up
	ip -n "${EP[i]}" link set veth0 up
	ip -n "${EP[i]}" route add default via 198.18.$i.1
done
ip netns exec "$RTR" sysctl -qw net.ipv4.ip_forward=1 \
	net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.veth-ep1.send_redirects=0

# server I: the who-am-I echo of endpoint I, port 8080, answering "name=epI".
for i in 1 2 3; do
	ready=$tmpdir/ready.ep$i
	bg "${EP[i]}" python3 -S -E "$ECHO" server tcp 8080 "$ready" ep$i
	wait_file "$ready" 100 || die "echo server of ep$i not ready"
done
# conns NS DST PORT COUNT [TIMEOUT]: COUNT connections, one line each.
conns() {
	ip netns exec "$1" python3 -S -E "$ECHO" clients tcp "$2" "$3" "$4" \
		"${5:-3}" 2>&1
}
# sep_dnats: the sum of the three KUBE-SEP chains' DNAT counters (rule 2,
# after each one's -s rule).
sep_dnats() {
	local l i sum=0

	l=$(listing "$RTR" nat)
	for i in 1 2 3; do
		sum=$((sum + $(counter_in "$l" "${SEP[i]}" 2)))
	done
	echo "$sum"
}
# count_of TEXT REGEX: the lines of TEXT matching REGEX.
count_of() {
	echo "$1" | grep -c -E -- "$2"
}

# Warm up ARP, and: without the Service the ClusterIP is unroutable.
for i in 1 2 3; do
	ping_ok "$CLI" 198.18.$i.2 1 >/dev/null
done
assert_match "no Service: the ClusterIP" "^(error=EHOSTUNREACH|error=ENETUNREACH|timeout)$" \
	"$(conns "$CLI" $CIP 80 1 1)"

# kube_proxy TOOL NS: what kube-proxy does, through nfgate or
# iptables-legacy in NS: its chains and jump rules (EnsureChain,
# EnsureRule -I), a CNI's pod rule and FORWARD policy DROP, then
# "restore --noflush" of its generated text.
kube_proxy() {
	local tool=$1 ns=$2 ipt restore

	if [ "$tool" = nfgate ]; then
		ipt=("$NFGATE")
		restore=("$NFGATE" restore --noflush)
	else
		ipt=(iptables-legacy)
		restore=(iptables-legacy-restore --noflush)
	fi
	kp() {
		ip netns exec "$ns" "${ipt[@]}" "$@" ||
			fail "$tool $* (in $ns) failed"
	}
	# ensure TABLE CHAIN ARGS...: EnsureRule(Prepend): -C, absent: -I.
	# (nfgate's -C is judged; iptables-legacy only adds: time.)
	ensure() {
		local t=$1 c=$2

		shift 2
		if [ "$tool" = nfgate ] &&
			nfg "$ns" -t "$t" -C "$c" "$@" 2>/dev/null; then
			fail "$tool -t $t -C $c $*: found before -I"
		fi
		kp -t "$t" -I "$c" "$@"
		if [ "$tool" = nfgate ] && ! nfg "$ns" -t "$t" -C "$c" "$@"; then
			fail "$tool -t $t -C $c $*: not found after -I"
		fi
	}
	kp -t filter -P FORWARD DROP
	kp -t filter -A FORWARD -s 198.18.0.0/16 -m comment --comment "cni pod traffic" -j ACCEPT
	for c in KUBE-EXTERNAL-SERVICES KUBE-NODEPORTS KUBE-SERVICES \
		KUBE-FORWARD KUBE-PROXY-FIREWALL; do
		kp -t filter -N $c
	done
	for c in KUBE-SERVICES KUBE-POSTROUTING; do
		kp -t nat -N $c
	done
	ensure filter INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
	ensure filter FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
	ensure filter INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
	ensure filter FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
	ensure filter OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
	ensure filter FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
	ensure filter INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
	ensure filter OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
	ensure filter FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
	ensure nat OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
	ensure nat PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
	ensure nat POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
	ip netns exec "$ns" "${restore[@]}" <"$tmpdir/kube.rules" ||
		fail "$tool: restore --noflush of kube-proxy's text"
	# Every rule kube-proxy wrote is found by -C in its own spelling.
	if [ "$tool" = nfgate ]; then
		assert_rules_found "$tool" "$ns" "$tmpdir/kube.rules"
	fi
}

# kube-proxy's text (proxier.go's syncProxyRules for this Service).
cat >"$tmpdir/kube.rules" <<EOF
*filter
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:$EXT - [0:0]
:${SEP[1]} - [0:0]
:${SEP[2]} - [0:0]
:${SEP[3]} - [0:0]
:$SVC - [0:0]
-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport $NODEPORT -j $EXT
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d $CIP --dport 80 -j $SVC
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A $EXT -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
-A $EXT -j $SVC
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A ${SEP[1]} -m comment --comment default/web:http -s 198.18.1.2 -j KUBE-MARK-MASQ
-A ${SEP[1]} -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 198.18.1.2:8080
-A ${SEP[2]} -m comment --comment default/web:http -s 198.18.2.2 -j KUBE-MARK-MASQ
-A ${SEP[2]} -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 198.18.2.2:8080
-A ${SEP[3]} -m comment --comment default/web:http -s 198.18.3.2 -j KUBE-MARK-MASQ
-A ${SEP[3]} -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 198.18.3.2:8080
-A $SVC -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d $CIP --dport 80 ! -s 198.18.0.0/16 -j KUBE-MARK-MASQ
-A $SVC -m comment --comment "default/web:http -> 198.18.1.2:8080" -m statistic --mode random --probability 0.3333333333 -j ${SEP[1]}
-A $SVC -m comment --comment "default/web:http -> 198.18.2.2:8080" -m statistic --mode random --probability 0.5000000000 -j ${SEP[2]}
-A $SVC -m comment --comment "default/web:http -> 198.18.3.2:8080" -j ${SEP[3]}
COMMIT
EOF
log "-- kube-proxy's rules through nfgate"
kube_proxy nfgate "$RTR"

# 5 (first: before any counter moves). The same in iptables-legacy.
L=$NS_TAG-legacy
ns_create "$L"
kube_proxy iptables-legacy "$L"
for t in nat filter; do
	assert_eq "kube-proxy: nfgate save -t $t = iptables-legacy-save" \
		"$(saved iptables-legacy "$L" $t)" "$(saved nfgate "$RTR" $t)"
	for cmd in -S "-L -n"; do
		# shellcheck disable=SC2086 # $cmd: two words
		assert_eq "kube-proxy: nfgate -t $t $cmd = iptables-legacy's" \
			"$(ip netns exec "$L" iptables-legacy -t $t $cmd 2>&1)" \
			"$(nfg "$RTR" -t $t $cmd 2>&1)"
	done
done
nat_save=$(saved nfgate "$RTR" nat)
assert_match "statistic 1/3 saved as iptables does" \
	"^-A $SVC .* -m statistic --mode random --probability 0\.33333333349 -j ${SEP[1]}\$" \
	"$nat_save"
assert_match "statistic 1/2 saved as iptables does" \
	"--probability 0\.50000000000 -j ${SEP[2]}\$" "$nat_save"
assert_match "MASQUERADE --random-fully kept" \
	"^-A KUBE-POSTROUTING .* -j MASQUERADE --random-fully\$" "$nat_save"
ip netns del "$L"

# 1. 300 connections from the client to the ClusterIP.
log "-- 300 connections to the ClusterIP $CIP:80"
out=$(conns "$CLI" $CIP 80 300)
total=0
for i in 1 2 3; do
	n[i]=$(count_of "$out" "^from=$CIP:80 name=ep$i peer=198\.18\.$i\.1:[0-9]+ local=198\.18\.$i\.2:8080\$")
	total=$((total + n[i]))
done
log "endpoint counts: ep1=${n[1]} ep2=${n[2]} ep3=${n[3]} (of $total answered)"
assert_eq "ClusterIP: connections answered from $CIP:80, masqueraded" 300 $total
if [ $total -ne 300 ]; then
	echo "$out" | grep -v '^from=' | sort | uniq -c | head
fi
for i in 1 2 3; do
	if [ "${n[i]}" -lt 60 ] || [ "${n[i]}" -gt 140 ]; then
		fail "ep$i answered ${n[i]} of 300 connections, not within 60..140"
	else
		log "ok: ep$i answered ${n[i]} (within 60..140)"
	fi
done
# nat sees a connection's first packet only: every counter below is in
# connections.
assert_counters "ClusterIP" "$RTR" nat "$SVC:1:300" "${SEP[1]}:2:${n[1]}" \
	"${SEP[2]}:2:${n[2]}" "${SEP[3]}:2:${n[3]}" "${SEP[1]}:1:0" \
	KUBE-POSTROUTING:3:300 KUBE-SERVICES:2:0
# The 300 SYNs carry 0x4000 from KUBE-MARK-MASQ into filter FORWARD.
assert_counter "KUBE-FORWARD mark rule" "$RTR" filter KUBE-FORWARD 2 300

# KUBE-FORWARD's mark rule is what lets the first packets through.
# FORWARD drops the SYN before its conntrack entry is confirmed, so the
# entry dies with it, and a retransmitted SYN (TCP's first one comes
# after 1 s, as the client gives up) is a new connection to nat, as in
# iptables: count the DNATs this step made instead of assuming one.
nfg_ok "$RTR" -D KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" \
	-m mark --mark 0x4000/0x4000 -j ACCEPT
d0=$(sep_dnats)
assert_eq "without KUBE-FORWARD's mark rule" timeout "$(conns "$CLI" $CIP 80 1 1)"
unmarked=$(($(sep_dnats) - d0))
log "without KUBE-FORWARD's mark rule: $unmarked DNAT(s) of the lost SYN(s)"
[ "$unmarked" -ge 1 ] || fail "without the mark rule: the SYN was not DNATed"
nfg_ok "$RTR" -I KUBE-FORWARD 2 -m comment --comment "kubernetes forwarding rules" \
	-m mark --mark 0x4000/0x4000 -j ACCEPT
assert_match "mark rule back" "^from=$CIP:80 name=ep[123] " "$(conns "$CLI" $CIP 80 1)"

# KUBE-FORWARD's first rule: a SYN-ACK that opens nothing is INVALID.
mac=$(ip -n "$RTR" -br link show veth-cli | awk '{ print $3 }')
i0=$(rule_counter "$RTR" filter KUBE-FORWARD 1)
echo "veth0 $mac $CLI_IP 198.18.2.2 6 40000 8080 0 0 20 0x12" |
	ip netns exec "$CLI" "$HELPERS/nfg_inject" >/dev/null ||
	fail "nfg_inject of a lone SYN-ACK"
assert_eq "KUBE-FORWARD --ctstate INVALID -j DROP: a lone SYN-ACK" \
	$((i0 + 1)) "$(rule_counter "$RTR" filter KUBE-FORWARD 1)"

# 2. NodePort.
log "-- NodePort $NODEPORT"
l0=$(listing "$RTR" nat)
out=$(conns "$CLI" $RTR_CLI_IP $NODEPORT 3)
assert_eq "NodePort on the router's address" 3 \
	"$(count_of "$out" "^from=$RTR_CLI_IP:$NODEPORT name=ep[123] peer=198\.18\.[123]\.1:[0-9]+ local=198\.18\.[123]\.2:8080\$")"
l1=$(listing "$RTR" nat)
assert_eq "KUBE-SERVICES -m addrtype --dst-type LOCAL: +3" \
	$(($(counter_in "$l0" KUBE-SERVICES 2) + 3)) "$(counter_in "$l1" KUBE-SERVICES 2)"
assert_eq "KUBE-NODEPORTS: +3" $(($(counter_in "$l0" KUBE-NODEPORTS 1) + 3)) \
	"$(counter_in "$l1" KUBE-NODEPORTS 1)"
assert_eq "$EXT's KUBE-MARK-MASQ: +3" $(($(counter_in "$l0" "$EXT" 1) + 3)) \
	"$(counter_in "$l1" "$EXT" 1)"
# Port 30080 of an address that is not the router's: no NodePort, the
# SYN goes on unchanged and unmarked, and FORWARD's policy drops it.
p0=$(policy_counter "$RTR" filter FORWARD)
assert_eq "port $NODEPORT of a non-local address" timeout \
	"$(conns "$CLI" 198.18.2.2 $NODEPORT 1 1)"
l2=$(listing "$RTR" nat)
assert_eq "non-local: KUBE-SERVICES' addrtype rule unchanged" \
	"$(counter_in "$l1" KUBE-SERVICES 2)" "$(counter_in "$l2" KUBE-SERVICES 2)"
assert_eq "non-local: KUBE-NODEPORTS unchanged" \
	"$(counter_in "$l1" KUBE-NODEPORTS 1)" "$(counter_in "$l2" KUBE-NODEPORTS 1)"
p1=$(policy_counter "$RTR" filter FORWARD)
if [ "$p1" -gt "$p0" ] 2>/dev/null; then
	log "ok: non-local: dropped by FORWARD's policy ($p0 -> $p1)"
else
	fail "non-local: FORWARD policy counter did not move ($p0 -> $p1)"
fi

# From the node itself (nat OUTPUT -> KUBE-SERVICES), which routes the
# service range out as a node's default route would: the ClusterIP and
# its own NodePort, masqueraded (the node's address is off-cluster).
log "-- from the node itself"
ip -n "$RTR" route add 203.0.113.0/24 dev veth-cli
l0=$(listing "$RTR" nat)
f0=$(rule_counter "$RTR" filter OUTPUT 2)
assert_match "node -> ClusterIP" \
	"^from=$CIP:80 name=ep[123] peer=198\.18\.[123]\.1:[0-9]+ local=198\.18\.[123]\.2:8080\$" \
	"$(conns "$RTR" $CIP 80 1)"
assert_match "node -> its own NodePort" \
	"^from=$RTR_CLI_IP:$NODEPORT name=ep[123] peer=198\.18\.[123]\.1:[0-9]+ local=198\.18\.[123]\.2:8080\$" \
	"$(conns "$RTR" $RTR_CLI_IP $NODEPORT 1)"
l1=$(listing "$RTR" nat)
assert_eq "nat OUTPUT's KUBE-SERVICES jump: +2" \
	$(($(counter_in "$l0" OUTPUT 1) + 2)) "$(counter_in "$l1" OUTPUT 1)"
assert_eq "node: KUBE-NODEPORTS +1" $(($(counter_in "$l0" KUBE-NODEPORTS 1) + 1)) \
	"$(counter_in "$l1" KUBE-NODEPORTS 1)"
assert_eq "filter OUTPUT's --ctstate NEW jump to KUBE-SERVICES: +2" \
	$((f0 + 2)) "$(rule_counter "$RTR" filter OUTPUT 2)"

# 3. Hairpin: ep1 to the ClusterIP.
log "-- hairpin from ep1"
l0=$(listing "$RTR" nat)
out=$(conns "${EP[1]}" $CIP 80 30)
self=$(count_of "$out" "^from=$CIP:80 name=ep1 peer=198\.18\.1\.1:[0-9]+ local=198\.18\.1\.2:8080\$")
other=$(count_of "$out" "^from=$CIP:80 name=ep[23] peer=198\.18\.1\.2:[0-9]+ local=198\.18\.[23]\.2:8080\$")
log "hairpin: $self of 30 on ep1 itself (masqueraded), $other on ep2/ep3 (not)"
assert_eq "hairpin: every connection answered" 30 $((self + other))
[ "$self" -ge 1 ] || fail "hairpin: no connection landed on ep1 itself"
l1=$(listing "$RTR" nat)
assert_eq "hairpin: ${SEP[1]}'s -s rule counts the self connections" \
	$(($(counter_in "$l0" "${SEP[1]}" 1) + self)) "$(counter_in "$l1" "${SEP[1]}" 1)"
# Without that rule the ones landing on ep1 itself get no answer: ep1
# drops a SYN from its own address.
nfg_ok "$RTR" -t nat -D "${SEP[1]}" 1
out=$(conns "${EP[1]}" $CIP 80 30 1)
l2=$(listing "$RTR" nat)
lost=$(count_of "$out" '^timeout$')
landed=$(($(counter_in "$l2" "${SEP[1]}" 1) - $(counter_in "$l1" "${SEP[1]}" 2)))
log "hairpin without the -s rule: $lost of 30 timed out, $landed landed on ep1"
assert_eq "without the -s rule: exactly those on ep1 time out" "$landed" "$lost"
[ "$lost" -ge 1 ] || fail "without the -s rule: no connection landed on ep1"
assert_eq "without the -s rule: no answer from ep1" 0 "$(count_of "$out" "name=ep1")"
nfg_ok "$RTR" -t nat -I "${SEP[1]}" 1 -m comment --comment default/web:http \
	-s 198.18.1.2 -j KUBE-MARK-MASQ

# 4. Every connection through the Service went through one KUBE-SEP:
# 300 + the unmarked SYNs + 1 (mark rule back) + 3 (NodePort) + 2 (node)
# + 30 + 30 (hairpin).
assert_eq "KUBE-SEP DNAT counters sum" $((366 + unmarked)) "$(sep_dnats)"

# 6. A later sync after ep3 went away: kube-proxy restores its nat chains
# again (--noflush; each declared chain is flushed and refilled), with
# ep3's KUBE-SEP chain declared and then deleted (-X), the stale chain.
log "-- resync without ep3"
cat >"$tmpdir/kube2.rules" <<EOF
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:$EXT - [0:0]
:${SEP[1]} - [0:0]
:${SEP[2]} - [0:0]
:$SVC - [0:0]
:${SEP[3]} - [0:0]
-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport $NODEPORT -j $EXT
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d $CIP --dport 80 -j $SVC
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A $EXT -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
-A $EXT -j $SVC
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A ${SEP[1]} -m comment --comment default/web:http -s 198.18.1.2 -j KUBE-MARK-MASQ
-A ${SEP[1]} -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 198.18.1.2:8080
-A ${SEP[2]} -m comment --comment default/web:http -s 198.18.2.2 -j KUBE-MARK-MASQ
-A ${SEP[2]} -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 198.18.2.2:8080
-A $SVC -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d $CIP --dport 80 ! -s 198.18.0.0/16 -j KUBE-MARK-MASQ
-A $SVC -m comment --comment "default/web:http -> 198.18.1.2:8080" -m statistic --mode random --probability 0.5000000000 -j ${SEP[1]}
-A $SVC -m comment --comment "default/web:http -> 198.18.2.2:8080" -j ${SEP[2]}
-X ${SEP[3]}
COMMIT
EOF
before1=$(rule_counter "$RTR" nat "${SEP[1]}" 2)
before2=$(rule_counter "$RTR" nat "${SEP[2]}" 2)
nfg_ok "$RTR" restore --noflush "$tmpdir/kube2.rules"
assert_no_match "resync: ${SEP[3]} deleted" "${SEP[3]}" "$(ruleset "$RTR")"
out=$(conns "$CLI" $CIP 80 60)
for i in 1 2 3; do
	n[i]=$(count_of "$out" "^from=$CIP:80 name=ep$i peer=198\.18\.$i\.1:[0-9]+ local=198\.18\.$i\.2:8080\$")
done
log "after the resync: ep1=${n[1]} ep2=${n[2]} ep3=${n[3]} of 60"
assert_eq "after the resync: answered, none by ep3" "60 0" \
	"$((n[1] + n[2])) ${n[3]}"
if [ "${n[1]}" -lt 1 ] || [ "${n[2]}" -lt 1 ]; then
	fail "after the resync: ep1 or ep2 answered nothing"
fi
# The rules the sync rewrote unchanged keep counting (nfgate's restore
# --noflush commits only the difference; iptables would reset them).
assert_eq "after the resync: KUBE-SEP DNAT counters" \
	"$((before1 + n[1])) $((before2 + n[2]))" \
	"$(rule_counter "$RTR" nat "${SEP[1]}" 2) $(rule_counter "$RTR" nat "${SEP[2]}" 2)"

exit $ret
