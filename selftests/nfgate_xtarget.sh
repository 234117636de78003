#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_xtarget.sh: the packet-changing targets TCPMSS, CHECKSUM, TTL and
# NFLOG on real packets, each run through nfgate and through
# iptables-legacy (the oracle) on the same topology:
#  - TCPMSS: a SYN forwarded by the router arrives at the server with the
#    MSS --set-mss gave (1000), with the one --clamp-mss-to-pmtu took from
#    the route (MTU 1280 towards the server: 1240), and a SYN sent without
#    an MSS option arrives with one added (536, RFC 1122's default), its
#    TCP checksum correct (tcpdump -v at the server checks it);
#  - CHECKSUM: a UDP datagram the client sends with its checksum left to
#    the veth "device" (CHECKSUM_PARTIAL) leaves with it filled in (tcpdump
#    -vv on the client's side: "udp sum ok"), the rule counting it;
#  - TTL: pings arrive at the server with TTL 42 (--ttl-set), 58 (63
#    after forwarding, --ttl-dec 5) and 66 (--ttl-inc 3);
#  - NFLOG: a listener bound to group 5 receives each forwarded echo
#    request with the rule's prefix and --nflog-size bytes of payload;
#  - iptables-save, -S and -L -n -v of a ruleset with every option are
#    those of iptables-legacy.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_tcp
require_helper nfg_udp
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
command -v tcpdump >/dev/null || skip "tcpdump missing"
command -v python3 >/dev/null || skip "python3 missing"
modprobe -a x_tables ip_tables iptable_filter iptable_mangle xt_tcpudp \
	xt_TCPMSS xt_HL xt_CHECKSUM xt_NFLOG nfnetlink_log ||
	skip "iptables-legacy modules missing"
topo_create

# cap_start NS IFACE FILTER...: tcpdump -l -n -vv in NS into $tmpdir/cap,
# returns once it listens.
cap_start() {
	local ns=$1 dev=$2 i

	shift 2
	rm -f "$tmpdir/cap" "$tmpdir/cap.err"
	ip netns exec "$ns" tcpdump -l -n -vv -i "$dev" "$@" \
		>"$tmpdir/cap" 2>"$tmpdir/cap.err" &
	cap_pid=$!
	for ((i = 0; i < 100; i++)); do
		grep -q "listening on" "$tmpdir/cap.err" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "tcpdump in $ns did not start: $(cat "$tmpdir/cap.err")"
}

# cap_stop: the capture so far, packets on one line each.
cap_stop() {
	sleep 0.5
	kill "$cap_pid" 2>/dev/null
	wait "$cap_pid" 2>/dev/null
	# tcpdump -v continues a packet on indented lines
	awk '/^[0-9]/ { if (l != "") print l; l = $0; next }
	     { l = l " " $0 } END { if (l != "") print l }' "$tmpdir/cap"
}

# syn_raw NS DST PORT [MSS]: one SYN from a raw socket, with an MSS option
# when MSS is given, else without options (the kernel fills the IPv4
# header; the TCP checksum is computed here, complete).
syn_raw() {
	ip netns exec "$1" python3 - "$2" "$3" "${4:-}" <<'EOF'
import socket, struct, sys
dst, port = sys.argv[1], int(sys.argv[2])
opt = struct.pack("!BBH", 2, 4, int(sys.argv[3])) if sys.argv[3] else b""
src = "192.0.2.2"
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
doff = (20 + len(opt)) // 4
th = struct.pack("!HHIIBBHHH", 40000, port, 1, 0, doff << 4, 0x02, 1024, 0, 0) + opt
ph = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(th))
th = th[:16] + struct.pack("!H", csum(ph + th)) + th[18:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
s.sendto(th, (dst, 0))
EOF
}

# The SYN as the server sees it: "mss N" and the checksum verdict.
syn_seen() {
	local line

	line=$(cap_stop | grep "Flags \[S\]" | head -n 1)
	echo "$(echo "$line" | grep -o 'mss [0-9]*' | head -n 1)" \
		"$(echo "$line" | grep -o 'cksum 0x[0-9a-f]* ([a-z]*' |
			sed 's/.*(//')"
}

