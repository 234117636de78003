#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_connmark.sh: CONNMARK, connmark and statistic on real packets,
# each scenario run with nfgate's rules and then with the same rules in
# iptables-legacy, in the same VM and namespaces (nfgate_conntrack.sh has
# conntrack and state):
#  4. CONNMARK --set-mark on the first packet of a UDP flow (connmark 0)
#     and -m connmark 0x5 on every packet of it; --save-mark /
#     --restore-mark with -j MARK / -m mark: the mark set on the first
#     packet comes back on the others;
#  5. statistic: --mode random --probability 0.5 on 1000 datagrams within
#     400..600, --mode nth --every 3 exactly 334 of 1000 (667 inverted);
#     an nth rule after an ACCEPT of the classified chain counts only
#     the packets that reach it;
#  6. -S and -L texts of the conntrack-side kinds equal iptables-legacy's,
#     delete by specification in another spelling, restore of the save.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
for m in ip_tables iptable_filter iptable_mangle xt_conntrack xt_state \
	xt_connmark xt_statistic xt_mark xt_tcpudp; do
	modprobe "$m" || skip "modprobe $m failed"
done
topo_create
source "$SELFTESTS/ct_lib.sh"

# 4. Connection marks.
connmark() {
	local e=$1 base=$2

	log "-- $e: CONNMARK and connmark"
	# -p udp: not the ICMP errors of the server, RELATED to the flow
	eng_ok "$e" "$RTR" -t mangle -A FORWARD -p udp -m connmark --mark 0 \
		-j CONNMARK --set-mark 0x5
	eng_ok "$e" "$RTR" -t mangle -A FORWARD -p udp -m connmark --mark 0x5
	eng_ok "$e" "$RTR" -t mangle -A FORWARD -p udp -m connmark ! --mark 0x5
	udp_flow $base 4000 5
	assert_eq "$e: CONNMARK on the first packet" 1 "$(counter "$e" "$RTR" mangle FORWARD 1)"
	assert_eq "$e: connmark on every packet" 5 \
		"$(counter "$e" "$RTR" mangle FORWARD 2)"
	assert_eq "$e: ! connmark" 0 "$(counter "$e" "$RTR" mangle FORWARD 3)"
	eng_ok "$e" "$RTR" -t mangle -F

	log "-- $e: --save-mark / --restore-mark"
	eng_ok "$e" "$RTR" -t mangle -A PREROUTING -p udp -j CONNMARK --restore-mark
	eng_ok "$e" "$RTR" -t mangle -A FORWARD -p udp -m mark --mark 0x7
	eng_ok "$e" "$RTR" -t mangle -A FORWARD -p udp -m mark --mark 0x0 \
		-j MARK --set-mark 0x7
	eng_ok "$e" "$RTR" -t mangle -A FORWARD -p udp -j CONNMARK --save-mark
	udp_flow $((base + 1)) 4001 5
	assert_eq "$e: mark restored on later packets" 4 \
		"$(counter "$e" "$RTR" mangle FORWARD 1)"
	assert_eq "$e: MARK on the first packet only" 1 \
		"$(counter "$e" "$RTR" mangle FORWARD 2)"
	assert_eq "$e: save-mark on every packet" 5 \
		"$(counter "$e" "$RTR" mangle FORWARD 3)"
	eng_ok "$e" "$RTR" -t mangle -F
}

# 5. statistic.
statistic() {
	local e=$1 base=$2 r

	log "-- $e: statistic"
	eng_ok "$e" "$RTR" -A FORWARD -p udp -m statistic --mode random \
		--probability 0.5
	eng_ok "$e" "$RTR" -A FORWARD -p udp -m statistic --mode nth \
		--every 3 --packet 0
	eng_ok "$e" "$RTR" -A FORWARD -p udp -m statistic --mode nth \
		! --every 3 --packet 2
	udp_flow $base 4002 999
	udp_flow $base 4003 1
	r=$(counter "$e" "$RTR" filter FORWARD 1)
	if [ "$r" -lt 400 ] || [ "$r" -gt 600 ]; then
		fail "$e: random 0.5 of 1000: $r"
	else
		log "ok: $e: random 0.5 of 1000: $r"
	fi
	# --packet 0 matches the 1st, 4th, ... of 1000: 334; ! --packet 2
	# misses the 3rd, 6th, ... 999th: 667
	assert_eq "$e: nth every 3" 334 "$(counter "$e" "$RTR" filter FORWARD 2)"
	assert_eq "$e: ! nth every 3 packet 2" 667 \
		"$(counter "$e" "$RTR" filter FORWARD 3)"
	eng_ok "$e" "$RTR" -F FORWARD
}

