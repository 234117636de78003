#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# churn_lib.sh: kernel memory accounting of the churn selftests
# (nfgate_churn*.sh), sourced after lib.sh.  "Kernel memory" is
# SUnreclaim + Percpu of /proc/meminfo: every slab object nfgate, the
# namespaces, their devices and conntrack allocate and cannot drop under
# pressure, plus per-cpu counters.  Slab pages are noisy (per-cpu slabs and
# partial lists hold freed objects, namespace cleanup runs later in the
# netns workqueue after RCU grace periods), so a reading is taken only
# once it has settled: sampled every second until three samples in a row
# lie within CHURN_SETTLE_KB of each other.  Documentation/testing.rst
# ("Churn") explains the tolerance.

CHURN_SETTLE_KB=${CHURN_SETTLE_KB:-48}
# Tolerance for "back at the baseline" (kB); NFGATE_CHURN_MEM_TOL_KB.
CHURN_MEM_TOL_KB=${NFGATE_CHURN_MEM_TOL_KB:-1024}

# mem_kb: SUnreclaim + Percpu now, in kB.
mem_kb() {
	awk '/^(SUnreclaim|Percpu):/ { s += $2 } END { print s }' /proc/meminfo
}

# mem_settled: mem_kb once it no longer moves (at most CHURN_SETTLE_MAX_S,
# default 60, seconds of waiting; then the last sample).
mem_settled() {
	local max=${CHURN_SETTLE_MAX_S:-60} a b c i

	a=$(mem_kb)
	sleep 1
	b=$(mem_kb)
	for ((i = 0; i < max; i++)); do
		sleep 1
		c=$(mem_kb)
		if [ $((a > b ? a - b : b - a)) -le "$CHURN_SETTLE_KB" ] &&
			[ $((b > c ? b - c : c - b)) -le "$CHURN_SETTLE_KB" ]; then
			break
		fi
		a=$b
		b=$c
	done
	echo "$c"
}

# mem_check WHAT BASELINE-KB: settle, print the bytes not returned since
# BASELINE-KB and record a failure beyond CHURN_MEM_TOL_KB.  Sets
# mem_not_returned (bytes, may be negative: more freed than the baseline).
# On the debug kernel the figure is printed, not judged: KASAN's
# quarantine still holds what was freed (lib.sh's debug_kernel).
mem_check() {
	local what=$1 base=$2 now

	now=$(mem_settled)
	mem_not_returned=$(((now - base) * 1024))
	log "memory $what: SUnreclaim+Percpu $base kB -> $now kB," \
		"bytes not returned: $mem_not_returned" \
		"(tolerance $((CHURN_MEM_TOL_KB * 1024)))"
	if debug_kernel; then
		log "debug kernel: not judged (KASAN's quarantine holds freed" \
			"objects; kmemleak judges leaks)"
		return
	fi
	[ $((now - base)) -le "$CHURN_MEM_TOL_KB" ] ||
		fail "$what: $((now - base)) kB of kernel memory not returned" \
			"(tolerance $CHURN_MEM_TOL_KB kB)"
}

# kernel_log_clean WHAT FIRST-LINE: no KERNEL_BAD line in dmesg after
# line FIRST-LINE (dmesg | wc -l taken at the start).
kernel_log_clean() {
	local bad

	bad=$(dmesg | tail -n +"$(($2 + 1))" | grep -E "$KERNEL_BAD")
	[ -z "$bad" ] || fail "$1: kernel log: $bad"
}
