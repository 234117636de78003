#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_l4_matches.sh: the layer-4 matches (tcp --tcp-flags / --syn /
# --tcp-option, icmp --icmp-type, multiport) give iptables-legacy's
# verdicts and counters, on the same packets in the same VM.
#  1. Real traffic through the router: TCP SYNs to closed ports (the
#     server answers RST,ACK), pings, UDP datagrams.  Rules count or drop
#     by flags, options, ICMP types and port lists; the outcome of every
#     probe must be the expected one, and the rule lines of "save -c" of
#     the router's filter table must equal iptables-legacy-save -c's (the
#     same counters).  Policy counters are left out: iptables-legacy's -A
#     (a table replace) drops the FORWARD policy's counts so far.
#  2. Crafted packets (nfg_inject: TCP flags and options, ICMP type and
#     code, ports of sctp/udplite, fragments, short headers), one per
#     case chain, as nfgate_fragments.sh: per case "delivered | rule
#     counters | came back" must equal the expectation, for
#     iptables-legacy and for nfgate (list walk, classifier), and save -c
#     must equal iptables-legacy-save -c's.
#  3. -S, -L -v -x -n of the table (but FORWARD, which has no l4 match)
#     and -L -v -x (names: services, ICMP types, flags) of some case
#     chains equal iptables-legacy's, byte for byte.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_inject nfg_udp nfg_tcp
command -v iptables-legacy-restore >/dev/null ||
	skip "iptables-legacy-restore missing (the oracle)"
command -v iptables-legacy-save >/dev/null ||
	skip "iptables-legacy-save missing (the oracle)"
# iptables' own module autoload looks for the VM's modprobe helper
# outside the test's root: load the oracle's modules here.
{ modprobe iptable_filter && modprobe xt_tcpudp && modprobe xt_multiport; } ||
	skip "cannot load iptable_filter / xt_tcpudp / xt_multiport (the oracle)"

topo_create
LB=/sys/module/nfgate/parameters/linear_below
lb_saved=$(cat $LB)

EMPTY="*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT"
echo "$EMPTY" >"$tmpdir/empty"

# use_backend NAME RULES-FILE: the router's filter table from RULES-FILE
# in iptables-legacy or nfgate (list walk, default, classifier), the other
# one empty.
use_backend() {
	case $1 in
	iptables)
		nfg_ok "$RTR" restore "$tmpdir/empty"
		ip netns exec "$RTR" iptables-legacy-restore -c <"$2" ||
			{ fail "iptables-legacy-restore $2 failed"; return 1; }
		;;
	*)
		ip netns exec "$RTR" iptables-legacy-restore <"$tmpdir/empty" ||
			fail "iptables-legacy-restore (flush) failed"
		case $1 in
		nfgate-list) echo 1000000 >$LB ;;
		nfgate) echo "$lb_saved" >$LB ;;
		*) echo 0 >$LB ;;
		esac
		nfg_ok "$RTR" restore -c "$2" ||
			{ fail "nfgate restore $2 failed"; return 1; }
		;;
	esac
}

# rtr_cmd BACKEND ARGS...: iptables-legacy or nfgate in the router.
rtr_cmd() {
	local b=$1

	shift
	if [ "$b" = iptables ]; then
		ip netns exec "$RTR" iptables-legacy "$@"
	else
		nfg "$RTR" "$@"
	fi
}

# rtr_save BACKEND [REGEX]: the lines of save -c matching REGEX (default:
# chains and rules).
rtr_save() {
	if [ "$1" = iptables ]; then
		ip netns exec "$RTR" iptables-legacy-save -c -t filter
	else
		nfg "$RTR" save -c -t filter
	fi | grep -E "${2:-^(:|\[)}"
}

