#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_hashlimit.sh: the hashlimit match (a token bucket per key in a
# named table) on packets, side by side with iptables-legacy on the same
# router:
#  - --hashlimit-above 5/sec --hashlimit-burst 5 --hashlimit-mode srcip
#    -j DROP lets a burst of pings through and drops most of the rest (a
#    few more pass as the bucket refills at 5/s: checked as a range);
#    another source address has its own bucket, and after a second the
#    first one has a full burst again;
#  - the same rule at 5/min, where no token comes back during the test:
#    exactly 5 of 8 pings per source pass, and the counters, -S and
#    -L -n -v -x are what iptables-legacy prints;
#  - a table of at most one entry drops a second source's packets until
#    the first source's entry expired and was collected;
#  - six more spellings: -S and -L -n as iptables-legacy's; 1/day with
#    the default burst is refused by both (the credits overflow).

source "$(dirname -- "$0")/lib.sh"
require_env
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
modprobe -a x_tables ip_tables iptable_filter xt_hashlimit ||
	skip "iptables-legacy modules missing"
topo_create
CLI_IP2=192.0.2.3
ip -n "$CLI" addr add $CLI_IP2/24 dev veth0
ping_ok "$CLI" $SRV_IP 1 -I $CLI_IP2 >/dev/null ||
	die "topology: second client address cannot reach server"

rules() {
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	echo "-A FORWARD -p icmp -m icmp --icmp-type 8 -m hashlimit" \
		"--hashlimit-above $1 --hashlimit-burst 5" \
		"--hashlimit-mode srcip --hashlimit-name $2 -j DROP"
	echo "COMMIT"
}
rules 5/sec fast >"$tmpdir/fast.rules"
rules 5/min slow >"$tmpdir/slow.rules"

in_range() {
	local what=$1 lo=$2 hi=$3 got=$4

	if [ -n "$got" ] && [ "$got" -ge "$lo" ] && [ "$got" -le "$hi" ]; then
		log "ok: $what: $got"
	else
		fail "$what: $got, expected $lo..$hi"
	fi
}

declare -A save list
for TOOL in nfgate iptables-legacy; do
	log "-- hashlimit through $TOOL"
	eng_restore "$TOOL" "$RTR" "$tmpdir/fast.rules"
	got=$(ping_count "$CLI" $SRV_IP 30 -i 0.01)
	in_range "$TOOL: 5/sec burst 5, first source" 5 12 "$got"
	got=$(ping_count "$CLI" $SRV_IP 30 -i 0.01 -I $CLI_IP2)
	in_range "$TOOL: second source, its own bucket" 5 12 "$got"
	sleep 1.5
	got=$(ping_count "$CLI" $SRV_IP 5 -i 0.01)
	assert_eq "$TOOL: a full burst again after a second" 5 "$got"

	eng_restore "$TOOL" "$RTR" "$tmpdir/slow.rules"
	got=$(ping_count "$CLI" $SRV_IP 8)
	assert_eq "$TOOL: 5/min burst 5, first source" 5 "$got"
	got=$(ping_count "$CLI" $SRV_IP 8 -I $CLI_IP2)
	assert_eq "$TOOL: 5/min burst 5, second source" 5 "$got"
	save[$TOOL]=$(eng "$TOOL" "$RTR" -S FORWARD)
	list[$TOOL]=$(eng "$TOOL" "$RTR" -L FORWARD -n -v -x | grep -v '^Chain')
	eng "$TOOL" "$RTR" -F
	eng "$TOOL" "$RTR" -Z
done
assert_eq "hashlimit: -S as iptables-legacy" \
	"${save[iptables-legacy]}" "${save[nfgate]}"
assert_eq "hashlimit: -L -n -v -x as iptables-legacy" \
	"${list[iptables-legacy]}" "${list[nfgate]}"
assert_match "hashlimit rule: 6 drops of 16" \
	"^ +6 +504 +DROP +1 +-- .*limit: above 5/min burst 5 mode srcip" \
	"${list[nfgate]}"

# a table bounded to one entry: while the first source's entry lives, a
# second source's packets are dropped (as xt_hashlimit); once the entry
# expired (5 s) and the collector ran (every second), it gets one
{
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	echo "-A FORWARD -p icmp -m icmp --icmp-type 8 -m hashlimit" \
		"--hashlimit-upto 100/sec" \
		"--hashlimit-mode srcip --hashlimit-name tiny" \
		"--hashlimit-htable-size 1 --hashlimit-htable-max 1" \
		"--hashlimit-htable-expire 5000 -j ACCEPT"
	echo "COMMIT"
} >"$tmpdir/tiny.rules"
for TOOL in nfgate iptables-legacy; do
	eng_restore "$TOOL" "$RTR" "$tmpdir/tiny.rules"
	got=$(ping_count "$CLI" $SRV_IP 3)
	assert_eq "$TOOL: htable-max 1, first source" 3 "$got"
	got=$(ping_count "$CLI" $SRV_IP 3 -I $CLI_IP2)
	assert_eq "$TOOL: htable-max 1, second source while the first lives" \
		0 "$got"
	sleep 8
	got=$(ping_count "$CLI" $SRV_IP 3 -I $CLI_IP2)
	assert_eq "$TOOL: htable-max 1, second source once the first expired" \
		3 "$got"
	eng "$TOOL" "$RTR" -F
done

# more spellings: what each engine keeps of them, -S and -L -n
spellings=(
	"--hashlimit-upto 60/min --hashlimit-name a"
	"--hashlimit 10/minute --hashlimit-name b --hashlimit-mode dstport,srcip,dstip,srcport --hashlimit-srcmask 24 --hashlimit-dstmask 255.255.0.0"
	"! --hashlimit-above 3/hour --hashlimit-name c --hashlimit-htable-size 2000000 --hashlimit-htable-max 100 --hashlimit-htable-gcinterval 500 --hashlimit-htable-expire 3600000 --hashlimit-burst 2k"
	"--hashlimit-upto 7 --hashlimit-name d --hashlimit-mode dstip|dstport"
	"! --hashlimit-upto 1/hour --hashlimit-burst 3 --hashlimit-name e --hashlimit-htable-expire 1000 --hashlimit-srcmask 0"
	"--hashlimit-above 1000/sec --hashlimit-burst 14497 --hashlimit-mode srcip --hashlimit-name f --hashlimit-htable-expire 31991"
)
for TOOL in nfgate iptables-legacy; do
	for s in "${spellings[@]}"; do
		# shellcheck disable=SC2086
		eng_ok "$TOOL" "$RTR" -A INPUT -m hashlimit $s
	done
	# 1/day times the default burst overflows the credits: refused
	if eng "$TOOL" "$RTR" -A INPUT -m hashlimit --hashlimit-upto 1/day \
		--hashlimit-name g >/dev/null 2>&1; then
		fail "$TOOL: 1/day burst 5 accepted"
	else
		log "ok: $TOOL: 1/day burst 5 refused"
	fi
	save[$TOOL]=$(eng "$TOOL" "$RTR" -S INPUT)
	list[$TOOL]=$(eng "$TOOL" "$RTR" -L INPUT -n)
	eng "$TOOL" "$RTR" -F
done
assert_eq "hashlimit spellings: -S as iptables-legacy" \
	"${save[iptables-legacy]}" "${save[nfgate]}"
assert_eq "hashlimit spellings: -L -n as iptables-legacy" \
	"${list[iptables-legacy]}" "${list[nfgate]}"
log "${save[nfgate]}"


exit $ret
