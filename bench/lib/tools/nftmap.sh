# SPDX-License-Identifier: GPL-2.0
# bench/lib/tools/nftmap.sh: the nft anchor with a verdict map, as
# kube-proxy's nftables mode does it: one rule
# "ip daddr . meta l4proto . th dport vmap @svc" and one map element per
# service; a change adds or deletes one element.  Driver interface: see
# legacy.sh.

nftmap_label="nft (vmap)"
nftmap_available() { command -v nft >/dev/null; }
nftmap_setup() {
	modprobe -a nfnetlink nf_tables &&
		nft -f - <<'EOT'
table ip bench {
	map svc {
		type ipv4_addr . inet_proto . inet_service : verdict
	}
	chain svc_forward {
		type filter hook forward priority filter; policy drop;
	}
}
EOT
}
nftmap_load() { timed "$1" nft -f "$2/nft-vmap.nft"; }
nftmap_add1() {
	local key
	key=$(one_spec nftmap "$2")
	timed "$1" nft add element ip bench svc "{ $key : accept }"
}
nftmap_del1() {
	local key
	key=$(one_spec nftmap "$2")
	timed "$1" nft delete element ip bench svc "{ $key }"
}
nftmap_txn_how="one long-lived nft -i, one add/delete element line (= one transaction) per change"
nftmap_txn_prepare() { gen_stream nftmap "$1" >"$2"; }
nftmap_txn_run() { timed_in "$1" "$2" nft -i; }
# Listing a map of 100k elements takes nft 1.0.6 many minutes under TCG, so
# no count: the last loaded service must be there and no service of the
# change streams (printed as N, the count the caller expects, when so).
nftmap_count() {
	local o
	nft get element ip bench svc "{ $(key_of "$1" udp) }" >/dev/null || return 1
	for o in $BENCH_POOL_ONE $BENCH_POOL_TXN $((BENCH_POOL_TXN + 1)); do
		if nft get element ip bench svc "{ $(key_of "$o" tcp) }" >/dev/null 2>&1; then
			echo "service $o still in the map"
			return 1
		fi
	done
	echo "$1"
}
nftmap_teardown() { nft delete table ip bench; }

# The NAT workload (see legacy.sh): table ip kube-proxy as kube-proxy's
# nftables mode writes it (lib/natgen.sh); one change is one nft -f file.
nftmap_nat_change_kind=nft
nftmap_nat_setup() {
	modprobe -a nfnetlink nf_tables nf_conntrack nf_nat nft_chain_nat nft_nat \
		nft_masq nft_numgen
}
nftmap_nat_load() { timed "$1" nft -f "$2/nat-nft.nft"; }
nftmap_nat_change() { timed "$1" nft -f "$2"; }
# As nftmap_count: no listing of a 100k-element map; the last loaded service
# is there and no service of the change streams.
nftmap_nat_count() {
	local o
	nft get element ip kube-proxy service-ips "{ $(key_of "$1" udp) }" >/dev/null || return 1
	for o in $BENCH_POOL_ONE $((BENCH_POOL_ONE + 1)); do
		if nft get element ip kube-proxy service-ips "{ $(key_of "$o" tcp) }" >/dev/null 2>&1; then
			echo "service $o still in the map"
			return 1
		fi
	done
	echo "$1"
}
nftmap_nat_teardown() { nft delete table ip kube-proxy; }
