# SPDX-License-Identifier: GPL-2.0
# bench/lib/tools/iptnft.sh: the iptables-nft anchor (iptables syntax over
# nf_tables: each rule an nf_tables rule with iptables' counter).  Driver
# interface: see legacy.sh.

iptnft_label="iptables-nft"
iptnft_available() { command -v iptables-nft-restore >/dev/null; }
iptnft_setup() {
	modprobe -a nfnetlink nf_tables nft_compat xt_tcpudp &&
		iptables-nft -P FORWARD DROP
}
iptnft_load() { timed_in "$1" "$2/ipt.rules" iptables-nft-restore; }
iptnft_add1() {
	local spec
	spec=$(one_spec ipt "$2")
	# shellcheck disable=SC2086
	timed "$1" iptables-nft -A FORWARD $spec
}
iptnft_del1() {
	local spec
	spec=$(one_spec ipt "$2")
	# shellcheck disable=SC2086
	timed "$1" iptables-nft -D FORWARD $spec
}
iptnft_txn_how="iptables-nft-restore --noflush, one *filter/COMMIT block per change"
iptnft_txn_prepare() { gen_stream ipt "$1" >"$2"; }
iptnft_txn_run() { timed_in "$1" "$2" iptables-nft-restore --noflush; }
iptnft_count() { nft list chain ip filter FORWARD | grep -c 'accept$'; }
iptnft_teardown() {
	nft delete table ip filter
	modprobe -r nft_compat xt_tcpudp
}

# The NAT workload (see legacy.sh): the same iptables-restore text.
iptnft_nat_change_kind=ipt
iptnft_nat_setup() {
	modprobe -a nfnetlink nf_tables nf_conntrack nf_nat nft_chain_nat nft_compat \
		xt_tcpudp xt_comment xt_statistic xt_mark xt_nat xt_MASQUERADE nft_nat nft_masq
}
iptnft_nat_load() { timed_in "$1" "$2/nat-ipt.rules" iptables-nft-restore; }
iptnft_nat_change() { timed_in "$1" "$2" iptables-nft-restore --noflush; }
iptnft_nat_sync() { timed_in "$1" "$2" iptables-nft-restore --noflush; }
iptnft_nat_count() { iptables-nft -t nat -S KUBE-SERVICES | grep -c '^-A'; }
iptnft_nat_teardown() {
	nft delete table ip nat
	modprobe -r nft_compat xt_tcpudp xt_comment xt_statistic xt_mark xt_nat xt_MASQUERADE
}
