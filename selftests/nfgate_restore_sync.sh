#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_restore_sync.sh: `restore --noflush` commits only the difference
# between the kernel's table and the table the input leaves, as kube-proxy
# and Docker need (they rewrite whole chains with iptables-restore
# --noflush on every sync).
#  1. A 300-rule chain SYNC, declared and filled by one --noflush restore,
#     counts forwarded pings in its last rule.  The same sync again, with
#     one rule in the middle changed: that rule is replaced, the counting
#     rule keeps its counter (iptables would have reset it: the chain is
#     flushed and refilled), and save prints what iptables-legacy-save
#     prints after the same two iptables-legacy-restore --noflush runs.
#  2. The same sync unchanged: no rule changes handle (nl_handles
#     reads them before and after).
#  3. A sync the kernel refuses at commit although every line parses (a
#     DNAT in POSTROUTING): the error names the line, nothing changes.
#  4. A full sync of 3000 chains (read with one dump of the table, which
#     spans many messages and resumes by chain name), then the same with
#     one chain's rule changed: save equals iptables-legacy-save after both.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nl_handles
command -v iptables-legacy-restore >/dev/null || skip "iptables-legacy missing"
modprobe -a x_tables ip_tables iptable_filter xt_tcpudp ||
	skip "iptables-legacy modules missing"
topo_create

N=4
L=$NS_TAG-legacy
ns_create "$L"

# sync FILE CHANGED: the chain SYNC, rule CHANGED with another port.
sync_file() {
	local i port

	{
		echo "*filter"
		echo ":SYNC - [0:0]"
		for ((i = 1; i <= 300; i++)); do
			port=$((6000 + i))
			[ "$i" = "$2" ] && port=$((7000 + i))
			echo "-A SYNC -s 203.0.113.$((i % 250 + 1))/32 -p udp -m udp --dport $port -j DROP"
		done
		echo "-A SYNC -s $CLI_IP/32 -p icmp -j ACCEPT"
		echo "COMMIT"
	} >"$1"
}
sync_file "$tmpdir/sync1" 0
sync_file "$tmpdir/sync2" 150

# 1. A sync with one change keeps the other rules and their counters.
for e in nfgate legacy; do
	ns=$RTR
	[ $e = legacy ] && ns=$L
	eng_ok $e "$ns" -N SYNC
	eng_ok $e "$ns" -A FORWARD -j SYNC
done
nfg_ok "$RTR" restore --noflush "$tmpdir/sync1"
ip netns exec "$L" iptables-legacy-restore --noflush <"$tmpdir/sync1" ||
	fail "iptables-legacy-restore --noflush sync1"
ping_ok "$CLI" $SRV_IP $N
assert_counter "pings counted" "$RTR" filter SYNC 301 $N
nfg_ok "$RTR" restore --noflush "$tmpdir/sync2"
ip netns exec "$L" iptables-legacy-restore --noflush <"$tmpdir/sync2" ||
	fail "iptables-legacy-restore --noflush sync2"
assert_counter "counter kept by the sync" "$RTR" filter SYNC 301 $N
assert_match "changed rule" "-A SYNC -s 203.0.113.151/32 -p udp -m udp --dport 7150 -j DROP" \
	"$(nfg "$RTR" -S SYNC 150)"
want=$(ip netns exec "$L" iptables-legacy-save -t filter | grep -v '^#' |
	sed 's/ \[[0-9]*:[0-9]*\]$//')
got=$(save_filtered "$RTR" -t filter | sed 's/ \[[0-9]*:[0-9]*\]$//')
assert_eq "save after two syncs = iptables-legacy-save" "$want" "$got"
ping_ok "$CLI" $SRV_IP $N
assert_counter "counting goes on" "$RTR" filter SYNC 301 $((2 * N))

# 2. An unchanged sync changes no handle.
before=$(ip netns exec "$RTR" "$HELPERS/nl_handles" 0 SYNC 2>&1)
nfg_ok "$RTR" restore --noflush "$tmpdir/sync2"
after=$(ip netns exec "$RTR" "$HELPERS/nl_handles" 0 SYNC 2>&1)
assert_eq "handles after an unchanged sync" "$before" "$after"
[ "$(wc -l <<<"$after")" -eq 301 ] || fail "nl_handles: $(head -n 3 <<<"$after")"

# 3. Refused at commit: the line is named, nothing changes.
before=$(save_filtered "$RTR")
printf '%s\n' "*nat" ":POSTROUTING ACCEPT [0:0]" \
	"-A POSTROUTING -p tcp -j DNAT --to-destination 198.51.100.9" \
	"COMMIT" >"$tmpdir/bad"
out=$(nfg "$RTR" restore --noflush "$tmpdir/bad" 2>&1) &&
	fail "a DNAT in POSTROUTING was taken"
assert_match "refusal names the line" "line 3" "$out"
assert_eq "ruleset after the refusal" "$before" "$(save_filtered "$RTR")"
# 4. Thousands of chains: one dump of the table, many messages.
chains_file() {
	local i

	{
		echo "*filter"
		for ((i = 0; i < 3000; i++)); do
			echo ":K-$(((i * 7919) % 3000))-X - [0:0]"
		done
		for ((i = 0; i < 3000; i++)); do
			echo "-A K-$i-X -p udp -m udp --dport $((1000 + i + ${2:-0} * (i == 1234) * 10000)) -j RETURN"
		done
		echo "COMMIT"
	} >"$1"
}
chains_file "$tmpdir/c1"
chains_file "$tmpdir/c2" 1
L2=$NS_TAG-l2
G2=$NS_TAG-g2
ns_create "$L2"
ns_create "$G2"
for f in c1 c2; do
	nfg_ok "$G2" restore --noflush "$tmpdir/$f"
	ip netns exec "$L2" iptables-legacy-restore --noflush <"$tmpdir/$f" ||
		fail "iptables-legacy-restore --noflush $f"
	want=$(ip netns exec "$L2" iptables-legacy-save -t filter | grep -v '^#' |
		sed 's/ \[[0-9]*:[0-9]*\]$//')
	got=$(save_filtered "$G2" -t filter | sed 's/ \[[0-9]*:[0-9]*\]$//')
	assert_eq "3000 chains after $f = iptables-legacy-save" "$want" "$got"
done
assert_match "the changed chain" "--dport 12234" "$(nfg "$G2" -S K-1234-X)"
exit $ret
