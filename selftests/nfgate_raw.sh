#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_raw.sh: the raw table (PREROUTING and OUTPUT at NF_IP_PRI_RAW).
#  1. count-only rules in raw PREROUTING and OUTPUT of the router see
#     forwarded pings only in PREROUTING, pings to the router itself in
#     PREROUTING (requests) and OUTPUT (replies);
#  2. a DROP in raw PREROUTING stops a forwarded ping before mangle
#     PREROUTING sees it (raw -300 runs before mangle -150): the mangle
#     count-only rule stays at 0;
#  3. a DROP in raw OUTPUT of the client stops its own pings;
#  4. policy DROP on raw PREROUTING drops and counts, ACCEPT restores;
#  5. "-t raw -A PREROUTING -o x" and "-A OUTPUT -i x" are refused, as is
#     a chain raw does not have, CT outside raw, CT --timeout (nfgate has
#     no timeout objects), a helper without -p or that does not exist;
#  6. restore -c of a *raw block with a user chain, a DROP policy and
#     counters, then save -c -t raw gives the block back; a full save
#     prints *raw after *filter and *mangle; monitor -t raw shows only
#     raw changes, prefixed "-t raw";
#  7. CT on packets: --zone 7 gives pings a conntrack entry in zone 7 (the
#     template holds conntrack in the namespace), CT --notrack and NOTRACK
#     leave their UDP ports untracked while another port is tracked,
#     --helper ftp attaches the ftp helper to a TCP connection to port 21;
#     -S prints the rules as iptables-legacy does.

source "$(dirname -- "$0")/lib.sh"
require_env
topo_create

N=3

# 1. Which packets raw sees.
nfg_ok "$RTR" -t raw -A PREROUTING -p icmp
nfg_ok "$RTR" -t raw -A OUTPUT -p icmp
ping_ok "$CLI" $SRV_IP $N
assert_counters "forwarded" "$RTR" raw PREROUTING:1:$((2 * N)) OUTPUT:1:0
nfg_ok "$RTR" -t raw -Z
assert_counters "after -Z" "$RTR" raw PREROUTING:1:0 OUTPUT:1:0
ping_ok "$CLI" $RTR_CLI_IP $N
assert_counters "local" "$RTR" raw PREROUTING:1:$N:$((N * 84)) \
	OUTPUT:1:$N:$((N * 84))
nfg_ok "$RTR" -t raw -F

# 2. raw PREROUTING runs before mangle PREROUTING.
log "-- raw PREROUTING DROP: mangle PREROUTING never sees the packets"
nfg_ok "$RTR" -t mangle -A PREROUTING -p icmp
nfg_ok "$RTR" -t raw -A PREROUTING -p icmp -j DROP
ping_fails "$CLI" $SRV_IP $N
assert_counter "raw drop" "$RTR" raw PREROUTING 1 $N $((N * 84))
assert_counter "mangle not reached" "$RTR" mangle PREROUTING 1 0
nfg_ok "$RTR" -t raw -D PREROUTING -p icmp -j DROP
ping_ok "$CLI" $SRV_IP $N
assert_counter "mangle after delete" "$RTR" mangle PREROUTING 1 $((2 * N))
nfg_ok "$RTR" -t mangle -F

# 3. raw OUTPUT sees locally generated packets.
log "-- raw OUTPUT DROP in the client"
nfg_ok "$CLI" -t raw -A OUTPUT -d $SRV_IP -p icmp -j DROP
ping_fails "$CLI" $SRV_IP $N
assert_counter "raw OUTPUT drop" "$CLI" raw OUTPUT 1 $N $((N * 84))
nfg_ok "$CLI" -t raw -F OUTPUT
ping_ok "$CLI" $SRV_IP $N

