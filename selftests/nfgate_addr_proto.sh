#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_addr_proto.sh: -s/-d with CIDR prefixes, dotted (also
# non-contiguous) masks and "!", the kernel's ADDR & MASK normalisation in
# the dumps; -p by name and by number, "! -p", "-p all".
# The client has three addresses (192.0.2.2, .66, .130), the server two
# (198.51.100.2, .200); the rules sit in the router's FORWARD, the
# protocol rules in the server's INPUT.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp nfg_tcp
topo_create

N=3
R=$RTR
SRV_IP2=198.51.100.200
ip -n "$CLI" addr add 192.0.2.66/24 dev veth0
ip -n "$CLI" addr add 192.0.2.130/24 dev veth0
ip -n "$SRV" addr add $SRV_IP2/24 dev veth0

from() {	# from SRC-IP [DST]: ok / fails, pinging with -I SRC-IP
	local got

	got=$(ping_count "$CLI" "${2:-$SRV_IP}" 2 -I "$1")
	case "$got" in
	2) echo ok ;;
	0) echo fails ;;
	*) echo "partial($got)" ;;
	esac
}

addr_case() {	# addr_case RULE-ARGS -- SRC:DST=EXPECT...
	local args=() spec src dst

	while [ "$1" != "--" ]; do args+=("$1"); shift; done
	shift
	nfg_ok "$R" -A FORWARD "${args[@]}" -p icmp -j DROP
	for spec in "$@"; do
		src=${spec%%:*}
		dst=${spec#*:}
		dst=${dst%=*}
		assert_eq "[${args[*]}] $src -> $dst" "${spec##*=}" "$(from "$src" "$dst")"
	done
	nfg_ok "$R" -F FORWARD
}

log "-- source and destination prefixes"
addr_case -s 192.0.2.64/26 -- \
	192.0.2.66:$SRV_IP=fails 192.0.2.2:$SRV_IP=ok 192.0.2.130:$SRV_IP=ok
addr_case ! -s 192.0.2.64/26 -d $SRV_IP -- \
	192.0.2.66:$SRV_IP=ok 192.0.2.2:$SRV_IP=fails 192.0.2.130:$SRV_IP=fails
addr_case -s 192.0.2.66 -- \
	192.0.2.66:$SRV_IP=fails 192.0.2.2:$SRV_IP=ok
addr_case -s 0.0.0.0/0 -- 192.0.2.130:$SRV_IP=fails
addr_case -d 198.51.100.128/25 -- \
	192.0.2.2:$SRV_IP2=fails 192.0.2.2:$SRV_IP=ok
addr_case -s 192.0.2.0/24 ! -d 198.51.100.128/25 -- \
	192.0.2.2:$SRV_IP2=ok 192.0.2.2:$SRV_IP=fails
addr_case -s 192.0.2.128/255.255.255.128 -- \
	192.0.2.130:$SRV_IP=fails 192.0.2.66:$SRV_IP=ok
log "-- non-contiguous mask: any address ending in .66"
addr_case -s 0.0.0.66/0.0.0.255 -- \
	192.0.2.66:$SRV_IP=fails 192.0.2.2:$SRV_IP=ok 192.0.2.130:$SRV_IP=ok
addr_case -s 192.0.2.2/255.255.255.3 -- \
	192.0.2.2:$SRV_IP=fails 192.0.2.66:$SRV_IP=fails 192.0.2.130:$SRV_IP=fails

log "-- counter of a prefix rule"
nfg_ok "$R" -A FORWARD -s 192.0.2.64/26 -p icmp -j DROP
ping_fails "$CLI" $SRV_IP $N -I 192.0.2.66
ping_ok "$CLI" $SRV_IP $N -I 192.0.2.130
assert_counter "-s 192.0.2.64/26" "$R" filter FORWARD 1 $N
nfg_ok "$R" -F FORWARD

log "-- the kernel stores ADDR & MASK"
nfg_ok "$R" -A FORWARD -s 192.0.2.77/26 -d 198.51.100.255/25 -p icmp -j DROP
dump=$(nfg "$R" -S FORWARD)
assert_match "-S normalises -s" ' -s 192\.0\.2\.64/26 ' "$dump"
assert_match "-S normalises -d" ' -d 198\.51\.100\.128/25 ' "$dump"
assert_eq "normalised rule still matches" fails "$(from 192.0.2.66 $SRV_IP2)"
save=$(nfg "$R" save -t filter)
assert_match "save normalises" '^-A FORWARD -s 192\.0\.2\.64/26 -d 198\.51\.100\.128/25 ' "$save"
nfg_ok "$R" -F FORWARD
nfg_ok "$R" -A FORWARD -s 0.0.0.66/0.0.0.255 -p icmp -j DROP
assert_match "-S keeps a non-contiguous mask" ' -s 0\.0\.0\.66/0\.0\.0\.255 ' \
	"$(nfg "$R" -S FORWARD)"
nfg_ok "$R" -F FORWARD

log "-- protocols (server INPUT)"
S=$SRV
proto_case() {	# proto_case EXPECT-ICMP EXPECT-UDP EXPECT-TCP RULE-ARGS...
	local icmp=$1 udp=$2 tcp=$3 got

	shift 3
	nfg_ok "$S" -A INPUT "$@" -j DROP
	got=$(ping_count "$CLI" $SRV_IP 2)
	assert_eq "[$*] icmp" "$icmp" "$([ "$got" = 2 ] && echo ok || echo fails)"
	got=$(udp_round "$CLI" "$S" $SRV_IP 5000 2)
	assert_eq "[$*] udp" "$udp" "$([ "$got" = "5000:2" ] && echo ok || echo fails)"
	assert_eq "[$*] tcp" "$tcp" \
		"$([ "$(tcp_reach "$CLI" $SRV_IP 7000)" = reached ] && echo ok || echo fails)"
	nfg_ok "$S" -F INPUT
}
proto_case fails ok ok -p icmp
proto_case ok fails ok -p 17
proto_case ok ok fails -p tcp
proto_case ok fails fails ! -p icmp
proto_case fails ok fails ! -p 17
proto_case fails fails fails -p all
proto_case ok ok ok -p 132

log "-- protocol counter"
nfg_ok "$S" -A INPUT -p 1 -j DROP
ping_fails "$CLI" $SRV_IP $N
assert_counter "-p 1" "$S" filter INPUT 1 $N
nfg_ok "$S" -F INPUT

exit $ret
