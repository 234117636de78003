#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_malformed.sh: malformed IPv4 packets get exactly iptables'
# verdicts and counters, on the receive path and on the local output
# path, and nfgate reads nothing past a packet (the debug kernel's KASAN
# proves that part: make debug-check T=nfgate_malformed.sh).
#
# nfgate_fragments.sh covers fragments and short TCP/UDP heads with port
# rules; this test covers the rest: IP options (valid, unknown,
# malformed), a bad IHL, total length or checksum, a frame cut short or
# padded, TCP data offsets and options that lie, UDP length fields that
# lie, ICMP heads shorter than 8 bytes, tiny first fragments, later
# fragments under icmp/multiport/length, '!' on short packets, and a
# tcp/udp match that comes after another match in its rule (iptables
# runs matches in rule order, so a failing earlier match spares the
# packet the tcp match's drop).
#
# Each case is one packet crafted by nfg_rawsend with its own source
# 198.18.0.N, sent from the client either
#   in:  as an Ethernet frame (AF_PACKET) to the router, whose ip_rcv()
#        checks the IP header first: what it refuses no hook may count;
#   out: from an IPPROTO_RAW socket (IP_HDRINCL): the client's LOCAL_OUT
#        and POST_ROUTING see IP options nobody validated (the kernel only
#        refuses an IHL below 5 or beyond the data, and rewrites total
#        length and checksum), then the router sees what the client sent.
# The client has per-case count rules in raw OUTPUT, mangle OUTPUT and
# POSTROUTING, nat OUTPUT and POSTROUTING (conntrack on, through a
# count rule for --ctstate INVALID first in filter OUTPUT, since
# iptables' nat table alone does not turn it on: nat sees only packets
# conntrack takes as new) and filter OUTPUT -> case chain CNN;
# the router in raw and mangle PREROUTING, mangle FORWARD and filter
# FORWARD -> the same case chains; the server counts what arrives.  Each
# backend (iptables-legacy, nfgate, nfgate with the classifier for every
# chain) gets a fresh topology and the same packets; per case, the
# outcome "sendto result | delivered | client case chain counters |
# router case chain counters" must equal the explicit expectation, and
# every nfgate "save -c" line of every table must equal
# iptables-legacy-save -c's.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_rawsend
command -v iptables-legacy-restore >/dev/null ||
	skip "iptables-legacy-restore missing (the oracle)"
command -v iptables-legacy-save >/dev/null ||
	skip "iptables-legacy-save missing (the oracle)"
# iptables' module autoload looks for the VM's modprobe helper outside
# the test's root: load the oracle's modules here.
for m in iptable_filter iptable_mangle iptable_raw iptable_nat xt_tcpudp \
	xt_multiport xt_length xt_mark xt_conntrack; do
	modprobe "$m" || skip "cannot load $m (the oracle)"
done

LB=/sys/module/nfgate/parameters/linear_below
lb_saved=$(cat $LB)

# Transport headers as hex.
# tcp SPORT DPORT [FLAGS [DOFF [OPTIONS]]]: 20 bytes + OPTIONS as given
tcp() {
	printf '%04x%04x0000000100000000%02x%02x040000000000%s' "$1" "$2" \
		$((${4:-5} << 4)) $((${3:-2})) "${5:-}"
}
# udp SPORT DPORT LENFIELD [PAYLOAD]
udp() {
	printf '%04x%04x%04x0000%s' "$1" "$2" "$3" "${4:-}"
}
# icmp TYPE CODE: 8 bytes (echo id/sequence 1)
icmp() {
	printf '%02x%02x000000010001' "$1" "$2"
}
# head_of N HEX: the first N bytes
head_of() {
	echo "${2:0:$(($1 * 2))}"
}