# 4. Policy DROP, as iptables allows on raw's built-in chains.
log "-- raw PREROUTING policy DROP"
nfg_ok "$RTR" -t raw -Z
nfg_ok "$RTR" -t raw -P PREROUTING DROP
ping_fails "$CLI" $SRV_IP $N
assert_eq "policy packets" $N "$(policy_counter "$RTR" raw PREROUTING)"
nfg_ok "$RTR" -t raw -P PREROUTING ACCEPT
ping_ok "$CLI" $SRV_IP $N

# 5. Refused: interfaces a hook has no device for, chains raw lacks,
# CT where iptables refuses it too.  The ruleset stays as it was.
log "-- refused commands"
before=$(save_filtered "$RTR" -t raw)
refused() {
	local want=$1 out rc

	shift
	out=$(nfg "$RTR" "$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		fail "nfgate $*: accepted"
		return
	fi
	assert_match "nfgate $*" "$want" "$out"
}
refused "Can't use --out-interface with PREROUTING" -t raw -A PREROUTING -o x
refused "Can't use --in-interface with OUTPUT" -t raw -A OUTPUT -i x
refused "does not exist|[Nn]o (such )?chain" -t raw -A INPUT -p icmp
refused "--timeout is not supported by nfgate" \
	-t raw -A PREROUTING -p tcp -j CT --timeout x
refused "CT is not valid in this table" \
	-t mangle -A PREROUTING -j CT --notrack
refused "needs a protocol" -t raw -A PREROUTING -j CT --helper ftp
refused "no such conntrack helper" \
	-t raw -A PREROUTING -p tcp -j CT --helper nosuch
assert_eq "refused commands changed nothing" "$before" \
	"$(save_filtered "$RTR" -t raw)"

# 6. save / restore, monitor.
log "-- restore -c / save -c of a *raw block"
H=$NS_TAG-h
ns_create "$H"
cat >"$tmpdir/raw.rules" <<EOF
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT DROP [5:420]
:EARLY - [0:0]
[7:588] -A PREROUTING -s 198.18.0.0/15 -i veth+ -j EARLY
[0:0] -A PREROUTING -p udp -m udp --dport 53 -g EARLY
[2:168] -A OUTPUT -o lo -j ACCEPT
[0:0] -A EARLY -d 203.0.113.0/24 -j RETURN
[1:84] -A EARLY -j DROP
COMMIT
EOF
ip netns exec "$H" "$NFGATE" monitor -t raw >"$tmpdir/mon.out" 2>&1 &
bg_pids+=($!)
mon=$!
# a change made before the monitor joined the group is never shown
for ((i = 0; i < 50; i++)); do
	nfg "$H" -t raw -N SYNC && nfg "$H" -t raw -X SYNC
	grep -qxF -- "-t raw -X SYNC" "$tmpdir/mon.out" && break
	sleep 0.2
done
nfg_ok "$H" -N FILTERONLY
nfg_ok "$H" restore -c "$tmpdir/raw.rules"
assert_eq "save -c -t raw" "$(cat "$tmpdir/raw.rules")" \
	"$(save_filtered "$H" -c -t raw)"
assert_eq "tables in save" "*filter *mangle *raw" \
	"$(save_filtered "$H" | grep '^\*' | tr '\n' ' ' | sed 's/ $//')"
assert_match "-S" '^-P OUTPUT DROP$' "$(nfg "$H" -t raw -S)"
assert_match "-S EARLY" '^-A EARLY -j DROP$' "$(nfg "$H" -t raw -S EARLY)"
assert_match "-L" '^Chain OUTPUT \(policy DROP\)$' "$(nfg "$H" -t raw -L -n)"
# the whole save, restored again, is itself again
save_filtered "$H" -c >"$tmpdir/all.rules"
nfg_ok "$H" restore -c "$tmpdir/all.rules"
assert_eq "save -c round trip" "$(cat "$tmpdir/all.rules")" \
	"$(save_filtered "$H" -c)"
nfg_ok "$H" -t raw -Z
assert_match "-Z zeroes policy counters" '^:OUTPUT DROP \[0:0\]$' \
	"$(save_filtered "$H" -c -t raw)"
for ((i = 0; i < 30; i++)); do
	grep -q -- '-t raw -A EARLY -j DROP\|-t raw -I EARLY 2 -j DROP' \
		"$tmpdir/mon.out" && break
	sleep 0.1
done
kill -INT "$mon"
wait "$mon" 2>/dev/null
mon_out=$(cat "$tmpdir/mon.out")
assert_match "monitor -t raw: policy" '^-t raw -P OUTPUT DROP$' "$mon_out"
assert_match "monitor -t raw: rule" '^-t raw -I EARLY 2 -j DROP$' "$mon_out"
assert_no_match "monitor -t raw: no filter lines" 'FILTERONLY' "$mon_out"
assert_no_match "monitor -t raw: every change line is raw" \
	'^-[A-Z] ' "$mon_out"

# 7. CT on packets.
log "-- CT --zone, --notrack, --helper and NOTRACK on packets"
require_helper nfg_udp nfg_tcp
command -v conntrack >/dev/null || skip "conntrack (the tool) missing: make deps"
modprobe -q nf_conntrack_ftp
modprobe -q nf_conntrack_netlink
nfg_ok "$RTR" -t raw -F
ct_rules=(
	"-p icmp -j CT --zone 7"
	"-p udp -m udp --dport 5000 -j CT --notrack"
	"-p udp -m udp --dport 5001 -j NOTRACK"
	"-p tcp -m tcp --dport 21 -j CT --helper ftp"
)
for r in "${ct_rules[@]}"; do
	# shellcheck disable=SC2086 # a rule's words
	nfg_ok "$RTR" -t raw -A PREROUTING $r
done
ping_ok "$CLI" $SRV_IP 2
got=$(udp_round "$CLI" "$SRV" $SRV_IP 5000:5002 2)
assert_eq "untracked datagrams still pass" "5000:2 5001:2 5002:2" "$got"
# a listener on port 21: a refused SYN's conntrack entry dies at the RST
ip netns exec "$SRV" python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 21))
s.listen(4)
open(sys.argv[2], "w").write("ready")
while True:
    s.accept()[0].close()
