#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_example_agent.sh: the client library's worked example
# (user/examples/, build/nfgate-example-agent) on real packets.  The agent
# runs on the router, fed requests through a FIFO; for each change it must
# answer "ok" with a new generation (one transaction), and
#  - "add web VIP 80 SRV:8080": a connection from the client to VIP:80 is
#    DNATed to the server's port 8080 (the server counts it there);
#  - the same service with two backends (ports 8080 and 8081): 16
#    connections from different source ports reach both;
#  - a bad request and the del of an unknown service are answered
#    "error" and change nothing;
#  - "del web": connections to VIP:80 go nowhere, the chains are gone;
#  - a second agent started on the same tables cleans up the first one's.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_tcp
AGENT=$NFGATE_REPO/build/nfgate-example-agent
[ -x "$AGENT" ] || skip "$AGENT not built (run make)"
topo_create

VIP=198.18.0.10
# The server counts what arrives on the backend ports.
nfg_ok "$SRV" -A INPUT -d $SRV_IP -p tcp --dport 8080 -j ACCEPT
nfg_ok "$SRV" -A INPUT -d $SRV_IP -p tcp --dport 8081 -j ACCEPT

mkfifo "$tmpdir/req"
ip netns exec "$RTR" "$AGENT" <"$tmpdir/req" >"$tmpdir/agent.out" 2>&1 &
agent=$!
bg_pids+=($agent)
exec 3>"$tmpdir/req"

# request LINE: send it, wait for the agent's answer to it; sets reply
# (no subshell: the count of answers must persist).
answers=0
request() {
	local i

	echo "$1" >&3
	answers=$((answers + 1))
	for ((i = 0; i < 100; i++)); do
		[ "$(grep -c '^\(ok\|error\)[ :]' "$tmpdir/agent.out")" -ge $answers ] && break
		sleep 0.1
	done
	reply=$(grep '^\(ok\|error\)[ :]' "$tmpdir/agent.out" | sed -n "${answers}p")
}

wait_line() {
	local i

	for ((i = 0; i < 100; i++)); do
		grep -qx "$1" "$tmpdir/agent.out" && return 0
		sleep 0.1
	done
	return 1
}
wait_line ready || die "agent not ready: $(cat "$tmpdir/agent.out")"

# probes FIRST-SPORT COUNT: that many connection attempts to VIP:80.
probes() {
	local i reached=0

	for ((i = 0; i < $2; i++)); do
		[ "$(tcp_reach "$CLI" $VIP 80 $(($1 + i)) 2>/dev/null)" = reached ] && reached=$((reached + 1))
	done
	echo $reached
}

log "-- no service yet"
assert_eq "VIP:80 before add" 0 "$(probes 40000 1)"

log "-- add web, one backend"
request "add web $VIP 80 $SRV_IP:8080"
out=$reply
assert_match "add answered" "^ok web generation [0-9]+ \\(3 operations\\)$" "$out"
g1=$(echo "$out" | awk '{ print $4 }')
assert_eq "VIP:80 after add" 3 "$(probes 40100 3)"
assert_counter "backend 8080" "$SRV" filter INPUT 1 3

log "-- two backends"
request "add web $VIP 80 $SRV_IP:8080 $SRV_IP:8081"
out=$reply
assert_match "update answered" "^ok web generation [0-9]+ " "$out"
g2=$(echo "$out" | awk '{ print $4 }')
[ "$g2" -gt "$g1" ] || fail "generation did not grow: $g1 -> $g2"
nfg_ok "$SRV" -Z INPUT
assert_eq "VIP:80 with two backends" 16 "$(probes 40200 16)"
a=$(rule_counter "$SRV" filter INPUT 1)
b=$(rule_counter "$SRV" filter INPUT 2)
assert_eq "16 connections spread over the backends" 16 $((a + b))
[ "$a" -gt 0 ] && [ "$b" -gt 0 ] || fail "one backend got nothing: 8080 $a, 8081 $b"

log "-- a bad request changes nothing"
before=$(nfg "$RTR" save -t nat | grep -v '^#')
request "add web $VIP 99999 $SRV_IP:8080"
out=$reply
assert_match "bad port refused" "^error: bad port" "$out"
request "del nosuch"
assert_match "unknown service refused" "^error nosuch: no service" "$reply"
assert_eq "nat table unchanged" "$before" "$(nfg "$RTR" save -t nat | grep -v '^#')"

log "-- del web"
request "del web"
out=$reply
assert_match "del answered" "^ok web generation [0-9]+ \\(3 operations\\)$" "$out"
assert_eq "VIP:80 after del" 0 "$(probes 40300 2)"
assert_eq "no service chain left" "" "$(nfg "$RTR" -t nat -S | grep NFGSVC)"

log "-- end of input ends the agent, a new agent cleans up"
request "add db $VIP 5432 $SRV_IP:8080"
assert_match "add db answered" "^ok db generation" "$reply"
exec 3>&-
wait $agent
assert_eq "agent exit status" 0 $?
echo | ip netns exec "$RTR" "$AGENT" >"$tmpdir/agent2.out" 2>&1
assert_eq "second agent exit status" 0 $?
assert_eq "the second agent's set-up" "-P PREROUTING ACCEPT
-P INPUT ACCEPT
-P OUTPUT ACCEPT
-P POSTROUTING ACCEPT
-N NFGATE-SERVICES
-A PREROUTING -j NFGATE-SERVICES
-A OUTPUT -j NFGATE-SERVICES" "$(nfg "$RTR" -t nat -S)"

exit $ret
