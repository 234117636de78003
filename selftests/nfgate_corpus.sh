#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_corpus.sh: every real ruleset of the corpus (../shared/corpus/
# rulesets/*.rules, or $NFGATE_CORPUS_DIR/rulesets) through
# iptables-legacy-restore and through nfgate restore, each in a fresh
# namespace, then iptables-legacy-save and nfgate save compared table by
# table, line for line ("#" lines and counters aside).  No list of files is
# kept here: a file that iptables-legacy refuses (an object or module this
# kernel lacks) cannot be compared, but nfgate must refuse it too; a file
# nfgate refuses must say which extension it lacks
# ("not supported by nfgate") and is counted as unsupported; every file
# nfgate takes must save exactly as iptables-legacy does.
#
# Fragments (kube-proxy, ufw) jump to chains other files create: every
# jump target that is not declared in the file and does not look like a
# target (all capitals, no '-') is created first in both namespaces, and
# both restores use --noflush, as their tools do.  The nfacct objects a
# file names are created first in both, as kube-proxy creates them.

source "$(dirname -- "$0")/lib.sh"
require_env
for d in "${NFGATE_CORPUS_DIR:-}" "$NFGATE_REPO/../shared/corpus" \
	/work/shared/corpus; do
	[ -n "$d" ] && [ -d "$d/rulesets" ] && corpus=$d/rulesets && break
done
[ -n "${corpus:-}" ] || skip "corpus not found (set NFGATE_CORPUS_DIR)"
command -v iptables-legacy-restore >/dev/null || skip "iptables-legacy missing"
# The VM cannot autoload: every module the corpus may need, up front.
for m in iptable_filter iptable_mangle iptable_raw iptable_nat nf_log_syslog \
	xt_comment xt_conntrack xt_state xt_addrtype xt_mark xt_MARK \
	xt_connmark xt_CONNMARK xt_statistic xt_multiport xt_tcpudp xt_limit \
	xt_recent xt_iprange xt_connlimit xt_hashlimit xt_mac xt_owner \
	xt_pkttype xt_nfacct xt_LOG xt_NFLOG xt_NFQUEUE ipt_REJECT xt_nat \
	xt_MASQUERADE xt_REDIRECT xt_CT xt_TCPMSS xt_CHECKSUM xt_tcpmss; do
	modprobe -q "$m" 2>/dev/null
done

# undeclared_chains FILE: "TABLE CHAIN" for each jump target of the file
# that no ":CHAIN" line of its table declares and that is not a target.
undeclared_chains() {
	awk '
	/^\*/ { table = substr($1, 2); next }
	/^:/ { declared[table " " substr($1, 2)] = 1; next }
	{
		for (i = 1; i < NF; i++)
			if ($i == "-j" || $i == "-g" || $i == "--jump" ||
			    $i == "--goto")
				want[table " " $(i + 1)] = 1
	}
	END {
		for (w in want) {
			split(w, p, " ")
			if (w in declared) continue
			if (p[2] ~ /^[A-Z]+$/) continue
			print w
		}
	}' "$1" | sort
}

# tables FILE: the tables the file fills, in order.
tables() {
	sed -n 's/^\*\([a-z]*\).*/\1/p' "$1"
}

same=0 unsupported=0 legacy_refused=0 n=0
declare -A why
for f in "$corpus"/*.rules; do
	name=$(basename "$f")
	n=$((n + 1))
	L=$NS_TAG-l$n
	G=$NS_TAG-g$n
	ns_create "$L"
	ns_create "$G"
	# (no process substitution: the VM's bare /dev has no /dev/fd)
	undeclared_chains "$f" >"$tmpdir/chains"
	while read -r t c; do
		[ -n "$c" ] || continue
		ip netns exec "$L" iptables-legacy -t "$t" -N "$c"
		nfg "$G" -t "$t" -N "$c" >/dev/null 2>&1
	done <"$tmpdir/chains"
	# The accounting objects a file's nfacct rules name exist first
	# (kube-proxy creates them itself), per namespace.
	for a in $(grep -o -- '--nfacct-name [^ ]*' "$f" | cut -d' ' -f2 |
		sort -u); do
		ip netns exec "$L" python3 "$SELFTESTS/nfg_acct.py" add "$a"
		ip netns exec "$G" python3 "$SELFTESTS/nfg_acct.py" add "$a"
	done
	if ! ip netns exec "$L" iptables-legacy-restore --noflush <"$f" \
		>"$tmpdir/legacy.err" 2>&1; then
		# Nothing to compare, but nfgate must refuse it too: taking
		# what iptables refuses would hide the difference.
		legacy_refused=$((legacy_refused + 1))
		log "$name: iptables-legacy refuses it here: $(head -n 1 "$tmpdir/legacy.err")"
		if nfg "$G" restore --noflush "$f" >"$tmpdir/nfg.err" 2>&1; then
			fail "$name: nfgate takes what iptables-legacy refuses"
		else
			log "$name: nfgate refuses it too: $(head -n 1 "$tmpdir/nfg.err")"
		fi
		ip netns del "$L"
		ip netns del "$G"
		continue
	fi
	if ! nfg "$G" restore --noflush "$f" >"$tmpdir/nfg.err" 2>&1; then
		if grep -q "not supported by nfgate" "$tmpdir/nfg.err"; then
			unsupported=$((unsupported + 1))
			why[$name]=$(head -n 1 "$tmpdir/nfg.err")
		else
			fail "$name: nfgate refused it: $(head -n 3 "$tmpdir/nfg.err")"
		fi
		ip netns del "$L"
		ip netns del "$G"
		continue
	fi
	ok=1
	for t in $(tables "$f"); do
		want=$(saved iptables-legacy "$L" "$t")
		got=$(saved nfgate "$G" "$t")
		if [ "$want" != "$got" ]; then
			ok=0
			fail "$name: *$t differs from iptables-legacy-save"
			show_diff "$want" "$got"
		fi
	done
	[ $ok -eq 1 ] && same=$((same + 1)) && log "ok: $name saves as iptables-legacy"
	ip netns del "$L"
	ip netns del "$G"
done

log "corpus: $n files: $same identical to iptables-legacy, $unsupported" \
	"need extensions nfgate lacks, $legacy_refused refused by" \
	"iptables-legacy in this VM"
for k in "${!why[@]}"; do
	log "  unsupported $k: ${why[$k]}"
done
[ $n -gt 0 ] || fail "no ruleset found in $corpus"
exit $ret
