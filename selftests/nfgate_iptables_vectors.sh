#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_iptables_vectors.sh: iptables' own rule-syntax test vectors (the
# *.t files of ../shared/corpus/iptables-tests, or
# $NFGATE_CORPUS_DIR/iptables-tests) through the drop-in iptables-nfgate
# and, side by side, through iptables-legacy, as iptables-test.py runs them
# (iptables_vectors.py says how).  The expected results are iptables
# v1.8.13's.  Every line must pass on nfgate, except a rule that nfgate
# refuses because it lacks the extension ("not supported by nfgate"),
# which is counted and listed apart.  With NFGATE_VECTORS_LEGACY=1 the
# same vectors also run through Debian's iptables-legacy (1.8.9), side by
# side, for reference: that doubles the time, so make check leaves it out.

source "$(dirname -- "$0")/lib.sh"
require_env
for d in "${NFGATE_CORPUS_DIR:-}" "$NFGATE_REPO/../shared/corpus" \
	/work/shared/corpus; do
	[ -n "$d" ] && [ -d "$d/iptables-tests" ] && vectors=$d/iptables-tests && break
done
[ -n "${vectors:-}" ] || skip "test vectors not found (set NFGATE_CORPUS_DIR)"
command -v python3 >/dev/null || skip "python3 missing"
legacy=
if [ "${NFGATE_VECTORS_LEGACY:-0}" = 1 ]; then
	command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
	legacy=legacy=iptables-legacy,iptables-legacy-save,iptables-legacy-restore
fi
# The VM cannot autoload: every module legacy may need, up front.
[ -z "$legacy" ] || for m in iptable_filter iptable_mangle iptable_raw iptable_nat nf_log_syslog \
	xt_comment xt_conntrack xt_state xt_addrtype xt_mark xt_MARK \
	xt_connmark xt_CONNMARK xt_statistic xt_multiport xt_tcpudp xt_limit \
	xt_recent xt_iprange xt_length xt_hl xt_HL xt_mac xt_pkttype xt_LOG \
	xt_NFLOG xt_NFQUEUE ipt_REJECT xt_nat xt_MASQUERADE xt_REDIRECT xt_CT \
	xt_NOTRACK xt_TCPMSS xt_CHECKSUM xt_tcpmss; do
	modprobe -q "$m" 2>/dev/null
done
nfgate_load
DROPIN=$(dirname -- "$NFGATE")/iptables-nfgate
[ -x "$DROPIN" ] || die "$DROPIN missing (built with the CLI)"

python3 "$SELFTESTS/iptables_vectors.py" --out "$tmpdir/verdicts" \
	"nfgate=$DROPIN,$DROPIN-save,$DROPIN-restore" $legacy "$vectors"/*.t ||
	die "iptables_vectors.py failed"

# Columns: file, line, rule, nfgate[, legacy].
total=0 lpass=0 npass=0 nunsup=0
legacy_rows=$legacy
while IFS=$'\t' read -r file line rule nfgate legacy; do
	[ "$file" = file ] && continue
	total=$((total + 1))
	[ "$legacy" = pass ] && lpass=$((lpass + 1))
	if [ "$nfgate" = pass ]; then
		npass=$((npass + 1))
	elif [[ $nfgate == *"not supported by nfgate"* ]]; then
		nunsup=$((nunsup + 1))
		log "unsupported $file:$line: $rule"
	else
		fail "$file:$line: $rule: $nfgate"
	fi
	[ -z "$legacy" ] || [ "$legacy" = pass ] ||
		log "iptables-legacy $file:$line: $rule: $legacy"
done <"$tmpdir/verdicts"
log "vectors: $total lines: nfgate passes $npass, lacks the extension for" \
	"$nunsup"
[ -z "$legacy_rows" ] ||
	log "vectors: iptables-legacy $(iptables-legacy -V | cut -d' ' -f2)" \
		"passes $lpass"
[ $total -gt 0 ] || fail "no test vector read from $vectors"
exit $ret