ncase=0
names=()
wants=()
cdecls=()
crules=()
cdispatch=()
ccount=()
rdispatch=()
rcount=()
server=()
packets=()
ways=()
# mcase NAME WAY "PROTO L4HEX [KEY=VALUE...]" EXPECTED LINE...: WAY is in
# or out (see the header); LINEs are restore lines of the case's filter
# chain, @ standing for its name.  EXPECTED: "sendto result | delivered
# | client case chain rule packets (- for WAY in) | router's".
mcase() {
	local name=$1 way=$2 pkt=$3 want=$4 c l s

	shift 4
	ncase=$((ncase + 1))
	c=$(printf 'C%02d' $ncase)
	s=198.18.0.$ncase
	names+=("$name")
	wants+=("$want")
	ways+=("$way")
	cdecls+=(":$c - [0:0]")
	for l in "$@"; do
		crules+=("${l//@/$c}")
	done
	cdispatch+=("-A OUTPUT -s $s/32 -j $c")
	rdispatch+=("-A FORWARD -s $s/32 -j $c")
	ccount+=("-A OUTPUT -s $s/32" "-A POSTROUTING -s $s/32")
	rcount+=("-s $s/32")
	server+=("-A PREROUTING -s $s/32")
	if [ "$way" = out ]; then
		set -- $pkt
		packets+=("raw $s $SRV_IP $*")
	else
		set -- $pkt
		packets+=("eth:veth0:@MAC $s $SRV_IP $*")
	fi
}

T=$(tcp 1000 80)
U=$(udp 1000 53 8)
I=$(icmp 8 0)
NOP40=$(printf '01%.0s' $(seq 40))
RR40=0727040$(printf '0%.0s' $(seq 73))
TS12=440c0500$(printf '0%.0s' $(seq 16))

# --- the IP header, received (ip_rcv() judges it before any hook)
mcase "IHL 6: NOP NOP NOP EOL, ports after the options" in \
	"6 $T opt=01010100" "ok | 1 | - | 0 1" \
	"-A @ -p tcp -m tcp --sport 257 -j DROP" \
	"-A @ -p tcp -m tcp --dport 80 -j ACCEPT"
mcase "IHL 15: record route, 40 bytes of options" in \
	"17 $U opt=$RR40" "ok | 1 | - | 0 1" \
	"-A @ -p udp -m udp --sport 1831" \
	"-A @ -p udp -m udp --dport 53 -j ACCEPT"
mcase "timestamp option, --icmp-type 8" in \
	"1 $I opt=$TS12" "ok | 1 | - | 0 1" \
	"-A @ -p icmp -m icmp --icmp-type 68 -j DROP" \
	"-A @ -p icmp -m icmp --icmp-type 8 -j ACCEPT"
mcase "unknown option kind 0x99: forwarded" in \
	"6 $T opt=99040000" "ok | 1 | - | 1" \
	"-A @ -p tcp -m tcp --dport 80 -j ACCEPT"
mcase "record route of length 2: dropped after PREROUTING" in \
	"6 $T opt=07020000" "ok | 0 | - | 0" \
	"-A @ -j ACCEPT"
mcase "option length past the header: dropped after PREROUTING" in \
	"17 $U opt=99100000" "ok | 0 | - | 0" \
	"-A @ -j ACCEPT"
mcase "IHL 4: no hook sees it" in \
	"6 $T ihl=4" "ok | 0 | - | 0" \
	"-A @ -j ACCEPT"
mcase "IHL 15 beyond the 40-byte packet: no hook sees it" in \
	"6 $T ihl=15" "ok | 0 | - | 0" \
	"-A @ -j ACCEPT"
mcase "IHL 7 beyond a total length of 24 (frame padded): no hook" in \
	"6 $T ihl=7 tot=24" "ok | 0 | - | 0" \
	"-A @ -j ACCEPT"
mcase "total length beyond the frame: no hook sees it" in \
	"6 $T tot=100" "ok | 0 | - | 0" \
	"-A @ -j ACCEPT"
mcase "total length 28 in a 40-byte frame: TCP cut to 8 bytes" in \
	"6 $T tot=28" "ok | 0 | - | 1 0 0" \
	"-A @ -p tcp" \
	"-A @ -p tcp -m tcp --dport 80 -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "UDP padded past its total length: the padding is not read" in \
	"17 $U pad=32" "ok | 1 | - | 0 1" \
	"-A @ -m length ! --length 28 -j DROP" \
	"-A @ -p udp -m udp --dport 53 -j ACCEPT"
mcase "bad header checksum: no hook sees it" in \
	"6 $T csum=bad" "ok | 0 | - | 0" \
	"-A @ -j ACCEPT"
