#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/bench.sh: the host side of `make bench`.  Boots the VM once
# (scripts/vm-run) to run bench/run.sh, keeps its whole output in
# build/bench.log, and rebuilds the results from the BENCH-RESULT/BENCH-META
# lines of that log into bench/results/ (latest.md, latest.tsv, latest.dat,
# latest.gp, latest.png for the filter workload; latest-nat.md and
# latest-nat.tsv for the NAT workload).  The VM's only writable channel to the host is
# vm-run's per-run exchange directory, which it deletes; the log is the
# robust way out, and a run cut short still leaves what it measured.
#
# Usage: bench/bench.sh [--log FILE]   (environment: BENCH_*, see README.md;
#                                       FILE gets the guest's stdout, FILE.progress
#                                       its stderr, shown live)
#        bench/bench.sh --report FILE  (only rebuild bench/results/ from a log)
#
# BENCH_ICOUNT (default 2): the VM runs with scripts/vm-run --icount
# BENCH_ICOUNT --smp 1; "off" gives the multi-threaded TCG with 2 vCPUs.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd -- "$here/.." && pwd -P)
log=$repo/build/bench.log
run_vm=1

while [ $# -gt 0 ]; do
	case "$1" in
	--log) log=$2; shift 2 ;;
	--report) log=$2; run_vm=0; shift 2 ;;
	-h | --help) sed -n '3,19p' "$0"; exit 0 ;;
	*) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

# Guest time counts instructions (scripts/vm-run --icount): what a run
# measures no longer depends on what else the host runs.  "off": the
# multi-threaded TCG with 2 vCPUs of earlier runs.
export BENCH_ICOUNT=${BENCH_ICOUNT:-2}
if [ "$BENCH_ICOUNT" = off ]; then
	vmopts=(--smp 2)
else
	vmopts=(--smp 1 --icount "$BENCH_ICOUNT")
fi

if [ $run_vm -eq 1 ]; then
	mkdir -p "$(dirname -- "$log")"
	envs=(-e "BENCH_HOST_CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo) ($(nproc) cores)")
	for name in $(compgen -e); do
		case "$name" in
		BENCH_*) envs+=(-e "$name=${!name}") ;;
		esac
	done
	if [ -z "${BENCH_QUICK:-}" ] || [ "${BENCH_QUICK}" = 0 ]; then
		timeout=${BENCH_VM_TIMEOUT:-5400}
	else
		timeout=${BENCH_VM_TIMEOUT:-1200}
	fi
	echo "bench: booting the VM; results to $log, progress also to $log.progress" >&2
	set +e
	{
		cd "$repo" && scripts/vm-run --timeout "$timeout" --mem "${BENCH_VM_MEM:-4G}" "${vmopts[@]}" \
			"${envs[@]}" -- bench/run.sh >"$log"
	} 2>&1 | tee "$log.progress" >&2
	rc=${PIPESTATUS[0]}
	set -e
	[ "$rc" -eq 0 ] || echo "bench: the VM run exited with status $rc; reporting what it measured" >&2
fi

[ -r "$log" ] || { echo "bench: no log $log" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the log is the guest's stdout: the records, the report, nothing else
grep -a '^BENCH-RESULT	' "$log" | cut -f2- >"$work/raw.tsv" || true
grep -a '^BENCH-META	' "$log" | cut -f2- >"$work/meta.tsv" || true
if [ ! -s "$work/raw.tsv" ]; then
	echo "bench: no results in $log" >&2
	exit 1
fi
out=${BENCH_RESULTS:-$here/results}
mkdir -p "$out"
python3 "$here/report.py" "$work" "$out"
# each workload's raw records next to its report; a workload that did not
# run leaves its files alone (BENCH_WORKLOAD=nat keeps the filter results)
if grep -qv '^\(nat_\|skipped\)' "$work/raw.tsv"; then
	grep -v '^nat_' "$work/raw.tsv" >"$out/latest.tsv"
fi
if grep -q '^nat_' "$work/raw.tsv"; then
	grep '^\(nat_\|skipped\)' "$work/raw.tsv" >"$out/latest-nat.tsv"
fi
# BENCH_PERF=1: the hottest symbols of every forwarding point
if grep -aq '^BENCH-PERF	fwd' "$log"; then
	grep -a '^BENCH-PERF	fwd' "$log" | cut -f2- >"$out/latest-perf.tsv"
elif grep -qv '^\(nat_\|skipped\)' "$work/raw.tsv"; then
	rm -f "$out/latest-perf.tsv"
fi
if grep -aq '^BENCH-PERF	nat_' "$log"; then
	grep -a '^BENCH-PERF	nat_' "$log" | cut -f2- >"$out/latest-nat-perf.tsv"
fi
echo "bench: results in ${out#"$repo"/}/ (latest.md and latest.png: filter workload; latest-nat.md: NAT workload)" >&2
