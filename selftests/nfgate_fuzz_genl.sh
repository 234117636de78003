#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_fuzz_genl.sh: runs nl_fuzz (nl_fuzz.c), the seeded generic netlink
# fuzzer, for a short fixed-seed slice: generated and mutated requests on
# several sockets, transactions interleaved and killed, the ruleset model
# compared with the dumps.  Then the module must unload and load again and
# the kernel log since the start must be clean.  NFGATE_FUZZ_SEED,
# NFGATE_FUZZ_COUNT and NFGATE_FUZZ_SECONDS override the slice (`make fuzz`
# runs a long one through scripts/fuzz-genl).  Seeds that once found a bug
# are replayed first (REGRESSION_SEEDS).

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nl_fuzz
command -v rmmod >/dev/null || skip "rmmod (kmod) missing"

SEED=${NFGATE_FUZZ_SEED:-20261204}
COUNT=${NFGATE_FUZZ_COUNT:-100000}
SECONDS_MAX=${NFGATE_FUZZ_SECONDS:-0}
# "seed:count" of runs that once failed (see Documentation/testing.rst).
REGRESSION_SEEDS=()

dmesg_start=$(dmesg | wc -l)

fuzz() {
	local seed=$1 count=$2 secs=${3:-0} args

	args=(--seed "$seed" --count "$count")
	[ "$secs" -gt 0 ] && args+=(--seconds "$secs")
	log "nl_fuzz ${args[*]}"
	"$HELPERS/nl_fuzz" "${args[@]}" 2>&1 | sed 's/^/# /'
	return "${PIPESTATUS[0]}"
}

for rs in "${REGRESSION_SEEDS[@]}"; do
	fuzz "${rs%%:*}" "${rs##*:}" || fail "regression seed ${rs%%:*} failed"
done
fuzz "$SEED" "$COUNT" "$SECONDS_MAX" || fail "nl_fuzz --seed $SEED --count $COUNT failed"

trouble=$(dmesg | tail -n +$((dmesg_start + 1)) | grep -E "$KERNEL_BAD")
assert_eq "kernel log during the fuzzing" "" "$trouble"

log "-- rmmod and insmod"
rmmod nfgate
assert_eq "rmmod exit code" 0 "$?"
nfgate_loaded && fail "nfgate still in /proc/modules after rmmod"
nfgate_load
# the reloaded module works: a short run of another seed
fuzz $((SEED + 1)) 2000 || fail "nl_fuzz after reload failed"

trouble=$(dmesg | tail -n +$((dmesg_start + 1)) | grep -E "$KERNEL_BAD")
assert_eq "kernel log at the end" "" "$trouble"
exit $ret
