#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_nat_targets.sh: DNAT, SNAT, MASQUERADE and REDIRECT on real
# connections through the router, and their hook checks.
#  1. DNAT in PREROUTING: the client connects (TCP and UDP) to the
#     router's address and is answered by the server, from the address it
#     connected to; the server sees the client's own address.  The DNAT
#     rule counts one packet per connection (nat sees only the first);
#  2. SNAT on the way out: the server sees the SNAT address (and a port of
#     its range); MASQUERADE: the server sees the router's address;
#  3. REDIRECT: a connection to the server's port 81 is answered by a
#     listener on the router, at the router's address on the client side;
#  4. a kube-proxy-shaped ClusterIP service (KUBE-SERVICES -> KUBE-SVC-X ->
#     3 KUBE-SEP-n with DNAT and a masquerade MARK, KUBE-POSTROUTING with
#     -m mark -j MASQUERADE), from the client (PREROUTING), from the
#     router itself (OUTPUT) and hairpinned from an endpoint to itself;
#     the same ruleset in iptables-legacy gives the same answers.  The
#     endpoints are chosen by client source port ranges: the statistic
#     match is not on main yet.
# The hook checks and the listings are in nfgate_nat_targets_hooks.sh.

source "$(dirname -- "$0")/lib.sh"
require_env
command -v python3 >/dev/null || skip "python3 missing (the echo helper)"
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
# iptables-legacy's modules: the VM does not autoload.
modprobe -a ip_tables iptable_nat xt_nat xt_MASQUERADE xt_REDIRECT \
	xt_comment xt_mark xt_tcpudp || skip "cannot load iptable_nat and xt_*"
ECHO=$SELFTESTS/nfg_echo.py
topo_create
# A second SNAT address on the router, three endpoint addresses on the
# server, a route for the ClusterIP range on the router (OUTPUT).
ip -n "$RTR" addr add 198.51.100.3/24 dev veth-srv
ip -n "$SRV" addr add 198.51.100.4/24 dev veth0
ip -n "$SRV" addr add 198.51.100.5/24 dev veth0
ip -n "$RTR" route add 203.0.113.0/24 dev veth-srv
ip netns exec "$RTR" sysctl -qw net.ipv4.conf.all.send_redirects=0 \
	net.ipv4.conf.veth-srv.send_redirects=0

# server NS PROTO PORT: a who-am-I echo in NS.
server() {
	local ready=$tmpdir/ready.$1.$2.$3

	rm -f "$ready"
	bg "$1" python3 -S -E "$ECHO" server "$2" "$3" "$ready"
	wait_file "$ready" 100 || die "echo server $* not ready"
}
# ask NS PROTO DST PORT [SPORT]: what the client sees.
ask() {
	local ns=$1

	shift
	ip netns exec "$ns" python3 -S -E "$ECHO" client "$@" 2>&1
}

server "$SRV" tcp 8080
server "$SRV" udp 8053
server "$RTR" tcp 9090

# Without rules the router's port 80 is closed: the DNAT test below fails
# without DNAT.
assert_eq "no DNAT: router port 80" "refused" \
	"$(ask "$CLI" tcp $RTR_CLI_IP 80)"

# 1. DNAT.
log "-- DNAT to the server"
nfg_ok "$RTR" -t nat -A PREROUTING -d $RTR_CLI_IP -p tcp --dport 80 \
	-j DNAT --to-destination $SRV_IP:8080
nfg_ok "$RTR" -t nat -A PREROUTING -d $RTR_CLI_IP -p udp --dport 53 \
	-j DNAT --to-destination $SRV_IP:8053
assert_eq "DNAT tcp" \
	"from=$RTR_CLI_IP:80 peer=$CLI_IP:40001 local=$SRV_IP:8080" \
	"$(ask "$CLI" tcp $RTR_CLI_IP 80 40001)"
assert_eq "DNAT udp" "from=$RTR_CLI_IP:53 peer=$CLI_IP:40002" \
	"$(ask "$CLI" udp $RTR_CLI_IP 53 40002)"
assert_eq "DNAT tcp again" \
	"from=$RTR_CLI_IP:80 peer=$CLI_IP:40003 local=$SRV_IP:8080" \
	"$(ask "$CLI" tcp $RTR_CLI_IP 80 40003)"
# Two connections of several packets each: one packet each in nat.
assert_counters "DNAT first packets" "$RTR" nat PREROUTING:1:2 PREROUTING:2:1
nfg_ok "$RTR" -t nat -F

# 2. SNAT, MASQUERADE.
log "-- SNAT and MASQUERADE on the way out"
nfg_ok "$RTR" -t nat -A POSTROUTING -o veth-srv -p udp \
	-j SNAT --to-source 198.51.100.3:41000-41009
nfg_ok "$RTR" -t nat -A POSTROUTING -o veth-srv -j SNAT --to-source 198.51.100.3
assert_eq "SNAT tcp" "from=$SRV_IP:8080 peer=198.51.100.3:40012 local=$SRV_IP:8080" \
	"$(ask "$CLI" tcp $SRV_IP 8080 40012)"
out=$(ask "$CLI" udp $SRV_IP 8053 40013)
assert_match "SNAT udp to a port of the range" \
	"^from=$SRV_IP:8053 peer=198\.51\.100\.3:4100[0-9]$" "$out"
nfg_ok "$RTR" -t nat -F POSTROUTING
nfg_ok "$RTR" -t nat -A POSTROUTING -o veth-srv -j MASQUERADE
assert_eq "MASQUERADE tcp" \
	"from=$SRV_IP:8080 peer=$RTR_SRV_IP:40014 local=$SRV_IP:8080" \
	"$(ask "$CLI" tcp $SRV_IP 8080 40014)"