# 1. Real traffic.
cat >"$tmpdir/real" <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -p tcp --dport 7001 --syn
-A FORWARD -p tcp --sport 7001 --tcp-flags RST,ACK RST,ACK
-A FORWARD -p tcp --dport 7001 --tcp-option 2
-A FORWARD -p tcp --dport 7001 ! --tcp-option 19
-A FORWARD -p tcp --dport 7001 ! --syn
-A FORWARD -p tcp --dport 7002 --syn -j DROP
-A FORWARD -p tcp -m multiport --sports 7003,7004:7005 -m tcp --tcp-flags RST RST -j DROP
-A FORWARD -p icmp --icmp-type echo-request
-A FORWARD -p icmp -m icmp --icmp-type 0
-A FORWARD -p icmp ! --icmp-type 8
-A FORWARD -p udp -m multiport --dports 5001,5003:5004 -j DROP
-A FORWARD -p udp -m multiport ! --dports 5001:5004
COMMIT
EOF
for b in iptables nfgate-cls; do
	log "-- real traffic, $b"
	use_backend $b "$tmpdir/real" || continue
	got="$(tcp_reach "$CLI" $SRV_IP 7001) $(tcp_reach "$CLI" $SRV_IP 7002)"
	got="$got $(tcp_reach "$CLI" $SRV_IP 7004) $(tcp_reach "$CLI" $SRV_IP 7006)"
	assert_eq "$b: tcp probes 7001 7002 7004 7006" \
		"reached timeout timeout reached" "$got"
	ping_ok "$CLI" $SRV_IP 3
	assert_eq "$b: udp 5001..5005" "5001:0 5002:2 5003:0 5004:0 5005:2" \
		"$(udp_round "$CLI" "$SRV" $SRV_IP 5001:5005 2)"
	# echo replies dropped by type: the pings fail
	rtr_cmd $b -A FORWARD -p icmp -m icmp --icmp-type echo-reply -j DROP ||
		fail "$b: -A ... --icmp-type echo-reply -j DROP"
	ping_fails "$CLI" $SRV_IP 2
	rtr_save $b '^\[' >"$tmpdir/real.$b"
	if [ $b = iptables ]; then
		cat "$tmpdir/real.$b"
	elif cmp -s "$tmpdir/real.iptables" "$tmpdir/real.$b"; then
		log "ok: $b: save -c = iptables-legacy-save -c"
	else
		fail "$b: save -c differs from iptables-legacy-save -c:"
		diff "$tmpdir/real.iptables" "$tmpdir/real.$b"
	fi
done

# 2. Crafted packets.  The server counts what arrives per case and sends
# nothing back, so the router sees only the test's packets.
for ns in "$RTR" "$SRV"; do
	ip netns exec "$ns" sh -c \
		'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 >"$f"; done'
done
nfg_ok "$SRV" -P OUTPUT DROP
MAC=$(ip -n "$RTR" -o link show veth-cli | grep -oE 'link/ether [0-9a-f:]+' |
	cut -d' ' -f2)
[ -n "$MAC" ] || die "no MAC of veth-cli"

ncase=0
names=()
wants=()
decls=()
rules=()
dispatch=()
tails=()
server=()
packets=()
# fcase NAME "PROTO SPORT DPORT FRAGOFF MF L4LEN [X [Y]]" EXPECTED LINE...:
# LINEs are restore lines of the case's chain, @ standing for its name.
fcase() {
	local name=$1 pkt=$2 want=$3 c l

	shift 3
	ncase=$((ncase + 1))
	c=$(printf 'C%02d' $ncase)
	names+=("$name")
	wants+=("$want")
	decls+=(":$c - [0:0]")
	for l in "$@"; do
		rules+=("${l//@/$c}")
	done
	dispatch+=("-A FORWARD -s 198.18.0.$ncase/32 -j $c")
	tails+=("-A FORWARD -s 198.18.0.$ncase/32")
	server+=("-A PREROUTING -s 198.18.0.$ncase/32")
	packets+=("veth0 $MAC 198.18.0.$ncase $SRV_IP $pkt")
}

# Expected: delivered | packets of the case chain's rules | came back.
FLAGS=("-A @ -p tcp --syn"
	"-A @ -p tcp ! --syn"
	"-A @ -p tcp --tcp-flags SYN,ACK SYN,ACK"
	"-A @ -p tcp --tcp-flags ALL SYN"
	"-A @ -p tcp --tcp-flags ALL NONE"
	"-A @ -p tcp ! --tcp-flags all none"
	"-A @ -p tcp --tcp-flags FIN,PSH,URG FIN,PSH,URG"
	"-A @ -p tcp --dport 80 --tcp-flags SYN,RST SYN,RST")
