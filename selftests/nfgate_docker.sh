#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_docker.sh: a Docker published port (bridge driver) on real TCP
# connections, with the rules dockerd 20.10/23 writes (iptables 1.8
# syntax, as iptables-save prints them; the corpus' docker-published-port
# .rules with 198.18.0.0/24 for 172.17.0.0/16), loaded by nfgate restore.
#
#   client 192.0.2.2 -- 192.0.2.1 ROUTER 198.51.100.1 -- 198.51.100.2 server
#                                   docker0 198.18.0.1 (a bridge)
#                                     '-- vethc1 -- 198.18.0.2 container
#
# `docker run -p 8080:80`: the container listens on 80 (published) and 81
# (not published), the outside server on 8081.
#  1. nfgate save equals iptables-legacy-save after iptables-legacy-restore
#     of the same text (scratch namespace), and so do -S and -L -n; -C
#     finds each of its rules;
#  2. the client reaches the container through 192.0.2.1:8080 and the
#     container sees the client's own address (DNAT, no SNAT); the router
#     itself reaches it through its own address:8080 (nat OUTPUT); the
#     DNAT rule and filter DOCKER's ACCEPT count the connection once;
#  3. the container reaches the outside server, which sees the router's
#     address (MASQUERADE);
#  4. DOCKER-USER: "-I DOCKER-USER -s CLIENT -j DROP" blocks the published
#     port (and counts), its -D unblocks it;
#  5. FORWARD's "-o docker0 -m conntrack --ctstate RELATED,ESTABLISHED
#     -j ACCEPT" is what lets the replies of the container's own
#     connections back in: deleted, the SYN-ACK dies in FORWARD's policy;
#  6. FORWARD policy DROP: the container's unpublished port 81 (answering
#     the router) is not reachable from the client, and is once the policy
#     is ACCEPT.

source "$(dirname -- "$0")/lib.sh"
require_env
command -v python3 >/dev/null || skip "python3 missing (the echo helper)"
command -v iptables-legacy-restore >/dev/null || skip "iptables-legacy missing"
modprobe -a ip_tables iptable_nat iptable_filter xt_nat xt_MASQUERADE \
	xt_conntrack xt_addrtype xt_tcpudp || skip "cannot load iptable_nat and xt_*"
ECHO=$SELFTESTS/nfg_echo.py
CTR=$NS_TAG-ctr
CTR_IP=198.18.0.2

topo_create
ns_create "$CTR"
ip -n "$RTR" link add docker0 type bridge || die "bridge docker0"
ip -n "$RTR" addr add 198.18.0.1/24 dev docker0
ip link add veth0 netns "$CTR" type veth peer name vethc1 netns "$RTR" ||
	die "veth container"
ip -n "$RTR" link set vethc1 master docker0
ip -n "$RTR" link set vethc1 up
ip -n "$RTR" link set docker0 up
ip -n "$CTR" addr add $CTR_IP/24 dev veth0
ip -n "$CTR" link set veth0 up
ip -n "$CTR" route add default via 198.18.0.1
ping_ok "$CTR" $SRV_IP 1 >/dev/null || die "topology: container cannot reach server"

# server NS PORT NAME: a who-am-I echo answering "name=NAME".
server() {
	local ready=$tmpdir/ready.$3.$2

	bg "$1" python3 -S -E "$ECHO" server tcp "$2" "$ready" "$3"
	wait_file "$ready" 100 || die "echo server $3:$2 not ready"
}
# ask NS DST PORT [TIMEOUT]: one connection, what the client sees.
ask() {
	ip netns exec "$1" python3 -S -E "$ECHO" clients tcp "$2" "$3" 1 \
		"${4:-3}" 2>&1
}
server "$CTR" 80 ctr
server "$CTR" 81 ctr
server "$SRV" 8081 srv

# What dockerd leaves behind for "docker run -p 8080:80" (iptables-save).
cat >"$tmpdir/docker.rules" <<EOF
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 198.18.0.0/24 ! -o docker0 -j MASQUERADE
-A POSTROUTING -s $CTR_IP/32 -d $CTR_IP/32 -p tcp -m tcp --dport 80 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination $CTR_IP:80
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER -d $CTR_IP/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
EOF

# Without the rules the router's port 8080 is closed.
assert_eq "no rules: router port 8080" refused "$(ask "$CLI" $RTR_CLI_IP 8080)"

# 1. Loaded, and saved as iptables-legacy saves it.
log "-- dockerd's rules"
nfg_ok "$RTR" restore "$tmpdir/docker.rules"
L=$NS_TAG-legacy
ns_create "$L"
ip netns exec "$L" iptables-legacy-restore <"$tmpdir/docker.rules" ||
	fail "iptables-legacy-restore of the Docker rules"
for t in nat filter; do
	assert_eq "docker: nfgate save -t $t = iptables-legacy-save" \
		"$(saved iptables-legacy "$L" $t)" "$(saved nfgate "$RTR" $t)"
	for cmd in -S "-L -n"; do
		# shellcheck disable=SC2086 # $cmd: two words
		assert_eq "docker: nfgate -t $t $cmd = iptables-legacy's" \
			"$(ip netns exec "$L" iptables-legacy -t $t $cmd 2>&1)" \
			"$(nfg "$RTR" -t $t $cmd 2>&1)"
	done
