# SPDX-License-Identifier: GPL-2.0
# bench/lib/tools/nfgate.sh: nfgate, from its build locations: the module
# kmod/nfgate.ko, the CLI build/nfgate, and for the long-running-process
# measurement build/bench/nfgate-bench-agent (bench/agent.cpp: one netlink
# socket, BEGIN/op/COMMIT per change).  Without the agent, that measurement
# falls back to `nfgate restore --noflush` reading a stream of
# *filter/COMMIT blocks, and says so.  Driver interface: see legacy.sh.

nfgate_label="nfgate"
nfgate_ko=$NFGATE_REPO/kmod/nfgate.ko
nfgate_cli=$NFGATE_REPO/build/nfgate
nfgate_agent=$NFGATE_REPO/build/bench/nfgate-bench-agent

nfgate_available() {
	if [ ! -f "$nfgate_ko" ]; then
		echo "kmod/nfgate.ko not built"
		return 1
	fi
	if [ ! -x "$nfgate_cli" ]; then
		echo "build/nfgate not built"
		return 1
	fi
}
nfgate_setup() {
	if ! grep -q '^nfgate ' /proc/modules; then
		"$NFGATE_REPO/scripts/nfgate-insmod" "$nfgate_ko" || return 1
	fi
	"$nfgate_cli" -P FORWARD DROP
}
nfgate_load() { timed_in "$1" "$2/ipt.rules" "$nfgate_cli" restore; }
nfgate_add1() {
	local spec
	spec=$(one_spec ipt "$2")
	# shellcheck disable=SC2086
	timed "$1" "$nfgate_cli" -A FORWARD $spec
}
nfgate_del1() {
	local spec
	spec=$(one_spec ipt "$2")
	# shellcheck disable=SC2086
	timed "$1" "$nfgate_cli" -D FORWARD $spec
}
if [ -x "$nfgate_agent" ]; then
	nfgate_txn_how="nfgate-bench-agent: one netlink socket, TXN_BEGIN/NEWRULE|DELRULE/TXN_COMMIT per change"
else
	nfgate_txn_how="nfgate restore --noflush, one *filter/COMMIT block per change (agent not built)"
fi
nfgate_txn_prepare() { gen_stream ipt "$1" >"$2"; }
nfgate_txn_run() {
	if [ -x "$nfgate_agent" ]; then
		timed_in "$1" "$2" "$nfgate_agent"
	else
		timed_in "$1" "$2" "$nfgate_cli" restore --noflush
	fi
}
nfgate_count() { "$nfgate_cli" -S FORWARD | grep -c '^-A'; }
nfgate_teardown() {
	"$nfgate_cli" -F
	"$nfgate_cli" -P FORWARD ACCEPT
	rmmod nfgate
}

# The NAT workload (see legacy.sh): the same iptables-restore text.  100k
# services are 1,000,007 rules and 400,003 user chains: the module is loaded
# with room for them (and for the changes on top).
nfgate_nat_change_kind=ipt
nfgate_nat_setup() {
	if ! grep -q '^nfgate ' /proc/modules; then
		"$NFGATE_REPO/scripts/nfgate-insmod" "$nfgate_ko" \
			max_rules=2000000 max_user_chains=1000000 || return 1
	fi
	"$nfgate_cli" -t nat -S >/dev/null
}
nfgate_nat_load() { timed_in "$1" "$2/nat-ipt.rules" "$nfgate_cli" restore; }
nfgate_nat_change() { timed_in "$1" "$2" "$nfgate_cli" restore --noflush; }
# The full sync goes through the drop-in name, as kube-proxy would run it.
nfgate_nat_sync() { timed_in "$1" "$2" "$NFGATE_REPO/build/iptables-nfgate-restore" --noflush; }
# nfgate_nat_sync_ops FILE: the operations one sync of FILE commits, as
# nfgate's monitor reports them ("# generation G (K changes)").
nfgate_nat_sync_ops() {
	local mon=$BENCH_OUT/nat-sync-monitor pid
	"$nfgate_cli" monitor >"$mon" 2>&1 &
	pid=$!
	sleep 1
	"$NFGATE_REPO/build/iptables-nfgate-restore" --noflush <"$1" >>"$BENCH_OUT/commands.log" 2>&1
	sleep 1
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	awk '/^# generation/ { gsub(/[(]/, "", $4); n += $4 } END { print n + 0 }' "$mon"
}
nfgate_nat_count() { "$nfgate_cli" -t nat -S KUBE-SERVICES | grep -c '^-A'; }
nfgate_nat_teardown() {
	"$nfgate_cli" -t nat -F
	"$nfgate_cli" -t nat -X
	rmmod nfgate
}
