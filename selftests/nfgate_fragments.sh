#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_fragments.sh: fragments and short TCP/UDP headers get exactly
# iptables' verdict.  xt_tcpudp's tcp and udp matches never match a later
# fragment; tcp drops ("hotdrop") a fragment at offset 1 and udp/tcp drop
# a head too short for their header (20 / 8 bytes), at the first rule with
# such a match whose IP part the packet passes.
#
# Each case is one crafted IPv4 packet (nfg_inject: fragment offset, MF,
# L4 length) sent from the client through the router, with its own
# source address 198.18.0.N; the router's FORWARD sends it to the case's
# chain CNN (-s 198.18.0.N -j CNN) and counts it again at the end
# (-s 198.18.0.N, no target) if it comes back.  The server counts what
# arrives per case (nfgate mangle PREROUTING there) and sends nothing
# back (OUTPUT policy DROP), so the router sees only the test's packets.
# One ruleset holds every case; it is loaded into iptables-legacy and into
# nfgate (list walk, linear_below default, classifier), one after the
# other, the other side flushed, and the packets sent once per backend.
# Per case and backend the outcome "delivered | the case chains' rule
# packet counters | came back" must equal the case's explicit
# expectation, and every nfgate "save -c" line (rule text, packets,
# bytes, policy) must equal iptables-legacy-save -c's.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_inject
command -v iptables-legacy-restore >/dev/null ||
	skip "iptables-legacy-restore missing (the oracle)"
command -v iptables-legacy-save >/dev/null ||
	skip "iptables-legacy-save missing (the oracle)"

# iptables' own module autoload looks for the VM's modprobe helper
# outside the test's root: load the oracle's modules here.
{ modprobe iptable_filter && modprobe xt_tcpudp; } ||
	skip "cannot load iptable_filter / xt_tcpudp (the oracle)"

topo_create
# Conntrack's defrag would reassemble (or hold) fragments in the router;
# neither iptables' filter table nor nfgate enables it.
mods=$(grep -oE '^nf_(conntrack|defrag_ipv4) ' /proc/modules | tr -d '\n')
log "conntrack/defrag modules loaded: ${mods:-none}"
for ns in "$RTR" "$SRV"; do
	ip netns exec "$ns" sh -c \
		'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 >"$f"; done'
done
# no RST, port unreachable or reassembly timeout back through the router
nfg_ok "$SRV" -P OUTPUT DROP

MAC=$(ip -n "$RTR" -o link show veth-cli | grep -oE 'link/ether [0-9a-f:]+' |
	cut -d' ' -f2)
[ -n "$MAC" ] || die "no MAC of veth-cli"
LB=/sys/module/nfgate/parameters/linear_below
lb_saved=$(cat $LB)

EMPTY="*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT"

ncase=0
names=()
wants=()
decls=()
rules=()
dispatch=()
tails=()
server=()
packets=()
# fcase NAME "PROTO SPORT DPORT FRAGOFF MF L4LEN" EXPECTED LINE...: LINEs
# are restore lines of the case's chains, @ standing for the chain's name
# ("-A @ -p tcp", ":@u" for a chain of its own, "-A @ -j @u").
fcase() {
	local name=$1 pkt=$2 want=$3 c l

	shift 3
	ncase=$((ncase + 1))
	c=$(printf 'C%02d' $ncase)
	names+=("$name")
	wants+=("$want")
	decls+=(":$c - [0:0]")
	for l in "$@"; do
		l=${l//@/$c}
		case "$l" in
		:*) decls+=("$l - [0:0]") ;;
		*) rules+=("$l") ;;
		esac
	done
	dispatch+=("-A FORWARD -s 198.18.0.$ncase/32 -j $c")
	tails+=("-A FORWARD -s 198.18.0.$ncase/32")
	server+=("-A PREROUTING -s 198.18.0.$ncase/32")
	packets+=("veth0 $MAC 198.18.0.$ncase $SRV_IP $pkt")
}

# Packets: PROTO SPORT DPORT FRAGOFF MF L4LEN (-1: the full TCP 20 / UDP 12
# / ICMP 8 bytes).  Expected: delivered | packets of the case chain's rules
# (then of its @u chain) | came back to FORWARD.  203.0.113.9 is no case's
# source.

fcase "tcp offset 1, --dport rule after an ACCEPT of everything else" \
	"6 1000 80 1 0 -1" "0 | 1 0 0 0 | 0" \
	"-A @ -p tcp" \
	"-A @ ! -p tcp -j ACCEPT" \
	"-A @ -p tcp -m tcp --dport 80 -j ACCEPT" \
	"-A @ -j ACCEPT"
