#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_churn.sh: an established flow loses nothing while rules churn.
# The router's FORWARD chain has policy DROP, 200 unrelated rules and one
# rule accepting a UDP flow client -> server (nfg_flow, sequence numbers,
# one datagram per 2 ms).  While the flow runs, one long-running
# "nfgate restore --noflush" applies 10000 single-operation transactions to
# the same chain (one "*filter ... COMMIT" block each): appends, inserts at
# position 1 (in front of the flow's rule) and deletes by specification.
# Afterwards every sequence number must have arrived exactly once (0 lost,
# 0 duplicated), the flow rule's counter must equal the datagrams sent,
# and the chain must be back to its 203 rules.
# A TCP stream (nfg_stream: numbered bytes, 1 KiB every 2 ms) crosses
# the router at the same time, accepted by two rules of its own (one per
# direction): its bytes must all arrive in order and intact, the receiver
# may not have queued a segment out of order (TCPOFOQueue: a hole in the
# stream), the FORWARD policy (DROP) may not have seen a packet, and each
# direction's rule must have counted exactly the segments its sender's
# namespace transmitted (OutSegs + RetransSegs, one segment per packet):
# no segment met another verdict.  Retransmissions are printed, not
# forbidden: under TCG a tail loss probe or an RTO fires when the VM
# stalls, without any loss (a lost segment would be missing from its
# rule's counter).  Kernel memory (churn_lib.sh) is back at its level
# before the churn.
#
# NFGATE_CHURN_OPS changes the number of transactions (default 10000).

source "$(dirname -- "$0")/lib.sh"
source "$(dirname -- "$0")/churn_lib.sh"
require_env
require_helper nfg_flow nfg_stream
topo_create

OPS=${NFGATE_CHURN_OPS:-10000}
PORT=5001
SPORT=4001
# The TCP stream: ports no churn rule matches (unrelated()'s
# "-s cli -p tcp --sport" rules take i % 60000 + 1 with i % 5 == 4: source
# ports that are multiples of 5; its "-d srv --dport" rules are udp).
TPORT=5002
TSPORT=4001
R=$RTR

# unrelated(i) in awk: rule i of the churn, which never matches the flow
# (udp $CLI_IP:$SPORT -> $SRV_IP:$PORT).  awk, not a bash loop: bash needs
# most of a minute for 10000 blocks under TCG.
UNRELATED_AWK='
function unrelated(i) {
	if (i % 5 == 0)
		return sprintf("-s 203.0.113.%d -d 198.18.%d.%d -p tcp --dport %d -j DROP",
			       i % 250 + 1, int(i / 250) % 250, i % 250 + 1, i % 60000 + 1)
	if (i % 5 == 1)
		return sprintf("-d %s -p udp --dport %d -j DROP", srv, port + 1 + i % 1000)
	if (i % 5 == 2)
		return sprintf("-s 198.19.%d.%d -j ACCEPT", int(i / 250) % 250, i % 250 + 1)
	if (i % 5 == 3)
		return sprintf("-i veth-srv -p udp --sport %d -j DROP", 10000 + i % 20000)
	return sprintf("-s %s -p tcp --sport %d -j ACCEPT", cli, i % 60000 + 1)
}'

# The 200 standing rules: unlike any churn rule (delete by specification
# removes the first equal rule).
standing() {
	echo "-A FORWARD -d 198.19.255.$(($1 % 250 + 1)) -p udp --dport $((20000 + $1)) -j DROP"
}

{
	echo "*filter"
	echo ":FORWARD DROP [0:0]"
	for ((i = 0; i < 100; i++)); do standing $i; done
	echo "-A FORWARD -s $CLI_IP -d $SRV_IP -p udp --dport $PORT -j ACCEPT"
	echo "-A FORWARD -s $CLI_IP -d $SRV_IP -p tcp --sport $TSPORT --dport $TPORT -j ACCEPT"
	echo "-A FORWARD -s $SRV_IP -d $CLI_IP -p tcp --sport $TPORT --dport $TSPORT -j ACCEPT"
	for ((i = 100; i < 200; i++)); do standing $i; done
	echo "COMMIT"
} >"$tmpdir/base.rules"
nfg_ok "$R" restore "$tmpdir/base.rules" || die "base ruleset"
base=$(ruleset "$R")
assert_eq "FORWARD rules" 203 "$(echo "$base" | grep -c '^-A FORWARD')"

# The churn: add rule i (every third one at position 1), and once 100 are
# in, delete the oldest by specification; finally delete the rest.
log "generating $OPS single-operation transactions"
awk -v ops="$OPS" -v srv="$SRV_IP" -v cli="$CLI_IP" -v port="$PORT" \
	"$UNRELATED_AWK"'
	BEGIN {
		for (op = 0; op < ops; op++) {
			print "*filter"
			if (added - deleted < 100 && added < ops / 2) {
				where = added % 3 == 0 ? "-I FORWARD 1 " : "-A FORWARD "
				print where unrelated(added++)
			} else {
				print "-D FORWARD " unrelated(deleted++)
			}
			print "COMMIT"
		}
	}' >"$tmpdir/churn.rules"
log "$(grep -c '^-I' "$tmpdir/churn.rules") inserts at 1," \
	"$(grep -c '^-A' "$tmpdir/churn.rules") appends," \
	"$(grep -c '^-D' "$tmpdir/churn.rules") deletes"