# CHECKSUM first, while the client's veth still leaves UDP checksums to
# the "device": tcpdump on the sending side sees them unfilled.
for TOOL in nfgate iptables-legacy; do
	log "-- CHECKSUM through $TOOL"
	cap_start "$CLI" veth0 udp port 5000
	got=$(udp_round "$CLI" "$SRV" $SRV_IP 5000 1)
	before=$(cap_stop | grep -c 'bad udp cksum')
	assert_eq "$TOOL: without CHECKSUM the checksum is left to the device" \
		1 "$before"
	mangle_block "-A POSTROUTING -p udp -j CHECKSUM --checksum-fill" \
		>"$tmpdir/csum.rules"
	eng_restore "$TOOL" "$CLI" "$tmpdir/csum.rules" || fail "$TOOL: restore"
	cap_start "$CLI" veth0 udp port 5000
	got=$(udp_round "$CLI" "$SRV" $SRV_IP 5000 2)
	assert_eq "$TOOL: datagrams pass CHECKSUM" "5000:2" "$got"
	got=$(cap_stop | grep -c 'udp sum ok')
	assert_eq "$TOOL: checksums filled before they leave" 2 "$got"
	got=$(eng "$TOOL" "$CLI" -t mangle -L POSTROUTING -n -v -x |
		awk 'NR == 3 { print $1 }')
	assert_eq "$TOOL: CHECKSUM rule counter" 2 "$got"
	eng "$TOOL" "$CLI" -t mangle -F
done

# The kernel's own SYNs leave the client with a partial checksum (veth
# offloads it), which tcpdump calls incorrect: only their MSS is checked;
# the raw SYNs carry a complete one, checked after TCPMSS changed them.
for TOOL in nfgate iptables-legacy; do
	log "-- TCPMSS through $TOOL"
	mangle_block "-A FORWARD -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j TCPMSS --set-mss 1000" \
		>"$tmpdir/mss.rules"
	eng_restore "$TOOL" "$RTR" "$tmpdir/mss.rules" || fail "$TOOL: restore"
	cap_start "$SRV" veth0 tcp port 7
	tcp_probe "$CLI" $SRV_IP 7 >/dev/null
	got=$(syn_seen)
	assert_match "$TOOL: --set-mss 1000 at the server" "^mss 1000 " "$got"

	cap_start "$SRV" veth0 tcp port 7
	syn_raw "$CLI" $SRV_IP 7 1460
	got=$(syn_seen)
	assert_eq "$TOOL: MSS 1460 lowered to 1000, checksum fixed" \
		"mss 1000 correct" "$got"

	cap_start "$SRV" veth0 tcp port 7
	syn_raw "$CLI" $SRV_IP 7 900
	got=$(syn_seen)
	assert_eq "$TOOL: MSS 900 left alone" "mss 900 correct" "$got"

	cap_start "$SRV" veth0 tcp port 7
	syn_raw "$CLI" $SRV_IP 7
	got=$(syn_seen)
	assert_eq "$TOOL: an MSS option added to a SYN without one" \
		"mss 536 correct" "$got"

	mangle_block "-A POSTROUTING -p tcp -m tcp --syn -j TCPMSS --clamp-mss-to-pmtu" \
		>"$tmpdir/mss.rules"
	eng_restore "$TOOL" "$RTR" "$tmpdir/mss.rules" || fail "$TOOL: restore"
	ip -n "$RTR" link set veth-srv mtu 1280
	cap_start "$SRV" veth0 tcp port 7
	tcp_probe "$CLI" $SRV_IP 7 >/dev/null
	got=$(syn_seen)
	ip -n "$RTR" link set veth-srv mtu 1500
	assert_match "$TOOL: --clamp-mss-to-pmtu at the server (MTU 1280)" \
		"^mss 1240 " "$got"
	eng "$TOOL" "$RTR" -t mangle -F
done

# The kernel refuses what xt_TCPMSS's checkentry refuses.
for TOOL in nfgate iptables-legacy; do
	if eng "$TOOL" "$RTR" -t mangle -A FORWARD -p tcp -j TCPMSS \
		--set-mss 1000 2>/dev/null; then
		fail "$TOOL: TCPMSS without a SYN match accepted"
	fi
	if eng "$TOOL" "$RTR" -t mangle -A PREROUTING -p tcp --syn -j TCPMSS \
		--clamp-mss-to-pmtu 2>/dev/null; then
		fail "$TOOL: --clamp-mss-to-pmtu in PREROUTING accepted"
	fi
	eng "$TOOL" "$RTR" -t mangle -N MSS
	eng_ok "$TOOL" "$RTR" -t mangle -A MSS -p tcp --syn -j TCPMSS \
		--clamp-mss-to-pmtu
	if eng "$TOOL" "$RTR" -t mangle -A PREROUTING -j MSS 2>/dev/null; then
		fail "$TOOL: a jump from PREROUTING to a clamping chain accepted"
	fi
	eng_ok "$TOOL" "$RTR" -t mangle -A POSTROUTING -j MSS
	eng "$TOOL" "$RTR" -t mangle -F
	eng "$TOOL" "$RTR" -t mangle -X
done