fcase "SYN" "6 1000 80 0 0 -1 0x02" "1 | 1 0 0 1 0 1 0 0 | 1" "${FLAGS[@]}"
fcase "SYN,ACK" "6 1000 80 0 0 -1 0x12" "1 | 0 1 1 0 0 1 0 0 | 1" "${FLAGS[@]}"
fcase "ACK" "6 1000 80 0 0 -1 0x10" "1 | 0 1 0 0 0 1 0 0 | 1" "${FLAGS[@]}"
fcase "FIN,PSH,URG" "6 1000 80 0 0 -1 0x29" "1 | 0 1 0 0 0 1 1 0 | 1" \
	"${FLAGS[@]}"
fcase "no flags" "6 1000 80 0 0 -1 0x00" "1 | 0 1 0 0 1 0 0 0 | 1" \
	"${FLAGS[@]}"
fcase "SYN,RST" "6 1000 80 0 0 -1 0x06" "1 | 0 1 0 0 0 1 0 1 | 1" \
	"${FLAGS[@]}"
fcase "SYN,ECE,CWR (outside every mask)" "6 1000 80 0 0 -1 0xc2" \
	"1 | 1 0 0 1 0 1 0 0 | 1" "${FLAGS[@]}"
fcase "SYN dropped, SYN,ACK not" "6 1000 80 0 0 -1 0x02" "0 | 0 1 | 0" \
	"-A @ -p tcp -m tcp --tcp-flags SYN,ACK SYN,ACK -j ACCEPT" \
	"-A @ -p tcp -m tcp --syn -j DROP"
fcase "multiport, then the tcp flags" "6 1000 80 0 0 -1 0x02" "1 | 1 0 | 1" \
	"-A @ -p tcp -m multiport --dports 80,443 -m tcp --sport 1000 --syn" \
	"-A @ -p tcp -m multiport --dports 80,443 -m tcp ! --syn"

OPTS=("-A @ -p tcp --tcp-option 2"
	"-A @ -p tcp ! --tcp-option 2"
	"-A @ -p tcp --tcp-option 8"
	"-A @ -p tcp --tcp-option 10"
	"-A @ -p tcp --tcp-option 1"
	"-A @ -p tcp ! --tcp-option 4")
fcase "option MSS" "6 1000 80 0 0 -1 0x02 020405b4" "1 | 1 0 0 0 0 1 | 1" \
	"${OPTS[@]}"
fcase "options NOP NOP timestamps" \
	"6 1000 80 0 0 -1 0x02 0101080a0000000100000000" \
	"1 | 0 1 1 0 1 1 | 1" "${OPTS[@]}"
fcase "no options" "6 1000 80 0 0 -1 0x02 -" "1 | 0 1 0 0 0 1 | 1" \
	"${OPTS[@]}"
fcase "options MSS, SACK permitted" "6 1000 80 0 0 -1 0x02 020405b40402" \
	"1 | 1 0 0 0 0 0 | 1" "${OPTS[@]}"
fcase "options cut short by the packet" "6 1000 80 0 0 20 0x02 020405b4" \
	"0 | 1 0 0 | 0" \
	"-A @ -p tcp" \
	"-A @ -p tcp --tcp-option 2 -j ACCEPT" \
	"-A @ -j ACCEPT"
fcase "options cut short, flags only" "6 1000 80 0 0 20 0x02 020405b4" \
	"1 | 1 | 0" \
	"-A @ -p tcp --syn -j ACCEPT"
fcase "tcp offset 3: no flag rule matches" "6 1000 80 3 1 -1" "1 | 0 0 | 1" \
	"-A @ -p tcp --syn -j DROP" \
	"-A @ -p tcp ! --syn -j DROP"
fcase "tcp offset 1: --syn drops" "6 1000 80 1 0 -1" "0 | 1 0 0 | 0" \
	"-A @ -p tcp" \
	"-A @ -p tcp --syn -j ACCEPT" \
	"-A @ -j ACCEPT"

ICMP=("-A @ -p icmp --icmp-type echo-request"
	"-A @ -p icmp --icmp-type 8/0"
	"-A @ -p icmp --icmp-type 8/1"
	"-A @ -p icmp ! --icmp-type 8"
	"-A @ -p icmp --icmp-type any"
	"-A @ -p icmp --icmp-type destination-unreachable"
	"-A @ -p icmp --icmp-type port-unreachable"
	"-A @ -p icmp --icmp-type 3/0:2"
	"-A @ -p icmp -m icmp --icmp-type ttl-zero-during-reassembly")
