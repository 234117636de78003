#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_xmatch.sh: the stateless matches iprange, length, ttl, pkttype,
# mac and owner on real packets, side by side with iptables-legacy on the
# same topology, which must count exactly as nfgate does:
#  - router FORWARD: echo requests from the client by source and
#    destination range (and "!"), by IP total length (ping -s 56, 500,
#    1200), by TTL (ping -t 64, 5, 200: one less after forwarding), by the
#    client's MAC address (and "!");
#  - server INPUT: unicast, broadcast (ping -b) and multicast (224.0.0.1)
#    echo requests from the router by --pkt-type (and "!");
#  - client OUTPUT: pings by root and by uid/gid 65534 (setpriv, an ICMP
#    datagram socket) by --uid-owner, ! --uid-owner, --gid-owner,
#    --socket-exists;
# then save, -S and -L -n -v -x (and the client's -L -v -x, with user
# names) byte for byte as iptables-legacy's, and
# mac outside PREROUTING/INPUT/FORWARD and owner outside
# OUTPUT/POSTROUTING refused by both.

source "$(dirname -- "$0")/lib.sh"
require_env
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
command -v setpriv >/dev/null || skip "setpriv missing"
modprobe -a x_tables ip_tables iptable_filter iptable_mangle xt_iprange \
	xt_length ipt_ttl xt_pkttype xt_mac xt_owner ||
	skip "iptables-legacy modules missing"
topo_create