done
# dockerd asks -C before each rule it adds: every rule is found in the
# spelling of the file.
assert_rules_found nfgate "$RTR" "$tmpdir/docker.rules"
assert_rules_found iptables-legacy "$L" "$tmpdir/docker.rules"
ip netns del "$L"

# 2. The published port.
log "-- published port 8080 -> $CTR_IP:80"
assert_match "client -> router:8080 reaches the container, unSNATed" \
	"^from=$RTR_CLI_IP:8080 name=ctr peer=$CLI_IP:[0-9]+ local=$CTR_IP:80\$" \
	"$(ask "$CLI" $RTR_CLI_IP 8080)"
assert_counters "published port" "$RTR" nat PREROUTING:1:1 DOCKER:1:0 DOCKER:2:1
assert_counter "published port: filter DOCKER accepts the first packet" \
	"$RTR" filter DOCKER 1 1
assert_match "router -> its own address:8080 (nat OUTPUT)" \
	"^from=$RTR_CLI_IP:8080 name=ctr peer=$RTR_CLI_IP:[0-9]+ local=$CTR_IP:80\$" \
	"$(ask "$RTR" $RTR_CLI_IP 8080)"
assert_counters "nat OUTPUT" "$RTR" nat OUTPUT:1:1 DOCKER:2:2

# 3. MASQUERADE on the way out.
log "-- container -> outside"
est0=$(rule_counter "$RTR" filter FORWARD 3)
assert_match "container -> server: seen as the router" \
	"^from=$SRV_IP:8081 name=srv peer=$RTR_SRV_IP:[0-9]+ local=$SRV_IP:8081\$" \
	"$(ask "$CTR" $SRV_IP 8081)"
assert_counter "MASQUERADE" "$RTR" nat POSTROUTING 1 1
est1=$(rule_counter "$RTR" filter FORWARD 3)
if [ "$est1" -gt "$est0" ] 2>/dev/null; then
	log "ok: the replies went through FORWARD's ESTABLISHED accept ($est0 -> $est1)"
else
	fail "FORWARD's ESTABLISHED accept did not count the replies ($est0 -> $est1)"
fi

# 4. DOCKER-USER.
log "-- DOCKER-USER"
nfg_ok "$RTR" -I DOCKER-USER -s $CLI_IP -j DROP
assert_eq "DOCKER-USER DROP: published port blocked" timeout \
	"$(ask "$CLI" $RTR_CLI_IP 8080 1)"
drops=$(rule_counter "$RTR" filter DOCKER-USER 1)
if [ "$drops" -ge 1 ] 2>/dev/null; then
	log "ok: DOCKER-USER's DROP counted $drops"
else
	fail "DOCKER-USER's DROP counted '$drops'"
fi
nfg_ok "$RTR" -D DOCKER-USER -s $CLI_IP -j DROP
assert_match "DOCKER-USER rule deleted: published port open again" \
	"^from=$RTR_CLI_IP:8080 name=ctr peer=$CLI_IP:" "$(ask "$CLI" $RTR_CLI_IP 8080)"

# 5. The ESTABLISHED accept.
log "-- FORWARD's ESTABLISHED accept"
p0=$(policy_counter "$RTR" filter FORWARD)
nfg_ok "$RTR" -D FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
assert_eq "without the ESTABLISHED accept: container -> server" timeout \
	"$(ask "$CTR" $SRV_IP 8081 1)"
p1=$(policy_counter "$RTR" filter FORWARD)
if [ "$p1" -gt "$p0" ] 2>/dev/null; then
	log "ok: the SYN-ACK died in FORWARD's policy ($p0 -> $p1)"
else
	fail "FORWARD's policy counter did not move ($p0 -> $p1)"
fi
nfg_ok "$RTR" -I FORWARD 3 -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
est0=$(rule_counter "$RTR" filter FORWARD 3)
assert_match "ESTABLISHED accept back: container -> server" \
	"^from=$SRV_IP:8081 name=srv peer=$RTR_SRV_IP:" "$(ask "$CTR" $SRV_IP 8081)"
est1=$(rule_counter "$RTR" filter FORWARD 3)
if [ "$est1" -gt "$est0" ] 2>/dev/null; then
	log "ok: ESTABLISHED accept counts the replies again ($est0 -> $est1)"
else
	fail "ESTABLISHED accept did not count ($est0 -> $est1)"
fi

# 6. FORWARD policy DROP and the unpublished port 81.
log "-- unpublished port 81"
assert_match "the router reaches the container's port 81" \
	"^from=$CTR_IP:81 name=ctr " "$(ask "$RTR" $CTR_IP 81)"
p0=$(policy_counter "$RTR" filter FORWARD)
assert_eq "client -> container:81 (not published)" timeout \
	"$(ask "$CLI" $CTR_IP 81 1)"
p1=$(policy_counter "$RTR" filter FORWARD)
if [ "$p1" -gt "$p0" ] 2>/dev/null; then
	log "ok: dropped by FORWARD's policy ($p0 -> $p1)"
else
	fail "FORWARD's policy counter did not move ($p0 -> $p1)"
fi
nfg_ok "$RTR" -P FORWARD ACCEPT
assert_match "policy ACCEPT: client -> container:81" \
	"^from=$CTR_IP:81 name=ctr peer=$CLI_IP:" "$(ask "$CLI" $CTR_IP 81)"
nfg_ok "$RTR" -P FORWARD DROP

exit $ret
