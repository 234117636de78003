#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_ordered_once.sh: a match with a side effect counts each packet
# once while writers move the classifier's keys under it.  A lookup that
# overlaps a renumber or a hash-table move runs again (the chain's
# seqcount); the residual rules it had evaluated must not run twice.
# The router's FORWARD chain starts with "-m nfacct --nfacct-name once"
# (an ordered kind, so a residual rule), then 20 indexed rules and an
# indexed ACCEPT for the flow, so the classifier serves the chain.  A
# UDP flow (nfg_flow, as fast as it goes) crosses the router while
# one "nfgate restore --noflush" runs single-rule transactions: inserts
# at position 2, right behind the nfacct rule, so that every new key
# halves a gap and gaps run out (a renumber), of rules of one tuple, so
# that its hash table grows and shrinks (bucket moves), then deletes.
# Afterwards the nfacct object must have counted exactly the packets the
# rule counted (a retry that ran the rule again counted one more), and
# that is every datagram sent.  The overlap is a race, which this flow
# and these writes make frequent: with the classifier before the change
# that added this test (the retry evaluating the rule again) the object
# was 3 and 5 packets ahead in two runs out of two; with the residual
# rules evaluated after the retry loop it cannot be.
#
# NFGATE_ORDERED_OPS changes the number of inserts (default 8000; as many
# deletes follow).

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_flow
command -v python3 >/dev/null || skip "python3 missing (the nfacct helper)"
modprobe nfnetlink_acct || skip "nfnetlink_acct missing"
topo_create

OPS=${NFGATE_ORDERED_OPS:-8000}
PORT=5001
R=$RTR

acct() {
	ip netns exec "$R" python3 -S -E "$SELFTESTS/nfg_acct.py" "$@"
}
acct add once || die "cannot create accounting object once"

{
	echo "*filter"
	echo ":FORWARD DROP [0:0]"
	echo "-A FORWARD -m nfacct --nfacct-name once"
	for ((i = 1; i <= 20; i++)); do
		echo "-A FORWARD -d 198.19.255.$i/32 -p udp -m udp --dport $((20000 + i)) -j DROP"
	done
	echo "-A FORWARD -s $CLI_IP/32 -d $SRV_IP/32 -p udp -m udp --dport $PORT -j ACCEPT"
	echo "COMMIT"
} >"$tmpdir/base.rules"
nfg_ok "$R" restore "$tmpdir/base.rules" || die "base ruleset"
base=$(ruleset "$R")

# rule(i): one tuple (/32 destination, udp, port), never the flow's.
awk -v ops="$OPS" '
	function rule(i) {
		return sprintf("-d 198.18.%d.%d/32 -p udp -m udp --dport %d -j DROP",
			       int(i / 250) % 250, i % 250 + 1, 30000 + i % 30000)
	}
	BEGIN {
		for (i = 0; i < ops; i++)
			print "*filter\n-I FORWARD 2 " rule(i) "\nCOMMIT"
		for (i = 0; i < ops; i++)
			print "*filter\n-D FORWARD " rule(i) "\nCOMMIT"
	}' >"$tmpdir/churn.rules"

flow_start -i 20
sleep 0.5

t0=$SECONDS
out=$(nfg "$R" restore --noflush "$tmpdir/churn.rules" 2>&1)
rc=$?
log "$((2 * OPS)) transactions -> $rc in $((SECONDS - t0))s${out:+: $out}"
assert_eq "churn restore exit code" 0 "$rc"
flow_stop
[ "${flow_sent:-0}" -gt 500 ] || fail "only ${flow_sent:-0} datagrams sent: the flow did not run"
assert_eq "datagrams duplicated" 0 "$flow_dups"

saved=$(nfg "$R" save -c)
rule_pkts=$(echo "$saved" | grep -e '-m nfacct' | sed -n 's/^\[\([0-9]*\):.*/\1/p')
read -r acct_pkts _ <<<"$(acct zero once)"
log "nfacct rule counted $rule_pkts packets, the object $acct_pkts"
assert_eq "the nfacct rule's counter: every datagram once" "$flow_sent" "$rule_pkts"
assert_eq "nfacct object = its rule's counter (each packet once)" \
	"$rule_pkts" "$acct_pkts"
assert_eq "ruleset after the churn" "$base" "$(ruleset "$R")"

exit $ret
