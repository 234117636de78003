#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_classify.sh: the classifier against a linear reference evaluator.
# Per round, classify_ref.py generates from a seed a random filter ruleset
# of a few hundred rules in FORWARD, INPUT and six user chains (exact, prefix and
# non-contiguous src/dst, inverted addresses / protocols / ports /
# interfaces, tcp/udp/icmp/47/all, single ports and ranges, -i/-o exact and
# '+' wildcards, rules without target, ACCEPT/DROP/RETURN, -j and -g), and
# thousands of packets aimed at those rules.  nfg_inject sends them as
# Ethernet frames from a sender namespace over three veths into a router,
# which forwards them to dummy devices or, for its own address, delivers
# them through INPUT, where the missing output device is the empty name
# (user chains' "-o +" matches it, "! -o +" does not).  Every rule counter
# (packets and bytes), the FORWARD and INPUT policy counters and the
# number of accepted forwarded packets
# (a counting rule in mangle POSTROUTING) must equal the reference's
# prediction; mangle PREROUTING proves that every packet reached the hook.
#
#   sender s0/s1/s2 == vin0/vin1/xin2 [router] dum0 dum1 eth9 (dummies)
#
# Some packets are fragments (often TCP at offset 1) or have a TCP/UDP
# header cut short, and some rules a bare -m tcp / -m udp: the reference
# knows xt_tcpudp's verdicts for them (hotdrop at the first tcp/udp match
# reached).
#
# NFGATE_CLASSIFY_SEED=N reproduces a run (the seed is printed);
# NFGATE_CLASSIFY_ROUNDS, _RULES and _PACKETS change its size.
# NFGATE_CLASSIFY_BACKEND=iptables judges iptables-legacy's filter table
# instead of nfgate's by the same reference (a check of the reference).

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_inject
command -v python3 >/dev/null || skip "python3 missing (the reference evaluator)"
REF="python3 $SELFTESTS/classify_ref.py"
BACKEND=${NFGATE_CLASSIFY_BACKEND:-nfgate}
if [ "$BACKEND" = iptables ]; then
	command -v iptables-legacy-restore >/dev/null ||
		skip "iptables-legacy-restore missing"
	# iptables' own module autoload does not work in vm-run's chroot
	{ modprobe iptable_filter && modprobe xt_tcpudp; } ||
		skip "cannot load iptable_filter / xt_tcpudp"
fi

SEED=${NFGATE_CLASSIFY_SEED:-$(( $(date +%s) % 100000 ))}
ROUNDS=${NFGATE_CLASSIFY_ROUNDS:-2}
RULES=${NFGATE_CLASSIFY_RULES:-300}
PACKETS=${NFGATE_CLASSIFY_PACKETS:-3000}
log "seed $SEED ($ROUNDS rounds of $RULES rules, $PACKETS packets," \
	"judging $BACKEND); reproduce with NFGATE_CLASSIFY_SEED=$SEED"

SND=$NS_TAG-snd
ns_create "$SND"
ns_create "$RTR"
ip netns exec "$RTR" sysctl -qw net.ipv4.ip_forward=1 \
	net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
$REF routes >"$tmpdir/routes" || die "classify_ref.py routes failed"
while read -r a b c d; do
	case "$a" in
	ingress)
		ip link add "$d" netns "$SND" type veth peer name "$b" \
			netns "$RTR" || die "veth $d - $b"
		ip -n "$RTR" link set "$b" address "$c" up
		ip -n "$SND" link set "$d" up
		;;
	local)	# the router's own address: packets to it reach INPUT
		ip -n "$RTR" addr add "$b/32" dev "$c" || die "address $b"
		local_ip=$b
		;;
	*)
		if ! ip -n "$RTR" link show "$b" >/dev/null 2>&1; then
			ip -n "$RTR" link add "$b" type dummy ||
				skip "no dummy interfaces (dummy.ko)"
			ip -n "$RTR" link set "$b" up
		fi
		# one neighbour per device (dummies need no ARP)
		ip -n "$RTR" route add "$a" via 203.0.113.254 dev "$b" onlink ||
			die "route $a dev $b"
		;;
	esac
done <"$tmpdir/routes"
ip netns exec "$RTR" sh -c \
	'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 >"$f"; done'

# every packet that reaches the router, every packet it forwards (not
# what it answers from its own address)
nfg_ok "$RTR" -t mangle -A PREROUTING
nfg_ok "$RTR" -t mangle -A POSTROUTING ! -s "$local_ip/32"