fcase "icmp echo request" "1 0 0 0 0 -1 8 0" "1 | 1 1 0 0 1 0 0 0 0 | 1" \
	"${ICMP[@]}"
fcase "icmp echo request, code 1" "1 0 0 0 0 -1 8 1" \
	"1 | 1 0 1 0 1 0 0 0 0 | 1" "${ICMP[@]}"
fcase "icmp port unreachable" "1 0 0 0 0 -1 3 3" "1 | 0 0 0 1 1 1 1 0 0 | 1" \
	"${ICMP[@]}"
fcase "icmp host unreachable" "1 0 0 0 0 -1 3 1" "1 | 0 0 0 1 1 1 0 1 0 | 1" \
	"${ICMP[@]}"
fcase "icmp ttl zero during reassembly" "1 0 0 0 0 -1 11 1" \
	"1 | 0 0 0 1 1 0 0 0 1 | 1" "${ICMP[@]}"
fcase "icmp echo reply" "1 0 0 0 0 -1 0 0" "1 | 0 0 0 1 1 0 0 0 0 | 1" \
	"${ICMP[@]}"
fcase "icmp 4-byte header: --icmp-type drops" "1 0 0 0 0 4" "0 | 1 0 0 | 0" \
	"-A @ -p icmp" \
	"-A @ -p icmp --icmp-type any -j ACCEPT" \
	"-A @ -j ACCEPT"
fcase "icmp later fragment: no type matches" "1 0 0 2 0 -1" "1 | 0 0 | 1" \
	"-A @ -p icmp --icmp-type any -j DROP" \
	"-A @ -p icmp ! --icmp-type 8 -j DROP"

fcase "multiport, udp 1000 -> 53" "17 1000 53 0 0 -1" "1 | 1 0 1 0 0 1 0 | 1" \
	"-A @ -p udp -m multiport --dports 53" \
	"-A @ -p udp -m multiport --sports 53" \
	"-A @ -p udp -m multiport --ports domain" \
	"-A @ -p udp -m multiport --dports 1:52,54:65535" \
	"-A @ -p udp -m multiport ! --dports 50:60" \
	"-A @ -p udp -m multiport --ports 999:1001" \
	"-A @ -p udp -m multiport ! --source-ports 1000,2000"
fcase "multiport, tcp 80 -> 1000" "6 80 1000 0 0 -1 0x12" "1 | 1 0 0 | 1" \
	"-A @ -p tcp -m multiport --dports 22,1000:1001" \
	"-A @ -p tcp -m multiport ! --sports 80" \
	"-A @ -p tcp -m multiport --ports 1:79,81:999"
fcase "multiport, udp 4-byte header: ports read" "17 1000 53 0 0 4" \
	"1 | 1 1 0 | 0" \
	"-A @ -p udp" \
	"-A @ -p udp -m multiport --dports 53 -j ACCEPT" \
	"-A @ -j DROP"
fcase "multiport, udp 2-byte header: dropped" "17 1000 53 0 0 2" \
	"0 | 1 0 0 | 0" \
	"-A @ -p udp" \
	"-A @ -p udp -m multiport --dports 53 -j ACCEPT" \
	"-A @ -j ACCEPT"
fcase "multiport, tcp 10-byte header: ports read" "6 1000 80 0 0 10" \
	"1 | 1 0 | 0" \
	"-A @ -p tcp -m multiport --dports 80 -j ACCEPT" \
	"-A @ -j DROP"
fcase "multiport, udp later fragment" "17 1000 53 2 0 -1" "1 | 0 | 1" \
	"-A @ -p udp -m multiport --ports 0:65535 -j DROP"
fcase "multiport, sctp" "132 1000 53 0 0 -1 1" "1 | 1 0 | 1" \
	"-A @ -p sctp -m multiport --dports 53" \
	"-A @ -p sctp -m multiport --sports 53"
fcase "multiport, udplite" "136 1000 53 0 0 -1 1" "1 | 1 | 1" \
	"-A @ -p udplite -m multiport --dports 50:60"

{
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	printf '%s\n' "${decls[@]}" "${dispatch[@]}" "${tails[@]}" "${rules[@]}"
	echo "COMMIT"
} >"$tmpdir/rules"
printf '%s\n' "${packets[@]}" >"$tmpdir/packets"
mangle_block "${server[@]}" >"$tmpdir/server"
nfg_ok "$SRV" restore "$tmpdir/server" || die "server counting rules"

