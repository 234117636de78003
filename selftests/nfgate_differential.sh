#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_differential.sh: differential test against iptables-legacy, the
# oracle.  diff_gen.py draws (seeded) random rulesets for the router's
# raw, mangle, nat and filter tables and random probe packets; each
# ruleset is loaded into iptables-legacy and then into nfgate (the other
# side holding empty tables), conntrack is flushed, the probes are sent
# from the client (nfg_inject, Ethernet frames with any source, TTL, TOS,
# TCP flags, ICMP type) and what arrives is captured (diff_cap.py) at the
# server (forwarded probes, NATed or not, TTL changed or not) and back at
# the client (REJECT's replies, ICMP errors, the router's own RST and echo
# replies, probes routed back out).  Per ruleset the two captures must be
# equal record for record (addresses, ports, protocol, TTL, TOS, length
# and the transport header's bytes: flags, sequence numbers, ICMP type
# and the packet an ICMP error quotes), and so must "save -c" of every
# table (rule text, rule and policy counters): the counters say which rule
# decided.  A pair is one probe of one ruleset, compared between the two.
# The one known difference of text is left out: "-i +" and "-o +" (with or
# without "!"), which iptables-legacy-save drops (a zero-length mask) but
# nfgate saves; the counters still say whether such a rule matched.
#
# Both engines' nat tables exist from the start (an empty restore of each),
# so that conntrack is on in the router for both alike; the server and the
# client send nothing back themselves (OUTPUT DROP), ICMP errors are not
# rate limited (icmp_ratemask 0) and the router sends no redirects, so
# that every packet the captures see is caused by one probe and the rules.
#
# Environment:
#   NFGATE_DIFF_SEED      seed (default 1): ruleset K is "SEED:K"
#   NFGATE_DIFF_RULESETS  rulesets (default 5)
#   NFGATE_DIFF_PROBES    probes per ruleset (default 200)
# The cases in REGRESSIONS below run first, whatever the seed: each was a
# mismatch once (see the comment beside it).
#
# On a mismatch it prints the case ("SEED:K": diff_gen.py makes it again),
# the ruleset, the differing capture records and save lines, and the
# probes they belong to; the test fails.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_inject
command -v python3 >/dev/null || skip "python3 missing"
command -v iptables-legacy-restore >/dev/null ||
	skip "iptables-legacy-restore missing (the oracle)"
command -v iptables-legacy-save >/dev/null ||
	skip "iptables-legacy-save missing (the oracle)"
command -v conntrack >/dev/null || skip "conntrack (the tool) missing"

SEED=${NFGATE_DIFF_SEED:-1}
NRS=${NFGATE_DIFF_RULESETS:-5}
NPR=${NFGATE_DIFF_PROBES:-200}
# Kept mismatches, "SEED:K" (diff_gen.py draws them alike every run).
REGRESSIONS=()

# iptables' own module autoload looks for the VM's modprobe helper
# outside the test's root: load the oracle's modules here.
for m in iptable_filter iptable_mangle iptable_raw iptable_nat xt_tcpudp \
	xt_multiport xt_iprange xt_mark xt_connmark xt_TTL xt_ttl xt_length \
	xt_addrtype xt_state xt_conntrack xt_pkttype xt_mac xt_comment \
	xt_statistic xt_CT xt_nat xt_MASQUERADE xt_REDIRECT ipt_REJECT \
	nf_reject_ipv4 xt_hl ipt_ttl ipt_TTL xt_HL; do
	modprobe "$m" 2>/dev/null
done
# Loaded or built in (the debug kernel): the nat table must answer, in a
# namespace of its own.
ns_create "$NS_TAG-probe"
ip netns exec "$NS_TAG-probe" iptables-legacy -t nat -S >/dev/null 2>&1 ||
	skip "iptables-legacy's nat table unusable (the oracle)"
ip netns del "$NS_TAG-probe"
log "oracle modules loaded"

topo_create
log "topology up"
ip -n "$RTR" route add 198.18.0.0/24 via $CLI_IP
ip -n "$RTR" route add 198.19.0.0/24 via $SRV_IP
for ns in "$CLI" "$RTR" "$SRV"; do
	ip netns exec "$ns" sh -c \
		'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 >"$f"; done'
done
ip netns exec "$RTR" sysctl -qw net.ipv4.icmp_ratemask=0 \
	net.ipv4.conf.all.send_redirects=0 \
	net.ipv4.conf.veth-cli.send_redirects=0 \
	net.ipv4.conf.veth-srv.send_redirects=0 ||
	die "router sysctls"
nfg_ok "$SRV" -P OUTPUT DROP || die "server OUTPUT DROP"
nfg_ok "$CLI" -P OUTPUT DROP || die "client OUTPUT DROP"