for ((round = 0; round < ROUNDS; round++)); do
	seed=$((SEED + round))
	dir=$tmpdir/r$round
	mkdir -p "$dir"
	log "-- round $round: seed $seed"
	t0=$SECONDS
	$REF gen "$seed" "$RULES" "$PACKETS" "$dir" ||
		die "classify_ref.py gen $seed failed"
	t1=$SECONDS
	if [ "$BACKEND" = iptables ]; then
		ip netns exec "$RTR" iptables-legacy-restore <"$dir/rules" ||
			die "seed $seed: iptables-legacy-restore failed"
		ip netns exec "$RTR" iptables-legacy -Z
	else
		nfg_ok "$RTR" restore "$dir/rules" ||
			die "seed $seed: restore of the generated ruleset failed"
		# restore keeps the policy counters of the round before
		nfg_ok "$RTR" -Z
	fi
	nfg_ok "$RTR" -t mangle -Z
	log "generated in $((t1 - t0))s, restored and zeroed in $((SECONDS - t1))s"
	t0=$SECONDS
	out=$(ip netns exec "$SND" "$HELPERS/nfg_inject" <"$dir/packets")
	rc=$?
	log "nfg_inject -> $rc: $out ($((SECONDS - t0))s)"
	[ $rc -eq 0 ] || { fail "seed $seed: nfg_inject failed"; continue; }
	sleep 0.5
	if [ "$BACKEND" = iptables ]; then
		ip netns exec "$RTR" iptables-legacy-save -c >"$dir/save"
	else
		nfg "$RTR" save -c >"$dir/save"
	fi || fail "seed $seed: save -c failed"
	ml=$(listing "$RTR" mangle)
	pre=$(counter_in "$ml" PREROUTING 1)
	post=$(counter_in "$ml" POSTROUTING 1)
	assert_eq "seed $seed: packets that reached the router" \
		"$PACKETS" "$pre" ||
		log "(packets lost before the hook: not a classifier verdict)"
	t0=$SECONDS
	out=$($REF check "$dir" "$dir/save" "$post")
	rc=$?
	echo "$out"
	log "checked in $((SECONDS - t0))s"
	[ $rc -eq 0 ] || fail "seed $seed: counters differ from the reference" \
		"(reproduce: NFGATE_CLASSIFY_SEED=$seed NFGATE_CLASSIFY_ROUNDS=1" \
		"NFGATE_CLASSIFY_RULES=$RULES NFGATE_CLASSIFY_PACKETS=$PACKETS)"
	if [ $rc -ne 0 ]; then
		log "the generated ruleset (seed $seed):"
		head -n 400 "$dir/rules"
	fi
done

[ "$BACKEND" = iptables ] && exit $ret

# Lookups while a tuple's hash table is being resized (kmod/cls_hash.c):
# the table grows from 1 KiB (125 buckets) to 2 KiB at the 257th rule of a
# tuple and moves 16 old buckets per write, so right after a restore of 257
# rules most of them still sit in the old array; after deleting 200 the
# table has begun shrinking and again most survivors are in the old one.
# One packet per rule: every live rule must count exactly one.
resize_rules() {
	local from=$1 to=$2 op=$3 i
	for ((i = from; i <= to; i++)); do
		echo "$op FORWARD -d 198.18.$((i / 256)).$((i % 256))/32 -p udp -m udp --dport 9 -j ACCEPT"
	done
}
resize_check() {
	local what=$1 from=$2 to=$3 i hits
	for ((i = from; i <= to; i++)); do
		echo "s0 02:00:5e:00:00:10 192.0.2.1 198.18.$((i / 256)).$((i % 256)) 17 1000 9"
	done >"$tmpdir/resize.pkts"
	nfg_ok "$RTR" -Z
	out=$(ip netns exec "$SND" "$HELPERS/nfg_inject" <"$tmpdir/resize.pkts") ||
		{ fail "$what: nfg_inject failed: $out"; return; }
	sleep 0.5
	hits=$(nfg "$RTR" save -c | grep -c '^\[1:[0-9]*\] -A FORWARD -d 198\.18\.')
	assert_eq "$what: rules that counted their one packet" \
		"$((to - from + 1))" "$hits"
}
log "-- a table being resized"
{
	echo "*filter"
	echo ":FORWARD ACCEPT [0:0]"
	resize_rules 1 257 -A
	echo "COMMIT"
} >"$tmpdir/resize.rules"
nfg_ok "$RTR" restore "$tmpdir/resize.rules" || die "restore of 257 rules failed"
resize_check "257 rules, growing" 1 257
{
	echo "*filter"
	resize_rules 1 200 -D
	echo "COMMIT"
} >"$tmpdir/resize.del"
nfg_ok "$RTR" restore --noflush "$tmpdir/resize.del" || die "deleting 200 rules failed"
sleep 1		# gc unlinks the deleted rules: the table shrinks
resize_check "57 rules, shrinking" 201 257

exit $ret