mcase "version 6 in an IPv4 frame: no hook sees it" in \
	"6 $T ver=6" "ok | 0 | - | 0" \
	"-A @ -j ACCEPT"
mcase "frame of 12 bytes: no hook sees it" in \
	"6 $T cut=12" "ok | 0 | - | 0" \
	"-A @ -j ACCEPT"
mcase "IHL 15 of NOPs and a 19-byte TCP header" in \
	"6 $(head_of 19 "$T") opt=$NOP40" "ok | 0 | - | 1 0 0" \
	"-A @ -p tcp -m length --length 79" \
	"-A @ -p tcp -m tcp --dport 80 -j ACCEPT" \
	"-A @ -j ACCEPT"

# --- transport headers that lie, received
mcase "TCP data offset 15 in a 20-byte header: --tcp-option drops" in \
	"6 $(tcp 1000 80 2 15)" "ok | 0 | - | 1 0 0" \
	"-A @ -p tcp -m tcp --dport 80" \
	"-A @ -p tcp -m tcp --tcp-option 2 -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "TCP data offset 15: ! --tcp-option drops too" in \
	"6 $(tcp 1000 80 2 15)" "ok | 0 | - | 0 0" \
	"-A @ -p tcp -m tcp ! --tcp-option 2 -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "TCP data offset 4: flags match, --tcp-option drops" in \
	"6 $(tcp 1000 80 2 4)" "ok | 0 | - | 1 0 0" \
	"-A @ -p tcp -m tcp --tcp-flags SYN SYN" \
	"-A @ -p tcp -m tcp ! --tcp-option 3 -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "TCP option 3 of length 8 in 4 option bytes hides the 2 after it" in \
	"6 $(tcp 1000 80 2 6 03080204)" "ok | 1 | - | 0 1 1" \
	"-A @ -p tcp -m tcp --tcp-option 2 -j DROP" \
	"-A @ -p tcp -m tcp --tcp-option 3" \
	"-A @ -p tcp -m tcp ! --tcp-option 4 -j ACCEPT"
mcase "TCP option of length 0 counts 1, EOL too: MSS found after them" in \
	"6 $(tcp 1000 80 2 6 05000204)" "ok | 1 | - | 1" \
	"-A @ -p tcp -m tcp --tcp-option 2 -j ACCEPT"
mcase "TCP options cut off by the packet's end" in \
	"6 $(tcp 1000 80 2 8 020405b4)" "ok | 0 | - | 1 0 0" \
	"-A @ -p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG SYN" \
	"-A @ -p tcp -m tcp --sport 1000 --tcp-option 2 -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "TCP 13 bytes: ! --syn drops" in \
	"6 $(head_of 13 "$T")" "ok | 0 | - | 0 0" \
	"-A @ -p tcp -m tcp ! --syn -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "UDP length field 0" in \
	"17 $(udp 1000 53 0)" "ok | 1 | - | 1" \
	"-A @ -p udp -m udp --dport 53 -j ACCEPT"
mcase "UDP length field 8 and 4 more bytes" in \
	"17 $(udp 1000 53 8 00000000)" "ok | 1 | - | 0 1" \
	"-A @ -p udp -m udp ! --sport 1000 -j DROP" \
	"-A @ -p udp -m length --length 32 -j ACCEPT"
mcase "UDP length field 1000 beyond the packet" in \
	"17 $(udp 1000 53 1000)" "ok | 1 | - | 1" \
	"-A @ -p udp -m multiport --dports 53,54 -j ACCEPT"
mcase "UDP 4 bytes: multiport needs only the ports" in \
	"17 $(head_of 4 "$U")" "ok | 1 | - | 1" \
	"-A @ -p udp -m multiport --sports 1000 -j ACCEPT"
mcase "UDP 3 bytes: ! multiport drops" in \
	"17 $(head_of 3 "$U")" "ok | 0 | - | 0 0" \
	"-A @ -p udp -m multiport ! --dports 9 -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "UDP 4 bytes: a failing multiport before -m udp spares the drop" in \
	"17 $(head_of 4 "$U")" "ok | 1 | - | 0 1" \
	"-A @ -p udp -m multiport --dports 54 -m udp --dport 53 -j DROP" \
	"-A @ -j ACCEPT"
