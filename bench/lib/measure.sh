# SPDX-License-Identifier: GPL-2.0
# bench/lib/measure.sh: how the benchmark measures and records: wall-clock
# timing of a command (bash's EPOCHREALTIME, no extra process), kernel memory
# snapshots, medians, progress lines, and the raw result records.
#
# Result records go to $BENCH_OUT/raw.tsv and, prefixed "BENCH-RESULT", to
# stdout as they are made (so a run cut short still leaves its numbers in the
# log): metric, tool, N, value, note.  Everything a command prints goes to
# $BENCH_OUT/commands.log.

bench_t0=${BENCH_T0:-${EPOCHREALTIME/./}}
export BENCH_T0=$bench_t0

progress() {
	local now=${EPOCHREALTIME/./} s
	s=$(((now - bench_t0) / 1000000))
	printf '[%02d:%02d] %s\n' $((s / 60)) $((s % 60)) "$*" >&2
}

# result METRIC TOOL N VALUE [NOTE]
result() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$BENCH_OUT/raw.tsv"
	printf 'BENCH-RESULT\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}"
}

# meta KEY VALUE: a fact about the run (machine, configuration)
meta() {
	printf '%s\t%s\n' "$1" "$2" >>"$BENCH_OUT/meta.tsv"
	printf 'BENCH-META\t%s\t%s\n' "$1" "$2"
}

us_to_s() {
	printf '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000))
}

# timed VAR CMD...: run CMD (output to the command log), set VAR to its
# wall-clock time in seconds; returns CMD's status.
timed() {
	local __var=$1 __s __e __rc
	shift
	echo "+ $*" >>"$BENCH_OUT/commands.log"
	__s=${EPOCHREALTIME/./}
	"$@" >>"$BENCH_OUT/commands.log" 2>&1
	__rc=$?
	__e=${EPOCHREALTIME/./}
	printf -v "$__var" '%s' "$(us_to_s $((__e - __s)))"
	[ $__rc -eq 0 ] || echo "  (exit status $__rc)" >>"$BENCH_OUT/commands.log"
	return $__rc
}

# timed_in VAR FILE CMD...: as timed, with CMD's standard input from FILE.
timed_in() {
	local __var=$1 __in=$2 __s __e __rc
	shift 2
	echo "+ $* < $__in" >>"$BENCH_OUT/commands.log"
	__s=${EPOCHREALTIME/./}
	"$@" <"$__in" >>"$BENCH_OUT/commands.log" 2>&1
	__rc=$?
	__e=${EPOCHREALTIME/./}
	printf -v "$__var" '%s' "$(us_to_s $((__e - __s)))"
	[ $__rc -eq 0 ] || echo "  (exit status $__rc)" >>"$BENCH_OUT/commands.log"
	return $__rc
}

median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Kernel memory that rules can take: unreclaimable slab (kmalloc, also the
# large kmalloc pages), per-CPU allocations (counters), vmalloc (kvmalloc'ed
# blobs).  Prints "slab percpu vmalloc" in bytes.
mem_snapshot() {
	awk '/^SUnreclaim:/ { s = $2 } /^Percpu:/ { p = $2 } /^VmallocUsed:/ { v = $2 }
		END { printf "%d %d %d\n", s * 1024, p * 1024, v * 1024 }' /proc/meminfo
}

# Let deferred frees (RCU callbacks, nf_tables' transaction work) finish.
mem_settle() {
	sleep 3
}