fcase "tcp offset 1, a matching ACCEPT before the --dport rule" \
	"6 1000 80 1 0 -1" "1 | 1 0 | 0" \
	"-A @ -p tcp -j ACCEPT" \
	"-A @ -p tcp -m tcp --dport 80 -j DROP"
fcase "tcp offset 1, a matching DROP before the --dport rule" \
	"6 1000 80 1 0 -1" "0 | 1 0 | 0" \
	"-A @ -p tcp -j DROP" \
	"-A @ -p tcp -m tcp --dport 80 -j ACCEPT"
fcase "tcp offset 1, IP part of the --dport rules does not match" \
	"6 1000 80 1 1 -1" "1 | 0 0 0 | 1" \
	"-A @ -s 203.0.113.9/32 -p tcp -m tcp --dport 80 -j DROP" \
	"-A @ -o veth-cli -p tcp -m tcp --dport 80 -j DROP" \
	"-A @ -p udp -m udp --dport 80 -j DROP"
fcase "tcp offset 1, --sport rule in a nested chain" \
	"6 1000 80 1 1 -1" "0 | 1 0 1 0 | 0" \
	":@u" \
	"-A @ -p tcp -j @u" \
	"-A @ -j ACCEPT" \
	"-A @u -p tcp" \
	"-A @u -p tcp -m tcp --sport 7 -j RETURN"
fcase "tcp offset 2: no port rule matches, none drops" \
	"6 1000 80 2 1 -1" "1 | 0 0 0 | 1" \
	"-A @ -p tcp -m tcp --dport 80 -j DROP" \
	"-A @ -p tcp -m tcp ! --dport 80 -j DROP" \
	"-A @ -p tcp -m tcp ! --sport 1000 -j DROP"
fcase "tcp offset 185, last fragment" \
	"6 1000 80 185 0 -1" "1 | 0 1 | 1" \
	"-A @ -p tcp -m tcp --dport 80 -j DROP" \
	"-A @ -p tcp"
fcase "tcp first fragment with an 8-byte header" \
	"6 1000 80 0 1 8" "0 | 0 1 0 0 | 0" \
	"-A @ -p udp -j DROP" \
	"-A @ -p tcp" \
	"-A @ -p tcp -m tcp --sport 1:65535 -j ACCEPT" \
	"-A @ -j ACCEPT"
fcase "tcp 19-byte header, not a fragment" \
	"6 1000 80 0 0 19" "0 | 0 | 0" \
	"-A @ -p tcp -m tcp ! --dport 80 -j ACCEPT"
fcase "tcp 20-byte header, not a fragment" \
	"6 1000 80 0 0 20" "1 | 1 | 0" \
	"-A @ -p tcp -m tcp --dport 80 -j ACCEPT"
fcase "udp 4-byte header" \
	"17 1000 53 0 0 4" "0 | 1 0 | 0" \
	"-A @ -p udp" \
	"-A @ -p udp -m udp --dport 53 -j ACCEPT"
fcase "udp 8-byte header" \
	"17 1000 53 0 0 8" "1 | 1 | 0" \
	"-A @ -p udp -m udp --dport 53 -j ACCEPT"
fcase "udp offset 1: no match, no drop" \
	"17 1000 53 1 0 -1" "1 | 0 1 | 0" \
	"-A @ -p udp -m udp --dport 53 -j DROP" \
	"-A @ -p udp -j ACCEPT"
fcase "-p tcp -m tcp without options, later fragment" \
	"6 1000 80 3 1 -1" "1 | 0 1 | 0" \
	"-A @ -p tcp -m tcp -j DROP" \
	"-A @ -p tcp -j ACCEPT"
fcase "-p tcp -m tcp without options, offset 1" \
	"6 1000 80 1 1 -1" "0 | 0 | 0" \
	"-A @ -p tcp -m tcp -j ACCEPT"
fcase "-p tcp -m tcp without options, 8-byte header" \
	"6 1000 80 0 0 8" "0 | 0 | 0" \
	"-A @ -p tcp -m tcp -j ACCEPT"
fcase "-p udp -m udp without options, later fragment" \
	"17 1000 53 4 0 -1" "1 | 0 | 1" \
	"-A @ -p udp -m udp -j DROP"
fcase "--sport 0:65535 (saved as a bare -m tcp), offset 1" \
	"6 1000 80 1 0 -1" "0 | 0 | 0" \
	"-A @ -p tcp -m tcp --sport 0:65535 -j ACCEPT"