# 5b. An nth rule is evaluated exactly when iptables evaluates it, also
# when the chain is classified (linear_below=1): never for packets an
# earlier rule took.
nth_order() {
	local e=$1 base=$2 lin=/sys/module/nfgate/parameters/linear_below old

	log "-- $e: nth counts only the packets that reach it"
	old=$(cat $lin)
	echo 1 >$lin
	# the nth rule first, then the ACCEPT inserted before it: the
	# classifier knows the nth rule's tuple before the ACCEPT's
	eng_ok "$e" "$RTR" -A FORWARD -p udp -m statistic --mode nth \
		--every 2 --packet 0
	eng_ok "$e" "$RTR" -I FORWARD 1 -p udp --dport 4010 -j ACCEPT
	# 7 packets taken by the ACCEPT: were the nth rule evaluated for
	# them, its counter would be one step off: 4 of the next 9, not 5
	udp_flow $base 4010 7
	udp_flow $base 4011 9
	assert_eq "$e: nth after an ACCEPT" 5 "$(counter "$e" "$RTR" filter FORWARD 2)"
	eng_ok "$e" "$RTR" -F FORWARD
	echo "$old" >$lin
}

connmark nfgate 5000
statistic nfgate 5100
nth_order nfgate 5200
connmark legacy 6000
statistic legacy 6100
nth_order legacy 6200

# 6. Texts: the same rules in both, listed and saved.
log "-- -S, iptables-save and -L texts against iptables-legacy"
H=$NS_TAG-h
ns_create "$H"
rules=(
	"-m conntrack ! --ctstate NEW,ESTABLISHED,RELATED,INVALID,UNTRACKED,SNAT,DNAT"
	"-m conntrack --ctstatus NONE --ctstate INVALID --ctdir REPLY --ctexpire 5:9 --ctproto tcp --ctorigsrc 192.0.2.5/24 ! --ctrepldstport 9:99"
	"-m conntrack --ctorigdst 0.0.0.0/0 --ctreplsrc 198.51.100.7/255.255.0.0 --ctrepldst 0.0.0.0 --ctorigsrcport : -j ACCEPT"
	"-m state ! --state new,related -j DROP"
	"-p udp -m udp --dport 53 -m connmark ! --mark 0x10/0xff -m statistic --mode random --probability 0.33333333333"
	"-m statistic --mode nth ! --every 5 --packet 2 -j CONNMARK --save-mark --mask 0xff"
	"-m statistic --mode nth --every 5 --packet 0 -j CONNMARK --restore-mark --ctmask 0xf0"
	"-m mark --mark 0x1 -j CONNMARK --and-mark 0xf0"
	"-j CONNMARK --set-mark 0x10/0xff"
)
# one restore per engine: the TCG VM is slow to start each command
{
	echo "*mangle"
	for r in "${rules[@]}"; do
		echo "-A FORWARD $r"
	done
	echo "COMMIT"
} >"$tmpdir/text.rules"
nfg_ok "$H" restore "$tmpdir/text.rules"
ip netns exec "$H" iptables-legacy-restore <"$tmpdir/text.rules" ||
	fail "iptables-legacy-restore of the text rules"
assert_eq "-S" "$(ip netns exec "$H" iptables-legacy -t mangle -S FORWARD)" \
	"$(nfg "$H" -t mangle -S FORWARD)"
assert_eq "-L -n -v" "$(ip netns exec "$H" iptables-legacy -t mangle -L FORWARD -n -v)" \
	"$(nfg "$H" -t mangle -L FORWARD -n -v)"
assert_eq "-L" "$(ip netns exec "$H" iptables-legacy -t mangle -L FORWARD)" \
	"$(nfg "$H" -t mangle -L FORWARD)"
# delete by specification, in another spelling, and restore of the save
nfg_ok "$H" -t mangle -D FORWARD -m statistic --mode nth ! --every 5 \
	--packet 2 -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff
assert_eq "rules after -D" $((${#rules[@]} - 1)) \
	"$(nfg "$H" -t mangle -S FORWARD | grep -c '^-A')"
save_filtered "$H" -t mangle >"$tmpdir/m.rules"
nfg_ok "$H" restore "$tmpdir/m.rules"
assert_eq "restore of the save" "$(cat "$tmpdir/m.rules")" \
	"$(save_filtered "$H" -t mangle)"

exit $ret
