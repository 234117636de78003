#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_churn_writers.sh: concurrent writers with generation checks end
# where a serial replay ends.  In namespace C, WRITERS processes
# (nl_writers) each commit TXNS transactions of 1..3 inserts/deletes by
# position to the user chain CHURN, each transaction computed from the
# chain as read at generation G and opened with TXN_BEGIN GENERATION=G
# (refused with ESTALE once another writer has committed: retried).  Then:
#  - the generations the commits produced are exactly G0+1 .. G0+W*T, each
#    once (no commit lost, none applied twice, strictly serialized);
#  - replaying the logged transactions in generation order, one
#    "nfgate restore --noflush" block each, in a fresh namespace R gives the
#    same "nfgate save" as C (position-based operations only land on the
#    same rules if each saw exactly the ruleset of its generation);
#  - the writers met contention (stale or busy answers), or the test
#    proves nothing;
#  - kernel memory is back at its baseline after both namespaces are gone
#    (churn_lib.sh), and the kernel log is clean.
#
# NFGATE_CHURN_WRITERS (4), NFGATE_CHURN_TXNS (transactions per writer,
# 400), NFGATE_CHURN_SEED (1).

source "$(dirname -- "$0")/lib.sh"
source "$(dirname -- "$0")/churn_lib.sh"
require_env
require_helper nl_writers

W=${NFGATE_CHURN_WRITERS:-4}
T=${NFGATE_CHURN_TXNS:-400}
SEED=${NFGATE_CHURN_SEED:-1}
C=$NS_TAG-c
R=$NS_TAG-r
dmesg_start=$(dmesg | wc -l)

# Warm-up: the first namespace, chain and transactions allocate things
# that stay (per-cpu slabs, the nfgate_rule cache's first pages, sysctl
# tables): a small round first, then the baseline.
ns_create "$C"
nfg_ok "$C" -N CHURN
mkdir "$tmpdir/warm"
ip netns exec "$C" "$HELPERS/nl_writers" "$W" 20 "$tmpdir/warm" "$SEED" >/dev/null ||
	fail "warm-up writers"
ip netns del "$C"
base_mem=$(mem_settled)

ns_create "$C"
ns_create "$R"
for ns in "$C" "$R"; do
	nfg_ok "$ns" -N CHURN
	nfg_ok "$ns" -A INPUT -p tcp -j CHURN
done

log "-- $W writers x $T transactions (seed $SEED)"
t0=$SECONDS
ip netns exec "$C" "$HELPERS/nl_writers" "$W" "$T" "$tmpdir" "$SEED" \
	>"$tmpdir/writers.out" 2>&1
rc=$?
secs=$((SECONDS - t0))
sed 's/^/	/' "$tmpdir/writers.out"
assert_eq "nl_writers exit code" 0 "$rc"
sort -n -k1,1 "$tmpdir"/writer.* >"$tmpdir/log"
n=$(wc -l <"$tmpdir/log")
assert_eq "committed transactions" $((W * T)) "$n"
stats=$(awk '/^writer/ { c += $4; r += $6; s += $8; b += $10; x += $12 }
	END { print c, r, s, b, x }' "$tmpdir/writers.out")
read -r committed stale_read stale_begin busy stale_commit <<<"$stats"
log "$committed commits in ${secs}s; retries: stale reads $stale_read," \
	"stale BEGIN $stale_begin, busy BEGIN $busy, stale COMMIT $stale_commit"
[ $((stale_read + stale_begin + busy + stale_commit)) -gt 0 ] ||
	fail "the writers never met: no stale or busy answer"

# Generations: consecutive from the first one, each produced once.
first=$(head -n 1 "$tmpdir/log" | cut -f1)
gaps=$(awk -v g="$first" '$1 != g++ { print "at line " NR ": " $1; exit }' \
	"$tmpdir/log")
assert_eq "generations consecutive and unique" "" "$gaps"

log "-- serial replay in generation order"
awk -F'\t' '{
	print "*filter"
	n = split($4, ops, ";")
	for (i = 1; i <= n; i++)
		print ops[i]
	print "COMMIT"
}' "$tmpdir/log" >"$tmpdir/replay.rules"
t0=$SECONDS
out=$(nfg "$R" restore --noflush "$tmpdir/replay.rules" 2>&1)
assert_eq "replay exit code" 0 "$?" || echo "$out" | head -n 5
log "replayed $n transactions in $((SECONDS - t0))s"
concurrent=$(ruleset "$C")
serial=$(ruleset "$R")
assert_eq "rules in CHURN (concurrent = serial)" \
	"$(echo "$serial" | grep -c '^-A CHURN')" \
	"$(echo "$concurrent" | grep -c '^-A CHURN')"
assert_eq "concurrent ruleset = serial replay" "$serial" "$concurrent" ||
	show_diff "$serial" "$concurrent"

ip netns del "$C"
ip netns del "$R"
mem_check "after $((W * T)) transactions and both namespaces deleted" "$base_mem"
kernel_log_clean "writers" "$dmesg_start"
exit $ret