mac_of() {
	ip -n "$1" -o link show "$2" | grep -oE 'link/ether [0-9a-f:]+' |
		cut -d' ' -f2
}
RTR_MAC=$(mac_of "$RTR" veth-cli)
CLI_MAC=$(mac_of "$CLI" veth0)
[ -n "$RTR_MAC" ] && [ -n "$CLI_MAC" ] || die "no MAC of veth-cli / veth0"

EMPTY=$tmpdir/empty
{
	echo "*raw"
	echo ":PREROUTING ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	echo "COMMIT"
	mangle_block
	echo "*nat"
	for c in PREROUTING INPUT OUTPUT POSTROUTING; do
		echo ":$c ACCEPT [0:0]"
	done
	echo "COMMIT"
	echo "*filter"
	for c in INPUT FORWARD OUTPUT; do
		echo ":$c ACCEPT [0:0]"
	done
	echo "COMMIT"
} >"$EMPTY"
ip netns exec "$RTR" iptables-legacy-restore <"$EMPTY" ||
	die "iptables-legacy-restore of empty tables"
nfg_ok "$RTR" restore "$EMPTY" || die "nfgate restore of empty tables"

log "generating: seed $SEED, $NRS rulesets of $NPR probes, regressions: ${REGRESSIONS[*]:-none}"
GEN=$tmpdir/gen
python3 "$SELFTESTS/diff_gen.py" "$SEED" "$NRS" "$NPR" "$GEN" "$CLI_MAC" \
	"$RTR_MAC" "${REGRESSIONS[@]}" || die "diff_gen.py failed"
mapfile -t labels <"$GEN/labels"

# The captures run for the whole test, one round per (ruleset, engine).
bg "$SRV" python3 "$SELFTESTS/diff_cap.py" "$tmpdir/srv" "$tmpdir/srv.ready"
bg "$CLI" python3 "$SELFTESTS/diff_cap.py" "$tmpdir/cli" "$tmpdir/cli.ready"
srv_pid=${bg_pids[0]}
cli_pid=${bg_pids[1]}
wait_file "$tmpdir/srv.ready" 300 && wait_file "$tmpdir/cli.ready" 300 ||
	die "captures not ready"
round=0

# settle: wait until the router has sent nothing new for 0.2 s.
settle() {
	local a b j

	a=$(ip netns exec "$RTR" sh -c 'cat /sys/class/net/*/statistics/tx_packets')
	for ((j = 0; j < 50; j++)); do
		sleep 0.2
		b=$(ip netns exec "$RTR" sh -c 'cat /sys/class/net/*/statistics/tx_packets')
		[ "$a" = "$b" ] && return 0
		a=$b
	done
	return 1
}

# capture_round: end the capture round; the files are $tmpdir/{srv,cli}.N.
capture_round() {
	round=$((round + 1))
	kill -USR1 "$srv_pid" "$cli_pid"
	wait_file "$tmpdir/srv.$round.done" 300 &&
		wait_file "$tmpdir/cli.$round.done" 300
}

# save_all ENGINE: the four tables' save -c (one run), rule and policy
# lines, tables in name order (the two print them in different orders).
save_all() {
	if [ "$1" = nfgate ]; then
		nfg "$RTR" save -c
	else
		ip netns exec "$RTR" iptables-legacy-save -c
	fi | grep -E '^(\*|:|\[)' | sed -E 's/ (! )?-[io] \+( |$)/\2/' |
		awk '/^\*/ { t = $0 } { print t "\t" NR "\t" $0 }' |
		sort -t "$(printf '\t')" -k1,1 -k2,2n | cut -f3-
}

# stamp WHAT: the time of a step, for the first ruleset only.
stamp() {
	[ "$i" = 1 ] && echo "  $(date +%s.%N | cut -c1-14) $*"
}

