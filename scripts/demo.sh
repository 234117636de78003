#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: the `make run` demonstration, run inside the test VM
# (scripts/vm-run -- scripts/demo.sh).  Builds client -- router -- server
# network namespaces joined by veth pairs, loads nfgate.ko, puts a small
# iptables-syntax ruleset into the router's FORWARD chain that blocks ping
# and telnet to the server but lets its web port through, shows each flow,
# the rule counters and `nfgate save`, and unloads the module.
# Exits non-zero if any flow does not behave as the ruleset says.

set -u

repo=${NFGATE_REPO:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)}
nfgate=${NFGATE_CLI:-$repo/build/nfgate}
module=${NFGATE_KO:-$repo/kmod/nfgate.ko}
failed=0

say() {
	printf '\n== %s\n' "$*"
}

# Show a command, then run it.
run() {
	printf '$ %s\n' "$*"
	"$@"
}

# Show and run a command in a namespace.
in_ns() {
	local ns=$1
	shift
	printf '[%s] $ %s\n' "$ns" "$*"
	ip netns exec "$ns" "$@"
}

# nfgate in the router's namespace; a failure fails the demo.
nfg() {
	in_ns router "$nfgate" "$@" && return 0
	echo "   -> nfgate failed"
	failed=1
}

# expect passes|blocked WHAT FLOW [ARG]: run a flow, check its fate.
expect() {
	local want=$1 what=$2 got
	shift 2
	if "$@"; then got=passes; else got=blocked; fi
	if [ "$got" = "$want" ]; then
		echo "   -> $what $got, as it should"
	else
		echo "   -> UNEXPECTED: $what $got (should be: $want)"
		failed=1
	fi
}

# Flows from the client to the server.
ping_server() {
	local out rc
	printf '[client] $ ping -c 2 -W 1 198.51.100.2\n'
	out=$(ip netns exec client ping -c 2 -W 1 198.51.100.2 2>&1)
	rc=$?
	echo "$out" | grep -E 'packets transmitted' | sed 's/^/   /'
	return $rc
}
tcp_server() {
	local out
	printf '[client] $ busybox nc -w 2 198.51.100.2 %s\n' "$1"
	out=$(ip netns exec client busybox nc -w 2 198.51.100.2 "$1" </dev/null 2>&1)
	[ -n "$out" ] && echo "   $out"
	case "$out" in
	hello*) return 0 ;;
	*) return 1 ;;
	esac
}

if [ "${NFGATE_VM:-}" != 1 ]; then
	echo "demo.sh loads a kernel module; run it in the VM: scripts/vm-run -- scripts/demo.sh" >&2
	exit 2
fi
for f in "$module" "$nfgate"; do
	if [ ! -e "$f" ]; then
		echo "demo.sh: $f missing; run make first" >&2
		exit 1
	fi
done

servers=()
cleanup() {
	[ ${#servers[@]} -gt 0 ] && kill "${servers[@]}" 2>/dev/null
	ip netns del client 2>/dev/null
	ip netns del router 2>/dev/null
	ip netns del server 2>/dev/null
}
trap cleanup EXIT

say "Three network namespaces: client -- router -- server, joined by veth pairs"
modprobe veth || exit 1
for ns in client router server; do
	ip netns add $ns || exit 1
	ip -n $ns link set lo up
done
ip link add c0 netns client type veth peer name r0 netns router
ip link add s0 netns server type veth peer name r1 netns router
ip -n client addr add 192.0.2.2/24 dev c0
ip -n router addr add 192.0.2.1/24 dev r0
ip -n router addr add 198.51.100.1/24 dev r1
ip -n server addr add 198.51.100.2/24 dev s0
for pair in client:c0 router:r0 router:r1 server:s0; do
	ip -n "${pair%:*}" link set "${pair#*:}" up
done
ip -n client route add default via 192.0.2.1
ip -n server route add default via 198.51.100.1
ip netns exec router sh -c "echo 1 >/proc/sys/net/ipv4/ip_forward"
echo "client: c0 192.0.2.2/24"
echo "router: r0 192.0.2.1/24, r1 198.51.100.1/24, IPv4 forwarding on"
echo "server: s0 198.51.100.2/24, answers on TCP 8080 (web) and TCP 23 (telnet)"
ip netns exec server busybox nc -ll -p 8080 -e echo "hello from the web port" &
servers+=($!)
ip netns exec server busybox nc -ll -p 23 -e echo "hello from the telnet port" &
servers+=($!)
sleep 0.5

say "Before nfgate: every flow goes through the router"
expect passes "ping" ping_server
expect passes "web (TCP 8080)" tcp_server 8080
expect passes "telnet (TCP 23)" tcp_server 23

say "Load the nfgate kernel module"
run "$repo/scripts/nfgate-insmod" "$module" || exit 1
lsmod | grep -E '^(Module|nfgate)'

say "Rules in the router's filter table, iptables syntax: traffic to the server"
echo "goes to the user chain to_server, which drops ping and telnet and accepts the web port"
nfg -N to_server
nfg -A FORWARD -d 198.51.100.2/32 -j to_server
nfg -A to_server -p icmp -j DROP
nfg -A to_server -p tcp --dport 8080 -j ACCEPT
nfg -A to_server -p tcp --dport 23 -j DROP
nfg -S

say "With nfgate: ping the server (the router drops it)"
expect blocked "ping" ping_server

say "With nfgate: the web port (the router lets it through)"
expect passes "web (TCP 8080)" tcp_server 8080

say "With nfgate: the telnet port (the router drops the SYN, the client times out)"
expect blocked "telnet (TCP 23)" tcp_server 23

say "Rules are per network namespace: the client's own tables are empty"
in_ns client "$nfgate" -S

say "Counters: packets and bytes each rule matched"
nfg -L FORWARD -v -n -x --line-numbers
nfg -L to_server -v -n -x --line-numbers

say "The router's ruleset in iptables-save format, with counters"
nfg save -c

say "Clean up: stop the servers, delete the namespaces, unload the module"
cleanup
servers=()
wait 2>/dev/null
run rmmod nfgate || failed=1
dmesg | grep -i nfgate | tail -n 5

if [ $failed -ne 0 ]; then
	say "demo: FAILED: something did not behave as the ruleset says"
	exit 1
fi
say "demo: done; every flow behaved as the ruleset says"
