#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_ports.sh: --sport/--dport matches, single ports and a:b ranges
# (both edges inclusive), with "!", for UDP (nfg_udp: which datagrams reach
# the server's sockets) and TCP (nfg_tcp: whether a SYN reaches the server,
# which answers RST, or is dropped); a port rule for one protocol never
# matches the other.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp nfg_tcp
topo_create

S=$SRV
R=$RTR

udp() {	# udp WHAT EXPECTED [SPORT]: 2 datagrams to each of 5000..5004
	assert_eq "udp $1" "$2" "$(udp_round "$CLI" "$S" $SRV_IP 5000:5004 2 "${3:-}")"
}

log "-- UDP, server INPUT"
udp "no rule" "5000:2 5001:2 5002:2 5003:2 5004:2"

nfg_ok "$S" -A INPUT -p udp --dport 5001:5003 -j DROP
udp "--dport 5001:5003" "5000:2 5001:0 5002:0 5003:0 5004:2"
assert_counter "--dport 5001:5003" "$S" filter INPUT 1 6

nfg_ok "$S" -R INPUT 1 -p udp ! --dport 5001:5003 -j DROP
udp "! --dport 5001:5003" "5000:0 5001:2 5002:2 5003:2 5004:0"
assert_counter "! --dport 5001:5003" "$S" filter INPUT 1 4

nfg_ok "$S" -R INPUT 1 -p udp --dport 5002 -j DROP
udp "--dport 5002" "5000:2 5001:2 5002:0 5003:2 5004:2"
assert_counter "--dport 5002" "$S" filter INPUT 1 2

nfg_ok "$S" -R INPUT 1 -p udp --dport 1:5000 -j DROP
udp "--dport 1:5000" "5000:0 5001:2 5002:2 5003:2 5004:2"
nfg_ok "$S" -R INPUT 1 -p udp --dport 5004:65535 -j DROP
udp "--dport 5004:65535" "5000:2 5001:2 5002:2 5003:2 5004:0"

nfg_ok "$S" -R INPUT 1 -p udp --sport 4000:4001 -j DROP
udp "--sport 4000:4001 from 3999" "5000:2 5001:2 5002:2 5003:2 5004:2" 3999
udp "--sport 4000:4001 from 4000" "5000:0 5001:0 5002:0 5003:0 5004:0" 4000
udp "--sport 4000:4001 from 4001" "5000:0 5001:0 5002:0 5003:0 5004:0" 4001
udp "--sport 4000:4001 from 4002" "5000:2 5001:2 5002:2 5003:2 5004:2" 4002
assert_counter "--sport 4000:4001" "$S" filter INPUT 1 20

nfg_ok "$S" -R INPUT 1 -p udp ! --sport 4000:4001 -j DROP
udp "! --sport 4000:4001 from 4000" "5000:2 5001:2 5002:2 5003:2 5004:2" 4000
udp "! --sport 4000:4001 from 3999" "5000:0 5001:0 5002:0 5003:0 5004:0" 3999

nfg_ok "$S" -R INPUT 1 -p udp --sport 4000 --dport 5003:5004 -j DROP
udp "--sport 4000 --dport 5003:5004" "5000:2 5001:2 5002:2 5003:0 5004:0" 4000
udp "same, from 4001" "5000:2 5001:2 5002:2 5003:2 5004:2" 4001

nfg_ok "$S" -R INPUT 1 -p tcp --dport 5000:5004 -j DROP
udp "tcp rule, udp traffic" "5000:2 5001:2 5002:2 5003:2 5004:2"
assert_counter "tcp rule, udp traffic" "$S" filter INPUT 1 0
nfg_ok "$S" -F INPUT

log "-- TCP, router FORWARD (one SYN per probe)"
tcp() {	# tcp PORT EXPECTED [SPORT]
	assert_eq "tcp to $1${3:+ from $3}" "$2" "$(tcp_reach "$CLI" $SRV_IP "$1" "${3:-}")"
}
for p in 6000 6001 6002 6003; do tcp $p reached; done

nfg_ok "$R" -A FORWARD -p tcp --dport 6001:6002 -j DROP
tcp 6000 reached
tcp 6001 timeout
tcp 6002 timeout
tcp 6003 reached
assert_counter "tcp --dport 6001:6002" "$R" filter FORWARD 1 2

# -d: the server's RSTs (to the client's port) must not match "!"
nfg_ok "$R" -R FORWARD 1 -p tcp -d $SRV_IP ! --dport 6001:6002 -j DROP
tcp 6000 timeout
tcp 6001 reached
tcp 6002 reached
tcp 6003 timeout
assert_counter "tcp ! --dport 6001:6002" "$R" filter FORWARD 1 2

nfg_ok "$R" -R FORWARD 1 -p tcp -s $CLI_IP --sport 4500:4501 -j DROP
tcp 6000 reached 4499
tcp 6000 timeout 4500
tcp 6000 timeout 4501
tcp 6000 reached 4502
assert_counter "tcp --sport 4500:4501" "$R" filter FORWARD 1 2

# replies: the server's RST has --sport 6001
nfg_ok "$R" -R FORWARD 1 -p tcp --sport 6001 -j DROP
tcp 6001 timeout
tcp 6002 reached
assert_counter "tcp --sport 6001 (RST replies)" "$R" filter FORWARD 1 1

nfg_ok "$R" -R FORWARD 1 -p udp --dport 6000:6003 -j DROP
for p in 6000 6003; do tcp $p reached; done
assert_counter "udp rule, tcp traffic" "$R" filter FORWARD 1 0

exit $ret