mcase "UDP 4 bytes: a matching multiport before -m udp, then it drops" in \
	"17 $(head_of 4 "$U")" "ok | 0 | - | 0 0" \
	"-A @ -p udp -m multiport --dports 53 -m udp --dport 53 -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "TCP 8 bytes: a failing -m length before -m tcp spares the drop" in \
	"6 $(head_of 8 "$T")" "ok | 1 | - | 0 1" \
	"-A @ -p tcp -m length --length 1:20 -m tcp --dport 80 -j DROP" \
	"-A @ -j ACCEPT"
mcase "TCP 8 bytes: a matching -m length before -m tcp, then it drops" in \
	"6 $(head_of 8 "$T")" "ok | 0 | - | 0 0" \
	"-A @ -p tcp -m length --length 28 -m tcp --dport 80 -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "TCP offset 1: a failing -m length before -m tcp spares the drop" in \
	"6 $T frag=1 mf=1" "ok | 1 | - | 0 1" \
	"-A @ -p tcp -m length --length 1:20 -m tcp --sport 1000 -j DROP" \
	"-A @ -j ACCEPT"
mcase "ICMP 4 bytes: --icmp-type any drops" in \
	"1 $(head_of 4 "$I")" "ok | 0 | - | 0 0" \
	"-A @ -p icmp -m icmp --icmp-type any -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "ICMP 7 bytes: ! --icmp-type drops" in \
	"1 $(head_of 7 "$I")" "ok | 0 | - | 0 0" \
	"-A @ -p icmp -m icmp ! --icmp-type 0 -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "ICMP later fragment: ! --icmp-type never matches" in \
	"1 $I frag=2" "ok | 1 | - | 0 1" \
	"-A @ -p icmp -m icmp ! --icmp-type 0 -j DROP" \
	"-A @ -p icmp -j ACCEPT"
mcase "ICMP tiny first fragment (4 bytes): --icmp-type drops" in \
	"1 $(head_of 4 "$I") mf=1" "ok | 0 | - | 0 0" \
	"-A @ -p icmp -m icmp --icmp-type 3 -j DROP" \
	"-A @ -j ACCEPT"
mcase "UDP tiny first fragment (4 bytes): multiport sees the ports" in \
	"17 $(head_of 4 "$U") mf=1" "ok | 1 | - | 1" \
	"-A @ -p udp -m multiport --dports 53 -j ACCEPT"
mcase "UDP later fragment: ! multiport, ! --dport never match" in \
	"17 $U frag=3 mf=1" "ok | 1 | - | 0 0 1" \
	"-A @ -p udp -m multiport ! --dports 9 -j DROP" \
	"-A @ -p udp -m udp ! --dport 9 -j DROP" \
	"-A @ -p udp -m length --length 28 -j ACCEPT"

# --- local output through an IP_HDRINCL socket
mcase "out: malformed record route passes the sender, not the router" out \
	"6 $T opt=07020000" "ok | 0 | 1 | 0" \
	"-A @ -p tcp -m tcp --dport 80 -j ACCEPT"
mcase "out: option length past the header" out \
	"17 $U opt=99ff0000" "ok | 0 | 1 | 0" \
	"-A @ -p udp -m udp --dport 53 -j ACCEPT"
mcase "out: IHL 6 of NOPs, MSS option found" out \
	"6 $(tcp 1000 80 2 6 020405b4) opt=01010101" "ok | 1 | 0 1 | 0 1" \
	"-A @ -p tcp -m tcp --sport 257 -j DROP" \
	"-A @ -p tcp -m tcp --tcp-option 2 -j ACCEPT"
mcase "out: IHL 15 of NOPs, a 19-byte TCP header (EPERM)" out \
	"6 $(head_of 19 "$T") opt=$NOP40" "EPERM | 0 | 1 0 0 | 0 0 0" \
	"-A @ -p tcp -m length --length 79" \
	"-A @ -p tcp -m tcp --dport 80 -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "out: IHL beyond the data is refused" out \
	"17 $U ihl=15" "EINVAL | 0 | 0 | 0" \
	"-A @ -j ACCEPT"
mcase "out: IHL 3 is refused" out \
	"17 $U ihl=3" "EINVAL | 0 | 0 | 0" \
	"-A @ -j ACCEPT"