assert_eq "MASQUERADE udp" "from=$SRV_IP:8053 peer=$RTR_SRV_IP:40015" \
	"$(ask "$CLI" udp $SRV_IP 8053 40015)"
nfg_ok "$RTR" -t nat -F

# 3. REDIRECT.
log "-- REDIRECT to a listener on the router"
assert_eq "no REDIRECT: server port 81" "refused" "$(ask "$CLI" tcp $SRV_IP 81)"
nfg_ok "$RTR" -t nat -A PREROUTING -i veth-cli -p tcp --dport 81 \
	-j REDIRECT --to-ports 9090
assert_eq "REDIRECT tcp" \
	"from=$SRV_IP:81 peer=$CLI_IP:40021 local=$RTR_CLI_IP:9090" \
	"$(ask "$CLI" tcp $SRV_IP 81 40021)"
nfg_ok "$RTR" -t nat -F

# 4. kube-proxy-shaped ClusterIP 203.0.113.10:80, endpoints .2 .4 .5.
log "-- ClusterIP service"
cat >"$tmpdir/kube.rules" <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-1 - [0:0]
:KUBE-SEP-2 - [0:0]
:KUBE-SEP-3 - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-X - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE
-A KUBE-SEP-1 -s 198.51.100.2/32 -m comment --comment "default/x:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-1 -p tcp -m comment --comment "default/x:http" -j DNAT --to-destination 198.51.100.2:8080
-A KUBE-SEP-2 -s 198.51.100.4/32 -m comment --comment "default/x:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-2 -p tcp -m comment --comment "default/x:http" -j DNAT --to-destination 198.51.100.4:8080
-A KUBE-SEP-3 -s 198.51.100.5/32 -m comment --comment "default/x:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-3 -p tcp -m comment --comment "default/x:http" -j DNAT --to-destination 198.51.100.5:8080
-A KUBE-SERVICES -d 203.0.113.10/32 -p tcp -m comment --comment "default/x:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-X
-A KUBE-SVC-X ! -s 198.18.0.0/15 -d 203.0.113.10/32 -p tcp -m comment --comment "default/x:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-X -p tcp -m comment --comment "default/x:http -> 198.51.100.2:8080" -m tcp --sport 1024:20000 -j KUBE-SEP-1
-A KUBE-SVC-X -p tcp -m comment --comment "default/x:http -> 198.51.100.4:8080" -m tcp --sport 20001:40000 -j KUBE-SEP-2
-A KUBE-SVC-X -m comment --comment "default/x:http -> 198.51.100.5:8080" -j KUBE-SEP-3
COMMIT
RULES
# kube_round SUFFIX: the answers of the service to the client (three
# source ports, one per endpoint), to the router and to endpoint .4 from
# itself (hairpin); SUFFIX varies the source ports between runs, so that
# no conntrack entry of a previous run is reused.  Each connection has its
# own source port: the client's are masqueraded to the router's address,
# and MASQUERADE would move a clashing one to another port.
kube_round() {
	local s=$1 p

	for p in 1000 3000 5000; do
		ask "$CLI" tcp 203.0.113.10 80 "$p$s"
	done
	ask "$RTR" tcp 203.0.113.10 80 "5100$s"
	ask "$SRV" tcp 203.0.113.10 80 "198.51.100.4:3100$s"
}
nfg_ok "$RTR" restore "$tmpdir/kube.rules"
assert_eq "kube ruleset saved back" "$(cat "$tmpdir/kube.rules")" \
	"$(save_filtered "$RTR" -t nat | sed 's/ \[[0-9]*:[0-9]*\]$/ [0:0]/')"
got=$(kube_round 1)
want="from=203.0.113.10:80 peer=$RTR_SRV_IP:10001 local=198.51.100.2:8080
from=203.0.113.10:80 peer=$RTR_SRV_IP:30001 local=198.51.100.4:8080
from=203.0.113.10:80 peer=$RTR_SRV_IP:50001 local=198.51.100.5:8080
from=203.0.113.10:80 peer=$RTR_SRV_IP:51001 local=198.51.100.5:8080
from=203.0.113.10:80 peer=$RTR_SRV_IP:31001 local=198.51.100.4:8080"
assert_eq "ClusterIP: client, router, hairpin" "$want" "$got"
# KUBE-MARK-MASQ ran for the 3 client connections, the router's and the
# hairpin (from KUBE-SVC-X), and for the hairpin once more (from
# KUBE-SEP-2's source match), in the nat table, on first packets only.
assert_counters "kube" "$RTR" nat KUBE-MARK-MASQ:1:6 KUBE-POSTROUTING:1:5 \
	KUBE-SEP-2:1:1
# Without the hairpin MARK the endpoint talks to itself unmasqueraded and
# its answer never comes from the ClusterIP.
nfg_ok "$RTR" -t nat -D KUBE-SVC-X 1
nfg_ok "$RTR" -t nat -D KUBE-SEP-2 1
assert_eq "hairpin without MARK" "timeout" \
	"$(ask "$SRV" tcp 203.0.113.10 80 198.51.100.4:31003)"
nfg_ok "$RTR" -t nat -F
nfg_ok "$RTR" -t nat -X
# The same ruleset in iptables-legacy (nfgate's nat table is empty now).
ip netns exec "$RTR" iptables-legacy-restore "$tmpdir/kube.rules" ||
	fail "iptables-legacy-restore of the kube ruleset"
got_legacy=$(kube_round 2 | sed 's/:\([0-9]\{4\}\)2 /:\11 /')
assert_eq "ClusterIP under iptables-legacy" "$want" "$got_legacy"
ip netns exec "$RTR" iptables-legacy -t nat -F
ip netns exec "$RTR" iptables-legacy -t nat -X

exit $ret
