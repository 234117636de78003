# SPDX-License-Identifier: GPL-2.0
# bench/lib/tools/legacy.sh: the iptables-legacy anchor (x_tables: the whole
# table is one blob, copied out and back in for every change).
# Driver interface (every tools/*.sh): <id>_label, <id>_available,
# <id>_setup, <id>_load VAR DIR, <id>_add1 VAR SVC, <id>_del1 VAR SVC,
# <id>_txn_prepare K FILE, <id>_txn_run VAR FILE, <id>_txn_how, <id>_count N
# (prints the number of rules, N when all is well), <id>_teardown.  Everything runs inside the router namespace; VAR receives a
# time in seconds.

legacy_label="iptables-legacy"
legacy_available() { command -v iptables-legacy-restore >/dev/null; }
legacy_setup() {
	# the guest cannot autoload modules (its usermode helper runs in the
	# initramfs): load what the table needs explicitly
	modprobe -a x_tables ip_tables iptable_filter xt_tcpudp &&
		iptables-legacy -P FORWARD DROP
}
legacy_load() { timed_in "$1" "$2/ipt.rules" iptables-legacy-restore; }
legacy_add1() {
	local spec
	spec=$(one_spec ipt "$2")
	# shellcheck disable=SC2086 # the spec is words
	timed "$1" iptables-legacy -A FORWARD $spec
}
legacy_del1() {
	local spec
	spec=$(one_spec ipt "$2")
	# shellcheck disable=SC2086
	timed "$1" iptables-legacy -D FORWARD $spec
}
legacy_txn_how="iptables-legacy-restore --noflush, one *filter/COMMIT block per change"
legacy_txn_prepare() { gen_stream ipt "$1" >"$2"; }
legacy_txn_run() { timed_in "$1" "$2" iptables-legacy-restore --noflush; }
legacy_count() { iptables-legacy -S FORWARD | grep -c '^-A'; }
legacy_teardown() {
	iptables-legacy -F
	iptables-legacy -P FORWARD ACCEPT
	# unregisters the table (and its hooks) in every namespace
	modprobe -r iptable_filter xt_tcpudp
}

# The NAT workload (lib/natgen.sh): <id>_nat_setup, <id>_nat_load VAR DIR,
# <id>_nat_change VAR FILE (one service added or removed, one transaction,
# FILE from nat_change), <id>_nat_change_kind (ipt or nft: nat_change's
# KIND), <id>_nat_count N (prints the number of services), <id>_nat_teardown;
# optional: <id>_nat_sync VAR FILE, kube-proxy's full sync (FILE from
# gen_nat_sync) through the tool's iptables-restore --noflush.
legacy_nat_change_kind=ipt
legacy_nat_setup() {
	modprobe -a x_tables ip_tables nf_conntrack nf_nat iptable_nat xt_tcpudp \
		xt_comment xt_statistic xt_mark xt_nat xt_MASQUERADE &&
		iptables-legacy -t nat -S >/dev/null
}
legacy_nat_load() { timed_in "$1" "$2/nat-ipt.rules" iptables-legacy-restore; }
legacy_nat_change() { timed_in "$1" "$2" iptables-legacy-restore --noflush; }
legacy_nat_sync() { timed_in "$1" "$2" iptables-legacy-restore --noflush; }
legacy_nat_count() { iptables-legacy -t nat -S KUBE-SERVICES | grep -c '^-A'; }
legacy_nat_teardown() {
	iptables-legacy -t nat -F
	iptables-legacy -t nat -X
	modprobe -r iptable_nat xt_tcpudp xt_comment xt_statistic xt_mark xt_nat xt_MASQUERADE
}
