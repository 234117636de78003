# SPDX-License-Identifier: GPL-2.0
# bench/lib/tools/nft.sh: the nft anchor with plain rules, one nf_tables rule
# per service in a forward-hook base chain (table ip bench, chain svc_forward; "fwd" is an nft keyword).
# nft deletes rules by handle only: "delete one rule by its spec" is what a
# user has to do, list the chain with handles, find the rule, delete by
# handle (both invocations are timed).  Driver interface: see legacy.sh.

nft_label="nft (rules)"
nft_available() { command -v nft >/dev/null; }
nft_setup() {
	modprobe -a nfnetlink nf_tables &&
		nft -f - <<'EOT'
table ip bench {
	chain svc_forward {
		type filter hook forward priority filter; policy drop;
	}
}
EOT
}
nft_load() { timed "$1" nft -f "$2/nft-plain.nft"; }
nft_add1() {
	local spec
	spec=$(one_spec nft "$2")
	# shellcheck disable=SC2086
	timed "$1" nft add rule ip bench svc_forward $spec
}
nft_delete_by_spec() {
	local h
	h=$(nft -a list chain ip bench svc_forward |
		awk -v s="$*" 'index($0, s " # handle ") { print $NF; exit }')
	[ -n "$h" ] || return 1
	nft delete rule ip bench svc_forward handle "$h"
}
nft_del1() {
	local spec
	spec=$(one_spec nft "$2")
	timed "$1" nft_delete_by_spec "$spec"
}
nft_txn_how="one long-lived nft -i, one command line (= one transaction) per change"
nft_txn_prepare() {
	# the handle the next rule gets: add and delete one rule, untimed
	local spec h
	spec=$(one_spec nft $((BENCH_POOL_ONE + 69)))
	# shellcheck disable=SC2086
	h=$(nft -e -a add rule ip bench svc_forward $spec | awk '/# handle/ { print $NF }')
	[ -n "$h" ] || return 1
	nft delete rule ip bench svc_forward handle "$h" || return 1
	gen_stream nft "$1" $((h + 1)) >"$2"
}
nft_txn_run() { timed_in "$1" "$2" nft -i; }
nft_count() { nft list chain ip bench svc_forward | grep -c 'accept$'; }
nft_teardown() { nft delete table ip bench; }
