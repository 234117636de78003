#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_ext_marks.sh: the extension framework on real packets, with its
# first kinds: comment, mark, MARK (and -m tcp's place among matches);
# limit has nfgate_limit.sh.
#  1. The same ruleset through nfgate and through iptables-legacy on the
#     router, the same pings and UDP datagrams: mangle PREROUTING marks
#     packets with -j MARK (--set-xmark, --set-mark, --or-mark), filter
#     FORWARD counts them with -m mark (masked, "!") behind 40 filler
#     rules (so the classifier, not the list walk, finds them) and with
#     comments; -S and -L -n -v -x must be identical, counters included.
#  2. MARK is "continue": the rule after it still runs; a later MARK
#     rewrites the value an earlier one set.
#  3. Delete by specification tells rules apart by their extensions
#     (comment text, mark value, -m tcp's place); restore/save round trip.
#  4. Refused by the CLI: an unknown match, a comment of 256 bytes;
#     nothing changes.  (Malformed extension attributes sent to the
#     kernel directly: nl_bad's "extensions" case.)

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
modprobe -a x_tables ip_tables iptable_filter iptable_mangle xt_mark xt_comment \
	xt_tcpudp || skip "iptables-legacy modules missing"
topo_create

N=4
rules() {
	local i

	eng "$TOOL" "$RTR" -t mangle -A PREROUTING -p icmp -j MARK --set-xmark 0x10/0xf0
	eng "$TOOL" "$RTR" -t mangle -A PREROUTING -p udp -j MARK --set-mark 0x20
	eng "$TOOL" "$RTR" -t mangle -A PREROUTING -p udp -m udp --dport 5001 \
		-j MARK --or-mark 0x1
	eng "$TOOL" "$RTR" -t mangle -A PREROUTING -m comment --comment "count all"
	for ((i = 1; i <= 40; i++)); do
		eng "$TOOL" "$RTR" -A FORWARD -s 203.0.113.$i/32 -p udp -m comment \
			--comment "filler $i" -m udp --dport $((6000 + i)) -j DROP
	done
	eng "$TOOL" "$RTR" -A FORWARD -d $SRV_IP/32 -m mark --mark 0x10/0xf0 \
		-m comment --comment "icmp to server"
	eng "$TOOL" "$RTR" -A FORWARD -d $SRV_IP/32 -p udp -m comment \
		--comment "udp 5001" -m udp --dport 5001 -m mark --mark 0x21
	eng "$TOOL" "$RTR" -A FORWARD -d $SRV_IP/32 -p udp -m udp --dport 5000 \
		-m mark ! --mark 0x20
	eng "$TOOL" "$RTR" -A FORWARD -d $SRV_IP/32 -p udp -m mark --mark 0x20/0xfe \
		-j ACCEPT
}

declare -A out
for TOOL in nfgate iptables-legacy; do
	log "-- ruleset through $TOOL"
	rules || fail "$TOOL refused the ruleset"
	ping_ok "$CLI" $SRV_IP $N
	got=$(udp_round "$CLI" "$SRV" $SRV_IP 5000:5001 $N)
	assert_eq "$TOOL: datagrams" "5000:$N 5001:$N" "$got"
	out[$TOOL]=$(eng "$TOOL" "$RTR" -t mangle -S; eng "$TOOL" "$RTR" -S FORWARD
		eng "$TOOL" "$RTR" -t mangle -L PREROUTING -n -v -x
		eng "$TOOL" "$RTR" -L FORWARD -n -v -x | grep -v filler)
	eng "$TOOL" "$RTR" -t mangle -F
	eng "$TOOL" "$RTR" -F
	eng "$TOOL" "$RTR" -Z
	eng "$TOOL" "$RTR" -t mangle -Z
done
assert_eq "nfgate prints and counts what iptables-legacy does" \
	"${out[iptables-legacy]}" "${out[nfgate]}"
assert_match "marked icmp counted" \
	"^ +$N +$((N * 84)) +0 +-- +\* +\* +0.0.0.0/0 +$SRV_IP +mark match 0x10/0xf0 /\* icmp to server \*/" \
	"${out[nfgate]}"

# 2. MARK continues; the last MARK wins.
log "-- MARK continues"
nfg_ok "$RTR" -t mangle -A PREROUTING -p icmp -j MARK --set-mark 1
nfg_ok "$RTR" -t mangle -A PREROUTING -p icmp -j MARK --xor-mark 3
nfg_ok "$RTR" -A FORWARD -p icmp -m mark --mark 1
nfg_ok "$RTR" -A FORWARD -p icmp -m mark --mark 2
ping_ok "$CLI" $SRV_IP $N
assert_counters "xor after set" "$RTR" filter FORWARD:1:0 FORWARD:2:$((2 * N))
assert_counters "both MARK rules ran" "$RTR" mangle \
	PREROUTING:1:$((2 * N)) PREROUTING:2:$((2 * N))
nfg_ok "$RTR" -t mangle -F
nfg_ok "$RTR" -F

# 3. Delete by specification, restore, save.
log "-- delete by specification"
nfg_ok "$RTR" -A FORWARD -p tcp -m comment --comment a -m tcp --dport 80
nfg_ok "$RTR" -A FORWARD -p tcp -m tcp --dport 80 -m comment --comment a
nfg_ok "$RTR" -A FORWARD -m comment --comment b -j MARK --set-mark 1
nfg_ok "$RTR" -A FORWARD -m comment --comment b -j MARK --set-mark 2
if nfg "$RTR" -D FORWARD -m comment --comment c -j MARK --set-mark 1 2>/dev/null; then
	fail "delete with another comment removed a rule"
fi
nfg_ok "$RTR" -D FORWARD -m comment --comment b -j MARK --set-mark 2
nfg_ok "$RTR" -D FORWARD -p tcp -m tcp --dport 80 -m comment --comment a
assert_eq "what is left" \
	"-A FORWARD -p tcp -m comment --comment a -m tcp --dport 80
-A FORWARD -m comment --comment b -j MARK --set-xmark 0x1/0xffffffff" \
	"$(nfg "$RTR" -S FORWARD | grep '^-A')"
save_filtered "$RTR" >"$tmpdir/all.rules"
before=$(ruleset "$RTR")
nfg_ok "$RTR" -F
nfg_ok "$RTR" restore "$tmpdir/all.rules"
assert_eq "restore/save round trip" "$before" "$(ruleset "$RTR")"

# 4. Refused, and nothing changes.
log "-- refused"
before=$(save_filtered "$RTR")
out=$(nfg "$RTR" -A FORWARD -m nosuch 2>&1) && fail "-m nosuch accepted"
assert_match "unknown match" "match .nosuch. is not supported" "$out"
long=$(printf 'x%.0s' $(seq 256))
out=$(nfg "$RTR" -A FORWARD -m comment --comment "$long" 2>&1) &&
	fail "256-byte comment accepted"
assert_match "long comment" "no longer than 255" "$out"
assert_eq "nothing changed" "$before" "$(save_filtered "$RTR")"

exit $ret