# outcomes SAVE-FILE SERVER-LISTING: one line per case, in one awk run
# (the server's PREROUTING rule N counts case N).
outcomes() {
	echo "$2" >"$tmpdir/srv.list"
	awk -v n=$ncase '
		FNR == NR {
			if ($1 == "Chain")
				cur = $2
			else if (cur == "PREROUTING" && $1 ~ /^[0-9]+$/)
				d[$1] = $2
			next
		}
		!/^\[/ { next }
		{ gsub(/[][]/, "", $1); split($1, a, ":") }
		$3 ~ /^C[0-9][0-9]$/ { r[$3] = r[$3] " " a[1] }
		$3 == "FORWARD" && NF == 5 {
			sub(/^198\.18\.0\./, "", $5)
			sub(/\/32$/, "", $5)
			t[$5] = a[1]
		}
		END {
			for (i = 1; i <= n; i++) {
				c = sprintf("C%02d", i)
				printf "%s |%s | %s\n", (i in d) ? d[i] : "missing",
					r[c], t[i]
			}
		}' "$tmpdir/srv.list" "$1"
}

# proto_names: iptables 1.8.9's -L -v -x -n prints the protocol column as
# a number ("6"); nfgate's core listing printed the name ("tcp") until
# main fixed it, a matter outside this test's matches.  Names on both
# sides, so that the rest of each row is compared either way.
proto_names() {
	awk 'BEGIN {
		n["0"] = "all"; n["1"] = "icmp"; n["6"] = "tcp"; n["17"] = "udp"
		n["132"] = "sctp"; n["136"] = "udplite"
	}
	/^ +[0-9]+ +[0-9]+ / {
		# "%8llu %8llu %-9s " then the "!" column: prot at 30
		p = substr($0, 30, 5)
		sub(/ +$/, "", p)
		if (p in n) {
			print substr($0, 1, 29) sprintf("%-4s ", n[p]) substr($0, 35)
			next
		}
	}
	{ print }'
}

# listings BACKEND: -S and -L -v -x -n of the table, -L -v -x of case
# chains that name things (they have no addresses to resolve).
listings() {
	local c

	rtr_cmd "$1" -t filter -S
	# without FORWARD, which has no layer-4 match
	rtr_cmd "$1" -t filter -L -v -x -n |
		awk '/^Chain / { skip = $2 == "FORWARD" } !skip' |
		proto_names
	for c in C01 C10 C18 C20 C26 C27; do
		rtr_cmd "$1" -t filter -L $c -v -x
	done
}

for b in iptables nfgate-list nfgate-cls; do
	log "-- crafted packets, $b"
	use_backend $b "$tmpdir/rules" || continue
	nfg_ok "$SRV" -t mangle -Z
	out=$(ip netns exec "$CLI" "$HELPERS/nfg_inject" <"$tmpdir/packets") ||
		{ fail "$b: nfg_inject failed: $out"; continue; }
	sleep 0.5
	rtr_save $b >"$tmpdir/save.$b"
	outcomes "$tmpdir/save.$b" "$(listing "$SRV" mangle)" >"$tmpdir/out.$b"
	i=0
	while read -r got; do
		want=${wants[$i]}
		i=$((i + 1))
		assert_eq "case $i (${names[$i - 1]}), $b" "$want" "$got"
	done <"$tmpdir/out.$b"
	[ $i -eq $ncase ] || fail "$b: $i outcomes for $ncase cases"
	log "$b: listings"
	listings $b >"$tmpdir/list.$b" 2>&1
	if [ $b = iptables ]; then
		continue
	fi
	if cmp -s "$tmpdir/save.iptables" "$tmpdir/save.$b"; then
		log "ok: $b: save -c = iptables-legacy-save -c"
	else
		fail "$b: save -c differs from iptables-legacy-save -c:"
		diff "$tmpdir/save.iptables" "$tmpdir/save.$b" | head -n 40
	fi
	if cmp -s "$tmpdir/list.iptables" "$tmpdir/list.$b"; then
		log "ok: $b: -S and -L -v -x [-n] = iptables-legacy's"
	else
		fail "$b: -S / -L differ from iptables-legacy's:"
		diff "$tmpdir/list.iptables" "$tmpdir/list.$b" | head -n 40
	fi
done

echo "$lb_saved" >$LB
exit $ret