cli_mac=$(ip -n "$CLI" -o link show veth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
[ -n "$cli_mac" ] || die "no MAC address on the client's veth0"
ip netns exec "$SRV" sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
ip netns exec "$CLI" sysctl -qw net.ipv4.ping_group_range="0 2147483647"

REQ="-p icmp -m icmp --icmp-type 8"
rtr_rules=(
	"-A FORWARD $REQ -m iprange --src-range 192.0.2.1-192.0.2.10"
	"-A FORWARD $REQ -m iprange ! --src-range 192.0.2.3-192.0.2.200"
	"-A FORWARD $REQ -m iprange --dst-range $SRV_IP"
	"-A FORWARD $REQ -m iprange ! --dst-range 198.51.100.2-198.51.100.9"
	"-A FORWARD $REQ -m length --length :100"
	"-A FORWARD $REQ -m length --length 500:600"
	"-A FORWARD $REQ -m length ! --length 0:1000"
	"-A FORWARD $REQ -m ttl --ttl-eq 63"
	"-A FORWARD $REQ -m ttl --ttl-lt 10"
	"-A FORWARD $REQ -m ttl --ttl-gt 100"
	"-A FORWARD $REQ -m ttl ! --ttl-eq 63"
	"-A FORWARD $REQ -m mac --mac-source $cli_mac"
	"-A FORWARD $REQ -m mac ! --mac-source $cli_mac"
)
srv_rules=(
	"-A INPUT -s $RTR_SRV_IP/32 $REQ -m pkttype --pkt-type unicast"
	"-A INPUT -s $RTR_SRV_IP/32 $REQ -m pkttype --pkt-type broadcast"
	"-A INPUT -s $RTR_SRV_IP/32 $REQ -m pkttype --pkt-type multicast"
	"-A INPUT -s $RTR_SRV_IP/32 $REQ -m pkttype ! --pkt-type unicast"
)
cli_rules=(
	"-A OUTPUT $REQ -m owner --uid-owner 0"
	"-A OUTPUT $REQ -m owner --uid-owner 65534"
	"-A OUTPUT $REQ -m owner ! --uid-owner 0"
	"-A OUTPUT $REQ -m owner --gid-owner 65534-65535"
	"-A OUTPUT $REQ -m owner --socket-exists"
)

# block RULE...: a filter restore file with these rules
block() {
	local l

	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	for l in "$@"; do
		echo "$l"
	done
	echo "COMMIT"
}
block "${rtr_rules[@]}" >"$tmpdir/rtr.rules"
block "${srv_rules[@]}" >"$tmpdir/srv.rules"
block "${cli_rules[@]}" >"$tmpdir/cli.rules"

# row TOOL NS N: packets of rule N of the chain in NS
row() {
	eng "$1" "$2" -L "$4" -v -n -x --line-numbers |
		awk -v n="$3" '$1 == n { print $2 }'
}

declare -A out
for TOOL in nfgate iptables-legacy; do
	log "-- matches through $TOOL"
	eng_restore "$TOOL" "$RTR" "$tmpdir/rtr.rules" || fail "$TOOL: router rules"
	eng_restore "$TOOL" "$SRV" "$tmpdir/srv.rules" || fail "$TOOL: server rules"
	eng_restore "$TOOL" "$CLI" "$tmpdir/cli.rules" || fail "$TOOL: client rules"

	# router: 15 echo requests from the client
	ping_ok "$CLI" $SRV_IP 2
	ping_ok "$CLI" $SRV_IP 3 -s 500
	ping_ok "$CLI" $SRV_IP 4 -s 1200
	ping_ok "$CLI" $SRV_IP 5 -t 5
	ping_ok "$CLI" $SRV_IP 1 -t 200
	want=(15 15 15 0 8 3 4 9 5 1 6 15 0)
	for i in "${!want[@]}"; do
		assert_eq "$TOOL: FORWARD rule $((i + 1)) (${rtr_rules[$i]#-A FORWARD $REQ -m })" \
			"${want[$i]}" "$(row "$TOOL" "$RTR" $((i + 1)) FORWARD)"
	done

	# server: 2 unicast, 2 broadcast, 2 multicast requests from the router
	ping_ok "$RTR" $SRV_IP 2
	ip netns exec "$RTR" ping -n -q -b -c 2 -i 0.05 -W 1 198.51.100.255 >/dev/null 2>&1
	ip netns exec "$RTR" ping -n -q -c 2 -i 0.05 -W 1 -I veth-srv 224.0.0.1 >/dev/null 2>&1
	want=(2 2 2 4)
	for i in "${!want[@]}"; do
		assert_eq "$TOOL: INPUT rule $((i + 1)) (${srv_rules[$i]#*$REQ -m })" \
			"${want[$i]}" "$(row "$TOOL" "$SRV" $((i + 1)) INPUT)"
	done

	# client: 3 more requests by root (18 in all), 2 by uid and gid 65534
	ping_ok "$CLI" $SRV_IP 3
	got=$(ip netns exec "$CLI" setpriv --reuid=65534 --regid=65534 --clear-groups \
		ping -n -q -c 2 -i 0.2 -W 1 $SRV_IP 2>&1 |
		sed -n 's/.* \([0-9]\+\) \(packets \)\?received.*/\1/p')
	assert_eq "$TOOL: pings as uid 65534" 2 "$got"
	want=(18 2 2 2 20)
	for i in "${!want[@]}"; do
		assert_eq "$TOOL: OUTPUT rule $((i + 1)) (${cli_rules[$i]#-A OUTPUT $REQ -m })" \
			"${want[$i]}" "$(row "$TOOL" "$CLI" $((i + 1)) OUTPUT)"
	done

	# places: refused by both
	for bad in "$RTR -A OUTPUT -m mac --mac-source $cli_mac" \
		"$RTR -A POSTROUTING -t mangle -m mac --mac-source $cli_mac" \
		"$CLI -A INPUT -m owner --uid-owner 0" \
		"$CLI -A PREROUTING -t mangle -m owner --socket-exists" \
		"$CLI -A OUTPUT -m owner --uid-owner 5-3"; do
		# shellcheck disable=SC2086
		if eng "$TOOL" $bad >/dev/null 2>&1; then
			fail "$TOOL takes $bad"
			eng "$TOOL" ${bad/-A/-D} >/dev/null 2>&1
		else
			log "ok: $TOOL refuses ${bad#* }"
		fi
	done

	out[$TOOL]=$(for ns in "$RTR" "$SRV" "$CLI"; do
		saved "$TOOL" "$ns" filter
		eng "$TOOL" "$ns" -S
		eng "$TOOL" "$ns" -L -n -v -x | grep -v '^Chain'
	done
	# names of users and groups (no address lookups: no DNS here)
	eng "$TOOL" "$CLI" -L -v -x | grep -v '^Chain')
	for ns in "$RTR" "$SRV" "$CLI"; do
		eng "$TOOL" "$ns" -F
		eng "$TOOL" "$ns" -Z
	done
done
if [ "${out[nfgate]}" = "${out[iptables-legacy]}" ]; then
	log "ok: save, -S and -L as iptables-legacy ($(echo "${out[nfgate]}" | wc -l) lines)"
else
	fail "save / -S / -L differ from iptables-legacy"
	show_diff "${out[iptables-legacy]}" "${out[nfgate]}"
fi

exit $ret
