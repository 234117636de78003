#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_txn_memory.sh: one open transaction cannot make the kernel hold
# memory without bound.  The module is reloaded with max_rules=1000 and
# max_user_chains=16; then, each in ONE open transaction (txn_churn.c,
# raw netlink in batches of 512 messages):
#  - OPS alternating NEWRULE / DELRULE of the same rule in filter INPUT,
#    then commit;
#  - OPS alternating NEWCHAIN / DELCHAIN of one user chain, then abort;
#  - OPS alternating SETPOLICY INPUT DROP / ACCEPT, then commit.
# While the transaction is still open, SUnreclaim + Percpu of /proc/meminfo
# may have grown by less than MAX_GROWTH_KB (1000 rules cost about 400 KiB;
# without a bound each operation kept ~400 B, 200000 of them ~80 MiB),
# unless the loop was refused with an extack message naming a limit.
# Afterwards the ruleset is exactly as before.  A full replacement of
# 1000 rules (restore, the old ones deleted in the same transaction) must
# still fit under max_rules=1000.
#
# OPS is 200000; the loop also stops after LOOP_SECS (TCG is slow) and the
# test prints how many operations it sent and how long that took: what
# matters is that the memory does not grow with the count.
# On the debug kernel (lib.sh's debug_kernel) the loop is several times
# slower and KASAN's quarantine keeps freed objects: it must send at least
# DEBUG_MIN_OPS, and the growth is printed, not judged; the ruleset
# checks and kmemleak stay.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper txn_churn

OPS=${NFGATE_TXN_MEMORY_OPS:-200000}
LOOP_SECS=60
MAX_GROWTH_KB=2048
DEBUG_MIN_OPS=10000
PARAMS=/sys/module/nfgate/parameters

# Other tests expect the defaults: put them back whatever happens.
old_rules=$(cat $PARAMS/max_rules)
old_chains=$(cat $PARAMS/max_user_chains)
restore_params() {
	echo "$old_rules" >$PARAMS/max_rules
	echo "$old_chains" >$PARAMS/max_user_chains
	cleanup
}
trap restore_params EXIT

rmmod nfgate || die "rmmod nfgate"
nfgate_insmod max_rules=1000 max_user_chains=16 ||
	die "insmod $NFGATE_KO max_rules=1000 max_user_chains=16"
assert_eq "max_rules" 1000 "$(cat $PARAMS/max_rules)"

S=$NS_TAG-m
ns_create "$S"
nfg_ok "$S" -N KEEP
nfg_ok "$S" -A KEEP -p icmp -j ACCEPT
nfg_ok "$S" -A INPUT -s 203.0.113.1 -j KEEP
nfg_ok "$S" -A INPUT -p tcp --dport 22 -j ACCEPT
before=$(ruleset "$S")

# field OUT NAME: the value(s) of line "NAME ..." of txn_churn's output.
field() {
	echo "$1" | sed -n "s/^$2 //p"
}

# churn KIND END: run txn_churn in $S, judge memory and the answer of END.
churn() {
	local kind=$1 end=$2 out ops refused growth

	log "-- $kind: $OPS alternating operations in one transaction, then $end"
	out=$(ip netns exec "$S" "$HELPERS/txn_churn" "$kind" "$OPS" \
		"$LOOP_SECS" "$end" 2>&1)
	echo "$out" | sed 's/^/	/'
	ops=$(field "$out" ops)
	refused=$(field "$out" refused)
	[ -n "$ops" ] || { fail "$kind: txn_churn failed: $out"; return; }
	growth=$(($(field "$out" mem_during_kb) - $(field "$out" mem_before_kb)))
	log "$kind: $ops operations in $(field "$out" loop_ms) ms," \
		"$refused refused, SUnreclaim+Percpu grew by $growth kB" \
		"(limit $MAX_GROWTH_KB kB)"
	if [ "$refused" != 0 ]; then
		# Refusing is allowed, but only with a clear reason.
		assert_match "$kind: reason of the refusal" \
			'limit|memory|too many' "$(field "$out" first_error)"
	elif debug_kernel; then
		[ "$ops" -ge "$DEBUG_MIN_OPS" ] ||
			fail "$kind: $ops operations sent, fewer than $DEBUG_MIN_OPS"
	else
		assert_eq "$kind: every operation sent" "$OPS" "$ops"
	fi
	if debug_kernel; then
		log "debug kernel: growth not judged (KASAN's quarantine)"
	elif [ "$growth" -ge "$MAX_GROWTH_KB" ]; then
		fail "$kind: kernel memory grew by $growth kB in one open" \
			"transaction of $ops operations (limit $MAX_GROWTH_KB kB)"
	fi
	if [ "$refused" = 0 ]; then
		assert_match "$kind: $end answer" "^$end 0 " "$(field "$out" end)"
	fi
	assert_eq "$kind: ruleset after $end" "$before" "$(ruleset "$S")"
}

churn rule commit
churn chain abort
churn policy commit

log "-- a restore replacing 1000 rules still fits under max_rules=1000"
{
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	for i in $(seq 1 1000); do
		echo "-A FORWARD -s 198.18.$((i / 250)).$((i % 250 + 1)) -j DROP"
	done
	echo "COMMIT"
} >"$tmpdir/1000.rules"
nfg_ok "$S" restore "$tmpdir/1000.rules"
nfg_ok "$S" restore "$tmpdir/1000.rules"
assert_eq "FORWARD rules after two restores" 1000 \
	"$(nfg "$S" -S FORWARD | grep -c '^-A ')"
out=$(nfg "$S" -A FORWARD -j DROP 2>&1)
assert_eq "rule 1001 refused" 1 "$?"
assert_match "rule 1001: the limit" "limit" "$out"

exit $ret