fcase "! --dport with a later fragment" \
	"6 1000 80 5 1 -1" "1 | 0 0 | 1" \
	"-A @ -p tcp -m tcp ! --dport 80 -j DROP" \
	"-A @ -p tcp -m tcp ! --dport 81 -j DROP"
fcase "plain -p tcp (no tcp match), offset 1" \
	"6 1000 80 1 1 -1" "1 | 1 | 1" \
	"-A @ -p tcp"
fcase "plain -p tcp -j DROP, offset 1" \
	"6 1000 80 1 0 -1" "0 | 1 | 0" \
	"-A @ -p tcp -j DROP"
fcase "icmp later fragment, -p icmp" \
	"1 0 0 1 0 -1" "0 | 1 1 | 0" \
	"-A @ -p icmp" \
	"-A @ -p icmp -j DROP"
fcase "icmp 4-byte header, -p icmp" \
	"1 0 0 0 0 4" "1 | 1 | 0" \
	"-A @ -p icmp -j ACCEPT"

{
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	printf '%s\n' "${decls[@]}" "${dispatch[@]}" "${tails[@]}" "${rules[@]}"
	echo "COMMIT"
} >"$tmpdir/rules"
echo "$EMPTY" >"$tmpdir/empty"
printf '%s\n' "${packets[@]}" >"$tmpdir/packets"
mangle_block "${server[@]}" >"$tmpdir/server"
nfg_ok "$SRV" restore "$tmpdir/server" || die "server counting rules"

# outcomes SAVE-FILE SERVER-LISTING: one line per case, "D | case chain
# rule packets... | came back".
outcomes() {
	local i c d

	for ((i = 1; i <= ncase; i++)); do
		c=$(printf 'C%02d' $i)
		d=$(counter_in "$2" PREROUTING $i)
		awk -v c="$c" -v s="198.18.0.$i/32" -v d="$d" '
			!/^\[/ { next }
			{ gsub(/[][]/, "", $1); split($1, a, ":") }
			$3 == c || index($3, c "u") == 1 { r = r " " a[1] }
			$3 == "FORWARD" && $5 == s && NF == 5 { t = a[1] }
			END { printf "%s |%s | %s\n", d, r, t }' "$1"
	done
}

for b in iptables nfgate-list nfgate nfgate-cls; do
	log "-- $b"
	case $b in
	iptables)
		nfg_ok "$RTR" restore "$tmpdir/empty"
		ip netns exec "$RTR" iptables-legacy-restore -c <"$tmpdir/rules" ||
			{ fail "iptables-legacy-restore failed"; continue; }
		;;
	nfgate-list | nfgate | nfgate-cls)
		ip netns exec "$RTR" iptables-legacy-restore <"$tmpdir/empty" ||
			fail "iptables-legacy-restore (flush) failed"
		case $b in
		nfgate-list) echo 1000000 >$LB ;;
		nfgate) echo "$lb_saved" >$LB ;;
		*) echo 0 >$LB ;;
		esac
		nfg_ok "$RTR" restore -c "$tmpdir/rules" ||
			{ fail "nfgate restore failed"; continue; }
		;;
	esac
	nfg_ok "$SRV" -t mangle -Z
	out=$(ip netns exec "$CLI" "$HELPERS/nfg_inject" <"$tmpdir/packets") ||
		{ fail "$b: nfg_inject failed: $out"; continue; }
	sleep 0.5
	if [ $b = iptables ]; then
		ip netns exec "$RTR" iptables-legacy-save -c -t filter
	else
		nfg "$RTR" save -c -t filter
	fi | grep -E '^(:|\[)' >"$tmpdir/save.$b"
	outcomes "$tmpdir/save.$b" "$(listing "$SRV" mangle)" >"$tmpdir/out.$b"
	i=0
	while read -r got; do
		want=${wants[$i]}
		i=$((i + 1))
		assert_eq "case $i (${names[$i - 1]}), $b" "$want" "$got"
	done <"$tmpdir/out.$b"
	[ $i -eq $ncase ] || fail "$b: $i outcomes for $ncase cases"
	if [ $b != iptables ]; then
		if cmp -s "$tmpdir/save.iptables" "$tmpdir/save.$b"; then
			log "ok: $b: save -c = iptables-legacy-save -c"
		else
			fail "$b: save -c differs from iptables-legacy-save -c:"
			diff "$tmpdir/save.iptables" "$tmpdir/save.$b" | head -n 40
		fi
	fi
done

echo "$lb_saved" >$LB
exit $ret
