#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh: the benchmark, run INSIDE the VM as root from the repo root
# (scripts/vm-run -- bench/run.sh; bench/bench.sh does that and collects the
# results on the host).  Compares nfgate with iptables-legacy, iptables-nft,
# nft with plain rules and nft with a verdict map on kube-proxy-shaped rules
# at each N of BENCH_N: bulk load, one change per CLI invocation, BENCH_TXNS
# single-change transactions through one long-running process, forwarding
# rate (pktgen) with the traffic aimed at the last rule, kernel memory per
# rule.  One tool at a time; each is torn down (tables deleted, modules
# unloaded) before the next.
#
# A benchmark, not a test: it never fails on a number.  It exits non-zero
# only when the harness itself cannot run (not in the VM, topology failure).
# Progress goes to stderr; results to stdout as BENCH-RESULT/BENCH-META lines
# as they are made, then the report (bench/report.py) between
# "===== BENCH latest.md BEGIN/END =====" markers.  Files: $BENCH_OUT.
# bench/README.md describes the method and every BENCH_* variable.

set -u

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
: "${NFGATE_REPO:=$(cd -- "$here/.." && pwd -P)}"
export NFGATE_REPO

# shellcheck source=lib/config.sh
. "$here/lib/config.sh"
# shellcheck source=lib/measure.sh
. "$here/lib/measure.sh"
# shellcheck source=lib/gen.sh
. "$here/lib/gen.sh"
# shellcheck source=lib/natgen.sh
. "$here/lib/natgen.sh"
# shellcheck source=lib/topo.sh
. "$here/lib/topo.sh"
# shellcheck source=lib/fwd.sh
. "$here/lib/fwd.sh"
for f in "$here"/lib/tools/*.sh; do
	# shellcheck disable=SC1090
	. "$f"
done

log() { echo "$*" >>"$BENCH_OUT/commands.log"; }

# ---------------------------------------------------------------------------
# Inner stage: inside the router namespace, where every rule lives.

max_n() { printf '%s\n' $BENCH_N | sort -n | tail -n 1; }

# fwd_point TOOL N SVC [METRIC]: the forwarding rate toward service SVC
# (lib/fwd.sh), recorded as METRIC (fwd_pps; fwd_base for the no-rule
# rate taken just before TOOL's point at N).
fwd_point() {
	local tool=$1 n=$2 svc=$3 metric=${4:-fwd_pps} out what=forwarding
	[ "$BENCH_FWD" = 1 ] || return 0
	[ "$metric" = fwd_base ] && what="forwarding with no rules (baseline)"
	if out=$(fwd_rate "$(svc_ip "$svc")" "$(svc_port "$svc")") && [ -n "$out" ]; then
		result "$metric" "$tool" "$n" "${out%% *}" "offered:arrived ${out#* }"
		progress "  $what: ${out%% *} packets/s (offered:arrived ${out#* })"
		if [ "$BENCH_PERF" = 1 ]; then
			fwd_profile "$metric" "$tool" "$n" "${out%% *}"
		fi
	else
		result "$metric" "$tool" "$n" "" "pktgen measurement failed"
		progress "  $what: measurement failed"
		return 1
	fi
}

# failed WHAT: say so, with the end of the command log.
failed() {
	progress "  $1 failed; end of the command log:"
	tail -n 6 "$BENCH_OUT/commands.log" | sed 's/^/    | /' >&2
}

# Anything a tool left behind would stack on the hook path of the next one.
ensure_clean() {
	local m
	if [ -n "$(nft list tables 2>/dev/null)" ]; then
		progress "  warning: nf_tables tables left behind; flushing the ruleset"
		nft flush ruleset
	fi
	for m in iptable_filter iptable_nat nfgate; do
		if grep -q "^$m " /proc/modules; then
			progress "  warning: module $m still loaded; removing it"
			rmmod "$m" >>"$BENCH_OUT/commands.log" 2>&1
		fi
	done
}

# txn_run_k TOOL K VAR: K changes through one long-lived process.
txn_run_k() {
	"${1}_txn_prepare" "$2" "$BENCH_OUT/stream" >>"$BENCH_OUT/commands.log" 2>&1 &&
		"${1}_txn_run" "$3" "$BENCH_OUT/stream"
}

# txn_point TOOL N: BENCH_TXNS single changes through one long-lived process
# (a probe first; extrapolated from a shorter run when too slow, see
# lib/config.sh).
txn_point() {
	local t=$1 n=$2 p=$BENCH_TXN_PROBE secs per k note=
	if ! txn_run_k "$t" "$p" secs; then
		result txn_s "$t" "$n" "" "failed"
		failed "$BENCH_TXNS transactions"
		return 1
	fi
	k=$p
	if [ "$p" -lt "$BENCH_TXNS" ]; then
		per=$(awk -v s="$secs" -v p="$p" 'BEGIN { printf "%.6f", s / p }')
		k=$(awk -v per="$per" -v s="$secs" -v t="$BENCH_TXNS" -v p="$p" \
			-v maxc="$BENCH_TXN_MAX_CHANGE_S" -v maxr="$BENCH_TXN_MAX_RUN_S" \
			-v b="$BENCH_TXN_BUDGET_S" 'BEGIN {
			if (per <= maxc && per * t <= maxr) { print t; exit }
			if (s >= b / 2) { print p; exit }
			k = int(b / per / 2) * 2
			print (k < p ? p : (k > t ? t : k)) }')
		progress "  $BENCH_TXNS transactions: $p took ${secs}s; running $k"
		if [ "$k" -gt "$p" ] && ! txn_run_k "$t" "$k" secs; then
			result txn_s "$t" "$n" "" "failed"
			failed "$BENCH_TXNS transactions"
			return 1
		fi
	fi
	if [ "$k" -lt "$BENCH_TXNS" ]; then
		note="measured $k of $BENCH_TXNS, extrapolated"
		secs=$(awk -v s="$secs" -v k="$k" -v t="$BENCH_TXNS" 'BEGIN { printf "%.6f", s * t / k }')
	fi
	result txn_s "$t" "$n" "$secs" "$note"
	progress "  $BENCH_TXNS transactions: ${secs}s${note:+ ($note)}"
}

# one_point TOOL N: one untimed add and delete (the first invocation after
# the forwarding runs pays for page cache and dentry misses of the tool's
# binary and libraries over 9p, up to 3x a warm run), then BENCH_REPS times
# (fewer once BENCH_ONE_BUDGET_S is spent) add one rule, delete it by its
# spec.
one_point() {
	local t=$1 n=$2 r svc secs adds=() dels=() fail= spent=0
	"${t}_add1" secs "$BENCH_POOL_ONE" && "${t}_del1" secs "$BENCH_POOL_ONE"
	for ((r = 0; r < BENCH_REPS; r++)); do
		svc=$((BENCH_POOL_ONE + r))
		if "${t}_add1" secs "$svc"; then adds+=("$secs"); else fail=1; fi
		spent=$(awk -v a="$spent" -v b="$secs" 'BEGIN { print a + b }')
		if "${t}_del1" secs "$svc"; then dels+=("$secs"); else fail=1; fi
		spent=$(awk -v a="$spent" -v b="$secs" 'BEGIN { print a + b }')
		[ -n "$fail" ] && break
		awk -v s="$spent" -v b="$BENCH_ONE_BUDGET_S" 'BEGIN { exit !(s > b) }' && break
	done
	if [ -n "$fail" ]; then
		result add1_s "$t" "$n" "" "failed"
		result del1_s "$t" "$n" "" "failed"
		failed "one change"
		return 1
	fi
	result add1_s "$t" "$n" "$(median "${adds[@]}")" "median of ${#adds[@]}: ${adds[*]}"
	result del1_s "$t" "$n" "$(median "${dels[@]}")" "median of ${#dels[@]}: ${dels[*]}"
	progress "  one change: add $(median "${adds[@]}")s, delete $(median "${dels[@]}")s"
}

# load_point TOOL N PREFIX LOAD MEM: the tool's set-up (TOOL PREFIX _setup),
# its bulk load of $BENCH_OUT/rules/N recorded as LOAD, and the kernel memory
# it took, per rule or service, as MEM.  1 (torn down) if either failed.
load_point() {
	local t=$1 n=$2 p=$3 load=$4 mem=$5 secs m0 m1

	if ! "${t}${p}_setup" >>"$BENCH_OUT/commands.log" 2>&1; then
		result "$load" "$t" "$n" "" "setup failed"
		failed setup
		"${t}${p}_teardown" >>"$BENCH_OUT/commands.log" 2>&1
		ensure_clean
		return 1
	fi
	mem_settle
	m0=$(mem_snapshot)
	if ! "${t}${p}_load" secs "$BENCH_OUT/rules/$n"; then
		result "$load" "$t" "$n" "" "load failed"
		failed "bulk load"
		"${t}${p}_teardown" >>"$BENCH_OUT/commands.log" 2>&1
		ensure_clean
		return 1
	fi
	result "$load" "$t" "$n" "$secs"
	progress "  bulk load: ${secs}s"
	mem_settle
	m1=$(mem_snapshot)
	# shellcheck disable=SC2086
	set -- $m0 $m1
	result "$mem" "$t" "$n" \
		"$(awk -v n="$n" -v a="$(($4 + $5 + $6 - $1 - $2 - $3))" 'BEGIN { printf "%.1f", a / n }')" \
		"slab $(($4 - $1)), percpu $(($5 - $2)), vmalloc $(($6 - $3)) bytes"
	progress "  kernel memory: slab $(($4 - $1)) percpu $(($5 - $2)) vmalloc $(($6 - $3)) bytes"
}

# tool_point TOOL N: every measurement of one tool at one N.
tool_point() {
	local t=$1 n=$2 cnt want
	local label_var=${t}_label
	progress "${!label_var}, N=$n"
	log "### $t N=$n"
	# The no-rule rate right before this point, no tool loaded: without
	# -icount the host's speed drifts during a run (one run measured
	# 47,200 pps with no rules before the first tool and 66,851 after the
	# last), so every rate is also compared with its own baseline.
	if [ "$BENCH_FWD_BASE" = each ]; then
		fwd_point "$t" "$n" "$n" fwd_base
	fi
	load_point "$t" "$n" "" load_s mem_bpr || return 1

	want=$n
	fwd_point "$t" "$n" "$n"
	one_point "$t" "$n"
	txn_point "$t" "$n"

	# the load and every change stream leave exactly N rules
	cnt=$("${t}_count" "$n" 2>>"$BENCH_OUT/commands.log")
	if [ "$cnt" != "$want" ]; then
		progress "  warning: $cnt rules at the end, expected $want"
		result check "$t" "$n" "$cnt" "rules at the end, expected $want"
	fi
	"${t}_teardown" >>"$BENCH_OUT/commands.log" 2>&1
	ensure_clean
}

# ---------------------------------------------------------------------------
# The NAT workload (BENCH_WORKLOAD=nat|both; lib/natgen.sh): kube-proxy's
# nat table at N services, per tool: memory per service, bulk load, the
# rate of new flows through the router, one service added and removed.

# Conntrack entries of the previous point's new flows would be freed (or
# still counted) during the next point's memory measurement: flush them.
nat_ct_flush() {
	conntrack -F >>"$BENCH_OUT/commands.log" 2>&1 || true
}

# nat_fwd_point TOOL N: the rate of new flows (fwd_newflows) toward the last
# service, N, whose three endpoints the server black-holes.
nat_fwd_point() {
	local t=$1 n=$2 out
	[ "$BENCH_FWD" = 1 ] || return 0
	fwd_newflows on || return 1
	if out=$(fwd_rate "$(svc_ip "$n")" "$(svc_port "$n")") && [ -n "$out" ]; then
		result nat_fwd_pps "$t" "$n" "${out%% *}" "offered:arrived ${out#* }"
		progress "  new flows: ${out%% *} packets/s (offered:arrived ${out#* })"
		if [ "$BENCH_PERF" = 1 ]; then
			fwd_profile nat_fwd_pps "$t" "$n" "${out%% *}"
		fi
	else
		result nat_fwd_pps "$t" "$n" "" "pktgen measurement failed"
		progress "  new flows: measurement failed"
	fi
	fwd_newflows off
	nat_ct_flush
}

# nat_one_point TOOL N: one service (4 chains, 10 rules) added in one
# transaction through the tool's CLI, then removed in one; an untimed
# warm-up pair first, then BENCH_REPS pairs (fewer past BENCH_ONE_BUDGET_S),
# medians.
nat_one_point() {
	local t=$1 n=$2 r svc secs adds=() dels=() fail= spent=0 kind_var=${1}_nat_change_kind
	local add=$BENCH_OUT/nat-add del=$BENCH_OUT/nat-del
	nat_change "${!kind_var}" add "$BENCH_POOL_ONE" >"$add" &&
		nat_change "${!kind_var}" del "$BENCH_POOL_ONE" >"$del" &&
		"${t}_nat_change" secs "$add" && "${t}_nat_change" secs "$del"
	for ((r = 1; r <= BENCH_REPS; r++)); do
		svc=$((BENCH_POOL_ONE + r))
		nat_change "${!kind_var}" add "$svc" >"$add"
		nat_change "${!kind_var}" del "$svc" >"$del"
		if "${t}_nat_change" secs "$add"; then adds+=("$secs"); else fail=1; fi
		spent=$(awk -v a="$spent" -v b="$secs" 'BEGIN { print a + b }')
		if "${t}_nat_change" secs "$del"; then dels+=("$secs"); else fail=1; fi
		spent=$(awk -v a="$spent" -v b="$secs" 'BEGIN { print a + b }')
		[ -n "$fail" ] && break
		awk -v s="$spent" -v b="$BENCH_ONE_BUDGET_S" 'BEGIN { exit !(s > b) }' && break
	done
	if [ -n "$fail" ]; then
		result nat_add_s "$t" "$n" "" "failed"
		result nat_del_s "$t" "$n" "" "failed"
		failed "one service change"
		return 1
	fi
	result nat_add_s "$t" "$n" "$(median "${adds[@]}")" "median of ${#adds[@]}: ${adds[*]}"
	result nat_del_s "$t" "$n" "$(median "${dels[@]}")" "median of ${#dels[@]}: ${dels[*]}"
	progress "  one service: add $(median "${adds[@]}")s, remove $(median "${dels[@]}")s"
}

# nat_sync_point TOOL N: kube-proxy's full sync (lib/natgen.sh gen_nat_sync):
# the whole text of its N services' chains through the tool's
# iptables-restore --noflush, one service's endpoint moved, then moved back,
# BENCH_SYNC_REPS times in all; the median.  Tools without <id>_nat_sync
# (nft's map: kube-proxy's nftables mode syncs by difference) are left out.
# For nfgate, also the operations the sync committed (from its monitor, in
# one extra untimed sync): the kernel's share, which should not grow with N.
nat_sync_point() {
	local t=$1 n=$2 r f secs times=() fwd=$BENCH_OUT/nat-sync-fwd back=$BENCH_OUT/nat-sync-back
	local o=$(($2 / 2)) ops
	[ "$BENCH_SYNC_REPS" -gt 0 ] && declare -F "${t}_nat_sync" >/dev/null || return 0
	gen_nat_sync "$n" "$o" "$fwd" && gen_nat_sync "$n" "$o" "$back" back || return 1
	for ((r = 1; r <= BENCH_SYNC_REPS; r++)); do
		f=$fwd
		((r % 2 == 0)) && f=$back
		if ! "${t}_nat_sync" secs "$f"; then
			result nat_sync_s "$t" "$n" "" "failed"
			failed "full sync"
			return 1
		fi
		times+=("$secs")
	done
	result nat_sync_s "$t" "$n" "$(median "${times[@]}")" "median of ${#times[@]}: ${times[*]}"
	progress "  full sync: $(median "${times[@]}")s"
	if declare -F "${t}_nat_sync_ops" >/dev/null; then
		f=$fwd
		((BENCH_SYNC_REPS % 2 == 1)) && f=$back
		if ops=$("${t}_nat_sync_ops" "$f") && [ -n "$ops" ]; then
			result nat_sync_ops "$t" "$n" "$ops" "operations committed by one full sync"
			progress "  full sync: $ops operations committed"
		fi
	fi
}

# nat_point TOOL N: every NAT measurement of one tool at one N.
nat_point() {
	local t=$1 n=$2 cnt
	local label_var=${t}_label
	progress "${!label_var}, NAT, N=$n services"
	log "### $t NAT N=$n"
	nat_ct_flush
	load_point "$t" "$n" _nat nat_load_s nat_mem_bps || return 1

	nat_fwd_point "$t" "$n"
	nat_one_point "$t" "$n"
	nat_sync_point "$t" "$n"

	cnt=$("${t}_nat_count" "$n" 2>>"$BENCH_OUT/commands.log")
	if [ "$cnt" != "$n" ]; then
		progress "  warning: $cnt services at the end, expected $n"
		result nat_check "$t" "$n" "$cnt" "services at the end, expected $n"
	fi
	"${t}_nat_teardown" >>"$BENCH_OUT/commands.log" 2>&1
	ensure_clean
}

# tool_ok TOOL: known, installed (a skipped record otherwise).
tool_ok() {
	local t=$1 why label_var=${1}_label
	if ! declare -F "${t}_setup" >/dev/null; then
		progress "unknown tool '$t' (BENCH_TOOLS); skipped"
		return 1
	fi
	if ! why=$("${t}_available"); then
		why=${why:-not installed}
		progress "${!label_var}: skipped ($why)"
		result skipped "$t" 0 "" "$why"
		return 1
	fi
}

inner_nat() {
	local t n label_var
	sysctl -qw net.netfilter.nf_conntrack_udp_timeout="$BENCH_NAT_CT_TIMEOUT" ||
		progress "warning: cannot set nf_conntrack_udp_timeout in the router"
	for t in $BENCH_TOOLS; do
		label_var=${t}_label
		if ! declare -F "${t}_nat_setup" >/dev/null; then
			# nft with plain rules: kube-proxy's nftables mode is the map
			progress "${!label_var:-$t}: not part of the NAT workload"
			continue
		fi
		tool_ok "$t" || continue
		for n in $BENCH_N; do
			case " $BENCH_NAT_SKIP " in
			*" $t:$n "*)
				progress "${!label_var}, NAT, N=$n: skipped (BENCH_NAT_SKIP)"
				result nat_skipped "$t" "$n" "" "BENCH_NAT_SKIP"
				continue
				;;
			esac
			nat_point "$t" "$n"
		done
	done
}

inner() {
	if [ "$BENCH_FWD" = 1 ] && ! fwd_anchor start; then
		BENCH_FWD=0
	fi
	ensure_clean
	if [ "$BENCH_WORKLOAD" != nat ]; then
		inner_filter
	fi
	if [ "$BENCH_WORKLOAD" != filter ]; then
		inner_nat
	fi
	fwd_anchor stop
}

inner_filter() {
	local t n
	progress "forwarding with no rules (before the tools)"
	fwd_point none 0 "$(max_n)"
	for t in $BENCH_TOOLS; do
		tool_ok "$t" || continue
		for n in $BENCH_N; do
			tool_point "$t" "$n"
		done
	done
	progress "forwarding with no rules (after the tools)"
	fwd_point none 0 "$(max_n)"
}

# ---------------------------------------------------------------------------
# Outer stage: the VM's initial namespace.

outer() {
	local n t how rc
	if [ "${NFGATE_VM:-}" != 1 ]; then
		echo "bench/run.sh: runs only inside the VM: scripts/vm-run -- bench/run.sh (or bench/bench.sh)" >&2
		exit 2
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "bench/run.sh: needs root" >&2
		exit 2
	fi
	bench_config_check || exit 2

	rm -rf "$BENCH_OUT"
	mkdir -p "$BENCH_OUT/rules" "$BENCH_OUT/results"
	: >"$BENCH_OUT/raw.tsv"
	: >"$BENCH_OUT/meta.tsv"
	: >"$BENCH_OUT/commands.log"

	meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
	meta nproc "$(nproc)"
	meta cpu "$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	meta host_cpu "${BENCH_HOST_CPU:-unknown}"
	meta kernel "$(cat /proc/sys/kernel/osrelease)"
	meta memory "$(awk '/^MemTotal:/ { printf "%d MiB", $2 / 1024 }' /proc/meminfo)"
	if [ "$BENCH_ICOUNT" = off ]; then
		meta virt "QEMU TCG (scripts/vm-run)"
	else
		meta virt "QEMU TCG with -icount shift=$BENCH_ICOUNT (guest time counts instructions, $((1 << BENCH_ICOUNT)) ns each; scripts/vm-run)"
	fi
	meta fwd_base "$BENCH_FWD_BASE"
	meta workload "$BENCH_WORKLOAD"
	meta nat_skip "$BENCH_NAT_SKIP"
	meta tools "$BENCH_TOOLS"
	meta n "$BENCH_N"
	meta txns "$BENCH_TXNS"
	meta fwd_seconds "$BENCH_FWD_SECONDS"
	meta fwd_reps "$BENCH_FWD_REPS"
	meta reps "$BENCH_REPS"
	meta sync_reps "$BENCH_SYNC_REPS"
	meta txn_max_change_s "$BENCH_TXN_MAX_CHANGE_S"
	meta txn_budget_s "$BENCH_TXN_BUDGET_S"
	meta txn_probe "$BENCH_TXN_PROBE"
	meta txn_max_run_s "$BENCH_TXN_MAX_RUN_S"
	meta one_budget_s "$BENCH_ONE_BUDGET_S"
	meta fwd_start_pps "$BENCH_FWD_START_PPS"
	meta iptables "$(iptables-legacy -V 2>/dev/null)"
	# (nft -v needs nfnetlink loaded: ask the package instead)
	meta nft "nftables $(dpkg-query -W -f='${Version}' nftables 2>/dev/null)"
	for t in $BENCH_TOOLS; do
		how=${t}_txn_how
		[ -n "${!how:-}" ] && meta "txn_how_$t" "${!how}"
	done

	progress "generating the rule sets (N = $BENCH_N; workload $BENCH_WORKLOAD)"
	for n in $BENCH_N; do
		if [ "$BENCH_WORKLOAD" != nat ]; then
			gen_ruleset "$n" "$BENCH_OUT/rules/$n" || exit 1
		fi
		if [ "$BENCH_WORKLOAD" != filter ]; then
			gen_nat_ruleset "$n" "$BENCH_OUT/rules/$n" || exit 1
		fi
	done
	if [ "$BENCH_WORKLOAD" != filter ]; then
		# conntrack for the new-flow measurement: a table that never
		# fills (nf_conntrack_max is global, set here in the initial
		# namespace; the UDP timeout is per namespace, set in the router)
		modprobe -a nf_conntrack nf_conntrack_netlink >>"$BENCH_OUT/commands.log" 2>&1
		sysctl -qw net.netfilter.nf_conntrack_max="$BENCH_NAT_CT_MAX" >>"$BENCH_OUT/commands.log" 2>&1
		echo $((BENCH_NAT_CT_MAX / 4)) >/sys/module/nf_conntrack/parameters/hashsize 2>>"$BENCH_OUT/commands.log"
		meta nat_ct "nf_conntrack_max $(sysctl -n net.netfilter.nf_conntrack_max 2>/dev/null), buckets $(cat /sys/module/nf_conntrack/parameters/hashsize 2>/dev/null), router's udp timeout ${BENCH_NAT_CT_TIMEOUT} s"
	fi

	progress "network namespaces and pktgen"
	if ! topo_up >>"$BENCH_OUT/commands.log" 2>&1; then
		echo "bench/run.sh: setting up the namespaces failed:" >&2
		tail -n 20 "$BENCH_OUT/commands.log" >&2
		topo_down
		exit 1
	fi
	if [ "$BENCH_FWD" = 1 ] && ! fwd_init >>"$BENCH_OUT/commands.log" 2>&1; then
		echo "bench/run.sh: pktgen set-up failed; forwarding rates skipped" >&2
		export BENCH_FWD=0
	fi

	BENCH_STAGE=rtr ip netns exec "$BENCH_NS_RTR" "$BASH" "$here/run.sh"
	rc=$?
	topo_down
	[ $rc -eq 0 ] || progress "the measurement stage exited with status $rc"

	progress "report"
	if python3 "$here/report.py" "$BENCH_OUT" "$BENCH_OUT/results" >>"$BENCH_OUT/commands.log" 2>&1; then
		for f in latest.md latest-nat.md; do
			[ -r "$BENCH_OUT/results/$f" ] || continue
			echo "===== BENCH $f BEGIN ====="
			cat "$BENCH_OUT/results/$f"
			echo "===== BENCH $f END ====="
		done
	else
		echo "bench/run.sh: the report failed:" >&2
		tail -n 20 "$BENCH_OUT/commands.log" >&2
	fi
	progress "done; files in $BENCH_OUT"
	exit 0
}

# Everything above is definitions: bash has read the whole file before any of
# it runs, so editing run.sh during a run cannot derail that run.
if [ "${BENCH_STAGE:-}" = rtr ]; then
	inner
else
	outer
fi
exit