# tcp_stat NS FILE PREFIX FIELD: a counter of /proc/net/snmp or netstat.
tcp_stat() {
	ip netns exec "$1" awk -v p="$3" -v f="$4" '
		$1 == p && !h { for (i = 2; i <= NF; i++) if ($i == f) c = i; h = 1; next }
		$1 == p && h { print $c; exit }' "$2"
}

dmesg_start=$(dmesg | wc -l)
base_mem=$(mem_settled)

# One segment per skb (no GSO: OutSegs counts MSS-sized segments, the
# router one packet per skb), and both ends on CPU 0: veth queues each
# packet to the backlog of the CPU that sends it, so a sender moving
# between CPUs reorders its own segments, which no verdict did.
seg_exact=1
for ns in "$CLI" "$SRV"; do
	ip -n "$ns" link set dev veth0 gso_max_segs 1 2>/dev/null || seg_exact=0
done
[ $seg_exact = 1 ] || log "cannot set gso_max_segs: segment counts not compared"
ip netns exec "$SRV" taskset -c 0 "$HELPERS/nfg_stream" recv -a $SRV_IP -p $TPORT \
	-r "$tmpdir/stream.ready" >"$tmpdir/stream_recv.out" &
srecv_pid=$!
bg_pids+=($srecv_pid)
wait_file "$tmpdir/stream.ready" || die "stream receiver did not start"
ip netns exec "$CLI" taskset -c 0 "$HELPERS/nfg_stream" send -a $SRV_IP -p $TPORT \
	-s $TSPORT >"$tmpdir/stream_send.out" &
ssend_pid=$!
bg_pids+=($ssend_pid)

flow_start -s $SPORT -i 2000
sleep 1		# the flow is established before the churn starts

t0=$SECONDS
out=$(nfg "$R" restore --noflush "$tmpdir/churn.rules" 2>&1)
rc=$?
log "churn restore -> $rc in $((SECONDS - t0))s${out:+: $out}"
assert_eq "churn restore exit code" 0 "$rc"
sleep 1
flow_stop
kill -USR1 $ssend_pid
wait $ssend_pid
wait $srecv_pid

rcvbuf_errors=$(ip netns exec "$SRV" awk '/^Udp: [0-9]/ { print $6 }' /proc/net/snmp)
log "server UDP receive buffer errors: $rcvbuf_errors"
assert_eq "sendto errors" 0 "$flow_errors"
[ "${flow_sent:-0}" -gt 500 ] || fail "only ${flow_sent:-0} datagrams sent: the flow did not run"
assert_eq "datagrams received (distinct)" "$flow_sent" "$flow_distinct"
assert_eq "datagrams lost below the highest" 0 "$flow_missing"
assert_eq "datagrams duplicated" 0 "$flow_dups"
got=$(nfg "$R" save -c | grep -e "--dport $PORT " | grep -e '-j ACCEPT' |
	sed -n 's/^\[\([0-9]*\):.*/\1/p')
assert_eq "flow rule counter" "$flow_sent" "$got"
assert_eq "ruleset after the churn" "$base" "$(ruleset "$R")" ||
	show_diff "$base" "$(ruleset "$R")"

log "-- the TCP stream"
log "stream sender: $(cat "$tmpdir/stream_send.out")"
log "stream receiver: $(cat "$tmpdir/stream_recv.out")"
read -r _ ssent <"$tmpdir/stream_send.out"
read -r _ sgot _ sbad _ sfirst <"$tmpdir/stream_recv.out"
[ "${ssent:-0}" -gt 100000 ] || fail "only ${ssent:-0} bytes streamed: the stream did not run"
assert_eq "stream bytes received" "$ssent" "$sgot"
assert_eq "stream words out of place" 0 "$sbad"
retrans=$(tcp_stat "$CLI" /proc/net/snmp Tcp: RetransSegs)
log "sender: RetransSegs $retrans," \
	"TCPLossProbes $(tcp_stat "$CLI" /proc/net/netstat TcpExt: TCPLossProbes)," \
	"TCPTimeouts $(tcp_stat "$CLI" /proc/net/netstat TcpExt: TCPTimeouts)"
assert_eq "receiver's out-of-order queued segments" 0 \
	"$(tcp_stat "$SRV" /proc/net/netstat TcpExt: TCPOFOQueue)"
# Whatever no ACCEPT rule took fell to the policy: a verdict lost it.
assert_eq "FORWARD policy DROP packets" 0 "$(policy_counter "$R" filter FORWARD)"
if [ $seg_exact = 1 ]; then
	l=$(nfg "$R" save -c -t filter)
	got=$(echo "$l" | grep -e "--sport $TSPORT --dport $TPORT " |
		sed -n 's/^\[\([0-9]*\):.*/\1/p')
	# OutSegs leaves out retransmissions; the router saw them too.
	assert_eq "client -> server segments counted by their rule" \
		"$(($(tcp_stat "$CLI" /proc/net/snmp Tcp: OutSegs) + retrans))" "$got"
	got=$(echo "$l" | grep -e "--sport $TPORT --dport $TSPORT " |
		sed -n 's/^\[\([0-9]*\):.*/\1/p')
	assert_eq "server -> client segments counted by their rule" \
		"$(($(tcp_stat "$SRV" /proc/net/snmp Tcp: OutSegs) + \
		    $(tcp_stat "$SRV" /proc/net/snmp Tcp: RetransSegs)))" "$got"
fi

mem_check "after $OPS transactions under traffic" "$base_mem"
kernel_log_clean "churn" "$dmesg_start"

exit $ret
