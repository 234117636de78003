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
#  4. A full sync of 3000 chains (their list is one dump, which spans
#     many messages and resumes by chain name), then the same with one
#     chain's rule changed: save equals iptables-legacy-save after both.
#  5. Chain digests (a full sync reads only the chains whose rules
#     changed, Documentation/protocol.rst): 80 declared chains of 3 rules,
#     synced again and again with one rule changed, two rules swapped, a
#     chain deleted and one created, a rule replaced by -R behind restore's
#     back, counters set by -c.  -v says how many chains were read (only
#     those that differ); after each sync save equals iptables-legacy-save
#     after the same syncs, and -c's counters outlive a sync without -c.

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

# 5. Chain digests.  digest_file FILE VARIANT: chains D-1..D-80, 3 rules
# each; port: D-7's second rule has another port; swap: D-9's last two
# rules swapped; move: D-80 declared and deleted, D-81 created, D-1 jumps
# to it; count: D-3's first rule another, with counters [5:500] (-c).
digest_file() {
	awk -v variant="$2" 'BEGIN {
		print "*filter"
		for (i = 1; i <= 80; i++)
			print ":D-" i " - [0:0]"
		if (variant == "move")
			print ":D-81 - [0:0]"
		for (i = 1; i <= 80; i++) {
			if (variant == "move" && i == 80)
				continue
			r1 = "-A D-" i " -s 198.18." i ".1/32 -j RETURN"
			r2 = "-A D-" i " -p tcp -m tcp --dport " (variant == "port" && i == 7 ? 3007 : 1000 + i) " -j ACCEPT"
			r3 = "-A D-" i " -p udp -m udp --dport " (2000 + i) " -j DROP"
			if (variant == "count" && i == 3)
				r1 = "[5:500] -A D-3 -s 198.18.103.1/32 -j RETURN"
			print r1
			if (variant == "swap" && i == 9) {
				print r3
				print r2
			} else {
				print r2
				print r3
			}
		}
		if (variant == "move") {
			print "-A D-81 -j RETURN"
			print "-A D-1 -j D-81"
			print "-X D-80"
		}
		print "COMMIT"
	}' >"$1"
}
L5=$NS_TAG-l5
G5=$NS_TAG-g5
ns_create "$L5"
ns_create "$G5"
for v in base port swap move count; do
	digest_file "$tmpdir/d-$v" $v
done
# digest_sync VARIANT WANT [ARGS]: both tools restore --noflush the
# variant; nfgate's -v line must end in WANT; the saves must agree.
digest_sync() {
	local out want got

	out=$(nfg "$G5" restore --noflush -v ${3:-} "$tmpdir/d-$1" 2>&1) ||
		fail "restore --noflush of $1: $out"
	assert_eq "chains read by the $1 sync" "nfgate restore: filter: $2" "$out"
	ip netns exec "$L5" iptables-legacy-restore --noflush ${3:-} \
		<"$tmpdir/d-$1" || fail "iptables-legacy-restore --noflush $1"
	want=$(ip netns exec "$L5" iptables-legacy-save -t filter |
		grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//')
	got=$(save_filtered "$G5" -t filter | sed 's/ \[[0-9]*:[0-9]*\]$//')
	assert_eq "save after the $1 sync = iptables-legacy-save" "$want" "$got"
}
digest_sync base "80 chains declared, 0 unchanged by digest, 0 read"
digest_sync base "80 chains declared, 80 unchanged by digest, 0 read"
digest_sync port "80 chains declared, 79 unchanged by digest, 1 read"
digest_sync swap "80 chains declared, 78 unchanged by digest, 2 read"
digest_sync move "80 chains declared, 77 unchanged by digest, 3 read"
digest_sync base "80 chains declared, 78 unchanged by digest, 1 read"
# -R by hand: the chain differs from the text, the next sync reads it.
for e in nfgate legacy; do
	ns=$G5
	[ $e = legacy ] && ns=$L5
	eng_ok $e "$ns" -R D-5 1 -s 198.18.99.1/32 -j RETURN
done
digest_sync base "80 chains declared, 79 unchanged by digest, 1 read"
# Counters are not part of a digest: with -c every chain is read; the
# same text without -c then reads none and keeps them (iptables-legacy
# zeroes them: it flushes and refills the chain).
digest_sync count "80 chains declared, all read" -c
assert_counter "-c counters" "$G5" filter D-3 1 5
digest_sync count "80 chains declared, 80 unchanged by digest, 0 read"
assert_counter "-c counters after a sync" "$G5" filter D-3 1 5
exit $ret