mcase "out: total length and checksum rewritten by the kernel" out \
	"17 $U tot=9999 csum=bad" "ok | 1 | 1 | 1" \
	"-A @ -p udp -m length --length 28 -j ACCEPT"
mcase "out: TCP 8 bytes, --dport drops (EPERM)" out \
	"6 $(head_of 8 "$T")" "EPERM | 0 | 1 0 0 | 0 0 0" \
	"-A @ -p tcp" \
	"-A @ -p tcp -m tcp --dport 80 -j ACCEPT" \
	"-A @ -j ACCEPT"
mcase "out: TCP data offset 15, ! --tcp-option drops" out \
	"6 $(tcp 1000 80 2 15)" "EPERM | 0 | 0 | 0" \
	"-A @ -p tcp -m tcp ! --tcp-option 2 -j ACCEPT"
mcase "out: UDP length field 0, multiport --ports" out \
	"17 $(udp 1000 53 0)" "ok | 1 | 1 | 1" \
	"-A @ -p udp -m multiport --ports 53 -j ACCEPT"
mcase "out: ICMP 4 bytes, --icmp-type drops" out \
	"1 $(head_of 4 "$I")" "EPERM | 0 | 0 | 0" \
	"-A @ -p icmp -m icmp --icmp-type 8 -j ACCEPT"
mcase "out: TCP 8 bytes, a failing mark before -m tcp spares the drop" out \
	"6 $(head_of 8 "$T")" "ok | 1 | 0 1 | 0 1" \
	"-A @ -p tcp -m mark --mark 0x7 -m tcp --dport 80 -j DROP" \
	"-A @ -j ACCEPT"

filter_block() {
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	printf '%s\n' "${cdecls[@]}" "$@" "${crules[@]}"
	echo "COMMIT"
}
{
	echo "*raw"
	echo ":PREROUTING ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	printf '%s\n' "${ccount[@]}" | grep OUTPUT
	echo "COMMIT"
	mangle_block "${ccount[@]}"
	echo "*nat"
	for c in PREROUTING INPUT OUTPUT POSTROUTING; do
		echo ":$c ACCEPT [0:0]"
	done
	printf '%s\n' "${ccount[@]}"
	echo "COMMIT"
	filter_block "-A OUTPUT -m conntrack --ctstate INVALID" \
		"${cdispatch[@]}"
} >"$tmpdir/client"
{
	echo "*raw"
	echo ":PREROUTING ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	printf -- '-A PREROUTING %s\n' "${rcount[@]}"
	echo "COMMIT"
	for l in "${rcount[@]}"; do
		echo "-A PREROUTING $l"
		echo "-A FORWARD $l"
	done >"$tmpdir/rmangle"
	mapfile -t rmangle <"$tmpdir/rmangle"
	mangle_block "${rmangle[@]}"
	filter_block "${rdispatch[@]}"
} >"$tmpdir/router"
printf '%s\n' "${packets[@]}" >"$tmpdir/packets"
mangle_block "${server[@]}" >"$tmpdir/server"
CTABLES="raw mangle nat filter"
RTABLES="raw mangle filter"

# setup: a fresh topology, as in fragments' test but per backend
setup() {
	local ns f

	for ns in "$CLI" "$RTR" "$SRV"; do
		[ -e "/run/netns/$ns" ] && ip netns del "$ns"
	done
	topo_create
	for ns in "$RTR" "$SRV"; do
		ip netns exec "$ns" sh -c \
			'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 >"$f"; done'
	done
	nfg_ok "$SRV" -P OUTPUT DROP
	nfg_ok "$SRV" restore "$tmpdir/server" || die "server counting rules"
	MAC=$(ip -n "$RTR" -o link show veth-cli |
		grep -oE 'link/ether [0-9a-f:]+' | cut -d' ' -f2)
	[ -n "$MAC" ] || die "no MAC of veth-cli"
}

# chain_counts SAVE: "CNN packets..." per case chain with rules
chain_counts() {
	awk '/^\[/ && $3 ~ /^C[0-9]+$/ {
		gsub(/[][]/, "", $1); split($1, a, ":")
		r[$3] = r[$3] " " a[1] }
		END { for (c in r) print c r[c] }' "$1"
}