for TOOL in nfgate iptables-legacy; do
	log "-- TTL through $TOOL"
	for spec in "--ttl-set 42:42" "--ttl-dec 5:58" "--ttl-inc 3:66"; do
		opt=${spec%:*}
		want=${spec##*:}
		mangle_block "-A POSTROUTING -p icmp -j TTL $opt" >"$tmpdir/ttl.rules"
		eng_restore "$TOOL" "$RTR" "$tmpdir/ttl.rules" || fail "$TOOL: restore"
		cap_start "$SRV" veth0 icmp
		n=$(ping_count "$CLI" $SRV_IP 1)
		got=$(cap_stop | grep 'echo request' | grep -o 'ttl [0-9]*' |
			head -n 1)
		assert_eq "$TOOL: TTL $opt at the server" "ttl $want" "$got"
		assert_eq "$TOOL: ping answered with TTL $opt" 1 "$n"
	done
	eng "$TOOL" "$RTR" -t mangle -F
done

for TOOL in nfgate iptables-legacy; do
	log "-- NFLOG through $TOOL"
	eng_ok "$TOOL" "$RTR" -A FORWARD -s $CLI_IP -p icmp -j NFLOG \
		--nflog-group 5 --nflog-prefix "nfg test" --nflog-size 20 \
		--nflog-threshold 1
	rm -f "$tmpdir/nflog.ready"
	ip netns exec "$RTR" python3 "$SELFTESTS/nflog_listen.py" -g 5 \
		-r "$tmpdir/nflog.ready" >"$tmpdir/nflog.out" &
	pid=$!
	wait_file "$tmpdir/nflog.ready" || fail "$TOOL: nflog listener not ready"
	n=$(ping_count "$CLI" $SRV_IP 3)
	assert_eq "$TOOL: pings through NFLOG" 3 "$n"
	sleep 1
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	got=$(sort "$tmpdir/nflog.out" | uniq -c | sed 's/^ *//')
	assert_eq "$TOOL: logged to group 5" "3 prefix=nfg test payload=20" "$got"
	got=$(eng "$TOOL" "$RTR" -L FORWARD -n -v -x | awk 'NR == 3 { print $1 }')
	assert_eq "$TOOL: NFLOG rule counter" 3 "$got"
	eng "$TOOL" "$RTR" -F
done

# Every option, saved, -S and -L -n -v as iptables-legacy prints them.
x65=$(printf 'x%.0s' {1..65})
{
	mangle_block \
		"-A PREROUTING -j TTL --ttl-set 42" \
		"-A INPUT -j TTL --ttl-dec 1" \
		"-A FORWARD -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j TCPMSS --set-mss 1400" \
		"-A FORWARD -p tcp -m tcp --syn -j TCPMSS --set-mss 0x10 --clamp-mss-to-pmtu" \
		"-A OUTPUT -j TTL --ttl-inc 255" \
		"-A POSTROUTING -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu" \
		"-A POSTROUTING -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill"
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	echo "-A INPUT -j NFLOG"
	echo "-A INPUT -j NFLOG --nflog-group 0 --nflog-threshold 0"
	echo "-A INPUT -j NFLOG --nflog-prefix \"a b\" --nflog-group 65535 --nflog-size 0 --nflog-threshold 7"
	echo "-A FORWARD -j NFLOG --nflog-range 4294967295"
	echo "-A FORWARD -j NFLOG --nflog-size 4294967295 --nflog-prefix \"it's\""
	echo "-A OUTPUT -j NFLOG --nflog-prefix $x65"
	echo "COMMIT"
} >"$tmpdir/all.rules"
declare -A out
for TOOL in nfgate iptables-legacy; do
	eng_restore "$TOOL" "$RTR" "$tmpdir/all.rules" 2>/dev/null ||
		fail "$TOOL: restore of every option"
	out[$TOOL]="$(saved "$TOOL" "$RTR" mangle)
$(saved "$TOOL" "$RTR" filter)
$(eng "$TOOL" "$RTR" -S)
$(eng "$TOOL" "$RTR" -t mangle -S)
$(eng "$TOOL" "$RTR" -L -n -v)
$(eng "$TOOL" "$RTR" -t mangle -L -n -v)
$(eng "$TOOL" "$RTR" -t mangle -L)"
	eng "$TOOL" "$RTR" -F
	eng "$TOOL" "$RTR" -t mangle -F
done
assert_eq "save, -S and -L as iptables-legacy" "${out[iptables-legacy]}" \
	"${out[nfgate]}" || show_diff "${out[iptables-legacy]}" "${out[nfgate]}"
assert_match "the 65-byte NFLOG prefix cut to 63" \
	"--nflog-prefix x{63}\$" "$(echo "${out[nfgate]}" | grep -m1 'OUTPUT -j NFLOG')"

exit $ret