# run ENGINE I: ruleset I through ENGINE; the outcome in $tmpdir/o.ENGINE.*
# Returns 1 if the engine refused the ruleset.
run() {
	local e=$1 i=$2 out

	if [ "$e" = nfgate ]; then
		ip netns exec "$RTR" iptables-legacy-restore <"$EMPTY" ||
			die "iptables-legacy-restore (flush) failed"
		out=$(nfg "$RTR" restore "$GEN/rules.$i" 2>&1)
	else
		nfg "$RTR" restore "$EMPTY" >/dev/null 2>&1 ||
			die "nfgate restore (flush) failed"
		out=$(ip netns exec "$RTR" iptables-legacy-restore <"$GEN/rules.$i" 2>&1)
	fi || {
		echo "$out" >"$tmpdir/o.$e.err"
		stamp "$e: refused"
		return 1
	}
	stamp "$e: loaded"
	ip netns exec "$RTR" conntrack -F >/dev/null 2>&1
	stamp "$e: conntrack flushed"
	# One CPU: the probes must cross the router in the order sent (an
	# nth rule counts them), and each CPU has its own backlog.
	out=$(ip netns exec "$CLI" taskset -c 0 "$HELPERS/nfg_inject" \
		<"$GEN/probes.$i") ||
		die "nfg_inject failed: $out"
	stamp "$e: sent"
	settle || log "ruleset $i, $e: traffic did not settle"
	stamp "$e: settled"
	capture_round || die "capture round $round did not end"
	stamp "$e: captured"
	cp "$tmpdir/srv.$round" "$tmpdir/o.$e.srv"
	cp "$tmpdir/cli.$round" "$tmpdir/o.$e.cli"
	rm -f "$tmpdir/srv.$round" "$tmpdir/cli.$round"
	save_all "$e" >"$tmpdir/o.$e.save"
	stamp "$e: saved"
	return 0
}

# probes_of I DIFF-FILE: the probe lines the differing records name.
probes_of() {
	local id

	grep -E '^[<>]' "$2" | awk '{ sub(/^e/, "", $2); print $2 }' |
		grep -E '^[0-9]+$' | sort -un | head -n 10 |
		while read -r id; do
			echo "  probe $id: $(sed -n "${id}p" "$GEN/probes.$1")"
		done
}

# mismatch I WHAT A B: report one difference of ruleset I.
mismatch() {
	local i=$1 what=$2

	fail "case ${labels[$i - 1]} (ruleset $i): $what differs, iptables-legacy (<) vs nfgate (>)"
	diff "$3" "$4" >"$tmpdir/d"
	head -n 40 "$tmpdir/d"
	[ "$what" = "save -c" ] || probes_of "$i" "$tmpdir/d"
	bad_rs=$((bad_rs + 1))
	[ $bad_rs -le 3 ] && { echo "  ruleset:"; sed 's/^/    /' "$GEN/rules.$i"; }
}

pairs=0
at_srv=0
at_cli=0
bad_rs=0
refused=0
n=${#labels[@]}
for ((i = 1; i <= n; i++)); do
	run iptables $i
	a=$?
	run nfgate $i
	b=$?
	if [ $a -ne 0 ] || [ $b -ne 0 ]; then
		if [ $a -ne 0 ] && [ $b -ne 0 ]; then
			log "case ${labels[$i - 1]}: refused by both: $(head -n 2 "$tmpdir/o.iptables.err" | tr '\n' ' ')"
			refused=$((refused + 1))
			continue
		fi
		fail "case ${labels[$i - 1]} (ruleset $i): refused by $([ $a -ne 0 ] && echo iptables-legacy || echo nfgate) only"
		sed 's/^/    /' "$tmpdir/o.$([ $a -ne 0 ] && echo iptables || echo nfgate).err"
		bad_rs=$((bad_rs + 1))
		[ $bad_rs -le 3 ] && sed 's/^/    /' "$GEN/rules.$i"
		continue
	fi
	ok=1
	for w in srv cli save; do
		if ! cmp -s "$tmpdir/o.iptables.$w" "$tmpdir/o.nfgate.$w"; then
			mismatch $i "$w" "$tmpdir/o.iptables.$w" "$tmpdir/o.nfgate.$w"
			ok=0
		fi
	done
	pairs=$((pairs + NPR))
	at_srv=$((at_srv + $(wc -l <"$tmpdir/o.nfgate.srv")))
	at_cli=$((at_cli + $(wc -l <"$tmpdir/o.nfgate.cli")))
	[ $ok = 1 ] && log "ok: case ${labels[$i - 1]}: $NPR probes," \
		"$(wc -l <"$tmpdir/o.nfgate.srv") at the server," \
		"$(wc -l <"$tmpdir/o.nfgate.cli") at the client," \
		"$(grep -c '^\[[1-9]' "$tmpdir/o.nfgate.save") rules counted"
done

log "compared $pairs (ruleset, probe) pairs of $n rulesets, $refused refused by both, $bad_rs with a mismatch; $at_srv packets arrived at the server, $at_cli at the client"
[ $pairs -gt 0 ] || fail "no ruleset compared"
# A harness that captures nothing would compare empty with empty.
[ $at_srv -gt 0 ] && [ $at_cli -gt 0 ] ||
	fail "nothing captured at the server or at the client: harness broken"
[ $refused -le $((n / 4)) ] || fail "$refused of $n rulesets refused by both: generator broken"
exit $ret