# outcomes CLIENT-FILTER-SAVE ROUTER-FILTER-SAVE SERVER-LISTING
# SENDTO-RESULTS: one line per case, "sendto | delivered | client case
# chain rule packets | router's" (one awk per file: TCG is slow)
outcomes() {
	local -A cl rt dl
	local i c k v sent

	while read -r k v; do cl[$k]=$v; done < <(chain_counts "$1")
	while read -r k v; do rt[$k]=$v; done < <(chain_counts "$2")
	while read -r k v; do dl[$k]=$v; done < <(echo "$3" | awk '
		/^Chain / { cur = $2; next }
		cur == "PREROUTING" && $1 ~ /^[0-9]+$/ { print $1, $2 }')
	mapfile -t sent <"$4"
	for ((i = 1; i <= ncase; i++)); do
		c=$(printf 'C%02d' $i)
		v=${cl[$c]:-none}
		[ "${ways[$i - 1]}" = in ] && v=-
		echo "${sent[$i - 1]} | ${dl[$i]:-missing} | $v | ${rt[$c]:-none}"
	done
}

# save BACKEND NS TABLE: the counter and policy lines
save() {
	if [ "$1" = iptables ]; then
		ip netns exec "$2" iptables-legacy-save -c -t "$3"
	else
		nfg "$2" save -c -t "$3"
	fi | grep -E '^(:|\[)'
}

for b in iptables nfgate nfgate-cls; do
	log "-- $b"
	setup
	case $b in
	iptables)
		ip netns exec "$CLI" iptables-legacy-restore -c <"$tmpdir/client" ||
			{ fail "iptables-legacy-restore (client) failed"; continue; }
		ip netns exec "$RTR" iptables-legacy-restore -c <"$tmpdir/router" ||
			{ fail "iptables-legacy-restore (router) failed"; continue; }
		;;
	*)
		if [ $b = nfgate ]; then
			echo "$lb_saved" >$LB
		else
			echo 0 >$LB
		fi
		nfg_ok "$CLI" restore -c "$tmpdir/client" >/dev/null ||
			{ fail "nfgate restore (client) failed"; continue; }
		nfg_ok "$RTR" restore -c "$tmpdir/router" >/dev/null ||
			{ fail "nfgate restore (router) failed"; continue; }
		;;
	esac
	sed "s/@MAC/$MAC/" "$tmpdir/packets" >"$tmpdir/packets.$b"
	ip netns exec "$CLI" "$HELPERS/nfg_rawsend" <"$tmpdir/packets.$b" \
		>"$tmpdir/sent.$b" || { fail "$b: nfg_rawsend failed"; continue; }
	assert_eq "$b: packets sent" "sent $ncase" "$(tail -n 1 "$tmpdir/sent.$b")"
	sleep 0.5
	log "$b: sent, saving"
	for t in $CTABLES; do
		save $b "$CLI" $t >"$tmpdir/cli.$t.$b"
	done
	for t in $RTABLES; do
		save $b "$RTR" $t >"$tmpdir/rtr.$t.$b"
	done
	outcomes "$tmpdir/cli.filter.$b" "$tmpdir/rtr.filter.$b" \
		"$(listing "$SRV" mangle)" "$tmpdir/sent.$b" >"$tmpdir/out.$b"
	i=0
	while read -r got; do
		want=${wants[$i]}
		i=$((i + 1))
		assert_eq "case $i (${names[$i - 1]}), $b" "$want" "$got"
	done <"$tmpdir/out.$b"
	[ $i -eq $ncase ] || fail "$b: $i outcomes for $ncase cases"
	[ $b = iptables ] && continue
	for f in $(printf 'cli.%s ' $CTABLES) $(printf 'rtr.%s ' $RTABLES); do
		if cmp -s "$tmpdir/$f.iptables" "$tmpdir/$f.$b"; then
			log "ok: $b: $f: save -c = iptables-legacy-save -c"
		else
			fail "$b: $f: save -c differs from iptables-legacy-save -c:"
			diff "$tmpdir/$f.iptables" "$tmpdir/$f.$b" | head -n 40
		fi
	done
done

echo "$lb_saved" >$LB
exit $ret
