#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_scale_index.sh: the control-path indexes at scale.  FORWARD is
# loaded with N kube-proxy-shaped rules (N = 1000, then 100000), then
#   -I FORWARD N/2 (position -> rule), -D FORWARD N-1 (position),
#   -D FORWARD <spec of service N-10> (spec hash), -A of a duplicate of
#   service 5 then -D by its spec (the FIRST equal rule must go),
#   -R FORWARD N/2 (position), -Z FORWARD N/2.
# One dump of the chain at the end (many skbs, resumed by handle) must
# equal the same operations applied to the generated list (awk).  Each operation's wall-clock time is printed
# for both N: with O(log n)/O(1) lookups they should be about the same
# (not judged: the VM is emulated and shared).

source "$(dirname -- "$0")/lib.sh"
require_env

NS=$NS_TAG-x
ns_create "$NS"

SIZES=${NFGATE_SCALE_SIZES:-"1000 100000"}
OPS=(insert del_pos del_spec dup_del_spec replace zero_pos)
declare -A T

# gen N: the -S lines of services 1..N (198.18.0.0/15, as bench/lib/gen.sh).
gen() {
	awk -v n="$1" 'BEGIN {
		for (o = 1; o <= n; o++) {
			a = 198 * 16777216 + 18 * 65536 + o
			printf "-A FORWARD -d %d.%d.%d.%d/32 -p tcp -m tcp --dport %d -j ACCEPT\n",
				int(a / 16777216), int(a / 65536) % 256,
				int(a / 256) % 256, a % 256, 1024 + o % 60000
		}
	}'
}

# Kernel memory rules can take (as bench/lib/measure.sh): unreclaimable
# slab + per-CPU + vmalloc, in bytes.
kmem() {
	awk '/^SUnreclaim:/ { s = $2 } /^Percpu:/ { p = $2 } /^VmallocUsed:/ { v = $2 }
		END { printf "%d\n", (s + p + v) * 1024 }' /proc/meminfo
}

# timed NAME N ARGS...: run the CLI in $NS, record the time in ms.
timed() {
	local name=$1 n=$2 s e out

	shift 2
	s=${EPOCHREALTIME/./}
	out=$(nfg "$NS" "$@" 2>&1) || fail "N=$n: nfgate $* failed: $out"
	e=${EPOCHREALTIME/./}
	T[$name,$n]=$(((e - s) / 1000))
	log "N=$n $name: ${T[$name,$n]} ms (nfgate $*)"
}

# The rule text (without "-A FORWARD ") of line $2 of file $1.
spec_of() {
	sed -n "${2}p" "$1" | sed 's/^-A FORWARD //'
}

INS="-d 203.0.113.1/32 -p udp -m udp --dport 7 -j DROP"
REP="-d 203.0.113.2/32 -p udp -m udp --dport 9 -j ACCEPT"

for n in $SIZES; do
	rules=$tmpdir/rules.$n
	gen "$n" >"$rules"
	{
		echo "*filter"
		echo ":FORWARD ACCEPT [0:0]"
		cat "$rules"
		echo "COMMIT"
	} >"$tmpdir/restore.$n"
	sleep 2
	m0=$(kmem)
	s=${EPOCHREALTIME/./}
	nfg_ok "$NS" restore "$tmpdir/restore.$n" || continue
	e=${EPOCHREALTIME/./}
	sleep 2
	m1=$(kmem)
	log "N=$n restore: $(((e - s) / 1000)) ms; kernel memory $(((m1 - m0) / n)) bytes/rule (slab+percpu+vmalloc, not judged)"

	p=$((n / 2))
	timed insert "$n" -I FORWARD "$p" $INS
	timed del_pos "$n" -D FORWARD $((n - 1))
	timed del_spec "$n" -D FORWARD $(spec_of "$rules" $((n - 10)))
	nfg_ok "$NS" -A FORWARD $(spec_of "$rules" 5)
	timed dup_del_spec "$n" -D FORWARD $(spec_of "$rules" 5)
	timed replace "$n" -R FORWARD "$p" $REP
	timed zero_pos "$n" -Z FORWARD "$p"

	# The same operations on the list, positions 1-based in the list as
	# it is at each step.
	awk -v p="$p" -v n="$n" -v ins="-A FORWARD $INS" -v rep="-A FORWARD $REP" '
		function del(i,   j) { for (j = i; j < m; j++) l[j] = l[j + 1]; m-- }
		function insert(i, s,   j) { for (j = m; j >= i; j--) l[j + 1] = l[j]; l[i] = s; m++ }
		function find(s,   j) { for (j = 1; j <= m; j++) if (l[j] == s) return j; return 0 }
		{ l[++m] = $0; orig[NR] = $0 }
		END {
			insert(p, ins)
			del(n - 1)
			del(find(orig[n - 10]))
			l[++m] = orig[5]
			del(find(orig[5]))
			l[p] = rep
			print "-P FORWARD ACCEPT"
			for (j = 1; j <= m; j++) print l[j]
		}' "$rules" >"$tmpdir/expect.$n"
	nfg "$NS" -S FORWARD >"$tmpdir/got.$n" 2>&1
	if cmp -s "$tmpdir/expect.$n" "$tmpdir/got.$n"; then
		log "N=$n: the dump equals the expected $(wc -l <"$tmpdir/got.$n") lines"
	else
		fail "N=$n: the dump differs from the expected rules:"
		diff "$tmpdir/expect.$n" "$tmpdir/got.$n" | head -20
	fi
	# The duplicate appended last survived; the first copy went.
	assert_eq "N=$n last rule is the duplicate" "-A FORWARD $(spec_of "$rules" 5)" \
		"$(tail -n 1 "$tmpdir/got.$n")"
	nfg_ok "$NS" -F FORWARD
done

log "-- wall-clock ms per operation (CLI process included; not judged)"
printf '%-14s' op
for n in $SIZES; do printf '%10s' "N=$n"; done
echo
for op in "${OPS[@]}"; do
	printf '%-14s' "$op"
	for n in $SIZES; do printf '%10s' "${T[$op,$n]:--}"; done
	echo
done

exit $ret
