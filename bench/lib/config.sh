# SPDX-License-Identifier: GPL-2.0
# bench/lib/config.sh: the benchmark's knobs, read once from the environment
# (BENCH_*), with the quick mode and the defaults in one place.  Sourced by
# bench/run.sh; bench/README.md documents every variable.

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	: "${BENCH_N:=1000}"
	: "${BENCH_TXNS:=100}"
	: "${BENCH_FWD_SECONDS:=2}"
	: "${BENCH_FWD_REPS:=1}"
	: "${BENCH_REPS:=1}"
else
	: "${BENCH_N:=1000 10000 100000}"
	: "${BENCH_TXNS:=1000}"
	: "${BENCH_FWD_SECONDS:=3}"
	: "${BENCH_FWD_REPS:=1}"
	# Process start-up in TCG varies by tens of ms: enough samples for a
	# median that one slow run does not move.
	: "${BENCH_REPS:=11}"
fi
# Which workloads run: "filter" (the FORWARD rules of the scale issue),
# "nat" (kube-proxy's nat table: services -> statistic -> DNAT, lib/natgen.sh)
# or "both" (filter first).
: "${BENCH_WORKLOAD:=both}"
# NAT workload: tool:N pairs not measured (e.g. "legacy:100000
# iptnft:100000", when a run must fit a time budget); recorded as skipped.
: "${BENCH_NAT_SKIP:=}"
# NAT workload: kube-proxy's full sync (the whole text of its chains through
# iptables-restore --noflush, one service changed) timed this many times
# per tool and N (alternately moving the endpoint and moving it back); 0
# leaves it out.
: "${BENCH_SYNC_REPS:=3}"
# NAT workload: conntrack's UDP timeout in the router (seconds) for the
# new-flow measurement, and the conntrack table's size (nf_conntrack_max).
: "${BENCH_NAT_CT_TIMEOUT:=1}"
: "${BENCH_NAT_CT_MAX:=2000000}"
# Tools, in the order they run (and appear in the tables).
: "${BENCH_TOOLS:=legacy iptnft nft nftmap nfgate}"
# The long-running-process measurement first runs BENCH_TXN_PROBE changes;
# when one change costs more than BENCH_TXN_MAX_CHANGE_S seconds or the full
# BENCH_TXNS run would take more than BENCH_TXN_MAX_RUN_S, a shorter run sized
# to take about BENCH_TXN_BUDGET_S (or the probe itself, if it took half of
# that) is timed and extrapolated.
: "${BENCH_TXN_PROBE:=2}"
: "${BENCH_TXN_MAX_CHANGE_S:=1}"
: "${BENCH_TXN_MAX_RUN_S:=120}"
: "${BENCH_TXN_BUDGET_S:=60}"
# One-change repetitions stop early once they have taken this long.
: "${BENCH_ONE_BUDGET_S:=30}"
# The forwarding rate search starts by offering this many packets/s.
: "${BENCH_FWD_START_PPS:=50}"
# Where everything is written inside the VM (a tmpfs).
: "${BENCH_OUT:=/tmp/nfgate-bench}"
# Skip the forwarding-rate part (pktgen) when 0.
: "${BENCH_FWD:=1}"
# bench.sh's VM mode: an -icount shift, or "off" (multi-threaded TCG).
: "${BENCH_ICOUNT:=off}"
# The no-rule forwarding rate right before every tool's point ("each") or
# only before the first tool and after the last ("ends").  With guest time
# counting instructions the no-rule rate does not drift: "ends" is enough.
if [ "$BENCH_ICOUNT" = off ]; then
	: "${BENCH_FWD_BASE:=each}"
else
	: "${BENCH_FWD_BASE:=ends}"
fi
# 1: a perf profile (cpu-clock, every CPU) of each forwarding point, its top
# symbols as BENCH-PERF lines (bench.sh keeps them in latest-perf.tsv).
: "${BENCH_PERF:=0}"
# ... only of points that forward at least this many packets/s.
: "${BENCH_PERF_MIN_PPS:=5000}"

export BENCH_N BENCH_TXNS BENCH_FWD_SECONDS BENCH_FWD_REPS BENCH_REPS BENCH_TOOLS \
	BENCH_TXN_PROBE BENCH_TXN_MAX_CHANGE_S BENCH_TXN_MAX_RUN_S \
	BENCH_TXN_BUDGET_S BENCH_ONE_BUDGET_S BENCH_FWD_START_PPS BENCH_OUT BENCH_FWD \
	BENCH_ICOUNT BENCH_FWD_BASE BENCH_PERF BENCH_PERF_MIN_PPS BENCH_WORKLOAD \
	BENCH_NAT_SKIP BENCH_NAT_CT_TIMEOUT BENCH_NAT_CT_MAX BENCH_SYNC_REPS

bench_config_check() {
	local n
	for n in $BENCH_N; do
		case "$n" in
		'' | *[!0-9]*) echo "bench: BENCH_N: '$n' is not a number" >&2; return 2 ;;
		esac
		# 198.18.0.0/15: offsets 1..N hold the loaded rules, offsets
		# 129001..131070 the services that come and go (lib/gen.sh).
		if [ "$n" -lt 2 ] || [ "$n" -gt 129000 ]; then
			echo "bench: BENCH_N: $n is outside 2..129000" >&2
			return 2
		fi
	done
	case "$BENCH_WORKLOAD" in
	filter | nat | both) ;;
	*) echo "bench: BENCH_WORKLOAD must be filter, nat or both" >&2; return 2 ;;
	esac
	case "$BENCH_FWD_BASE" in
	each | ends) ;;
	*) echo "bench: BENCH_FWD_BASE must be each or ends" >&2; return 2 ;;
	esac
	case "$BENCH_TXNS" in
	'' | *[!0-9]* | 0 | 1) echo "bench: BENCH_TXNS must be a number >= 2" >&2; return 2 ;;
	esac
	case "$BENCH_TXN_PROBE" in
	'' | *[!0-9]* | 0 | 1) echo "bench: BENCH_TXN_PROBE must be a number >= 2" >&2; return 2 ;;
	esac
	if [ $((BENCH_TXN_PROBE % 2)) -ne 0 ] || [ $((BENCH_TXNS % 2)) -ne 0 ]; then
		echo "bench: BENCH_TXNS and BENCH_TXN_PROBE must be even (add, then delete)" >&2
		return 2
	fi
	if [ "$BENCH_TXN_PROBE" -gt "$BENCH_TXNS" ]; then
		BENCH_TXN_PROBE=$BENCH_TXNS
	fi
	if [ "$BENCH_TXNS" -gt 2000 ]; then
		echo "bench: BENCH_TXNS must be <= 2000 (its services come from a pool of 1000)" >&2
		return 2
	fi
	return 0
}