' $SRV_IP "$tmpdir/ftp.ready" &
bg_pids+=($!)
wait_file "$tmpdir/ftp.ready" 300 || fail "no listener on port 21"
assert_eq "connection to port 21" open "$(tcp_probe "$CLI" $SRV_IP 21)"
ct=$(ip netns exec "$RTR" cat /proc/net/nf_conntrack 2>&1)
assert_match "pings tracked in zone 7" "icmp .*zone=7" "$ct"
assert_no_match "CT --notrack: udp 5000 untracked" "dport=5000 " "$ct"
assert_no_match "NOTRACK: udp 5001 untracked" "dport=5001 " "$ct"
assert_match "udp 5002 tracked" "dport=5002 " "$ct"
# /proc/net/nf_conntrack does not show helpers; conntrack -L does
assert_match "ftp helper on port 21" "dport=21 .*helper=ftp" \
	"$(ip netns exec "$RTR" conntrack -L -p tcp --dport 21 2>&1)"
if command -v iptables-legacy >/dev/null &&
	modprobe -a iptable_raw xt_CT xt_tcpudp 2>/dev/null; then
	L=$NS_TAG-legacy
	ns_create "$L"
	for r in "${ct_rules[@]}"; do
		# shellcheck disable=SC2086
		ip netns exec "$L" iptables-legacy -t raw -A PREROUTING $r ||
			fail "iptables-legacy refused $r"
	done
	assert_eq "CT rules print as iptables-legacy -S prints them" \
		"$(ip netns exec "$L" iptables-legacy -t raw -S PREROUTING)" \
		"$(nfg "$RTR" -t raw -S PREROUTING)"
fi
nfg_ok "$RTR" -t raw -F

exit $ret
