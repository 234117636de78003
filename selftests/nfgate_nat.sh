#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_nat.sh: the nat table (PREROUTING, INPUT, OUTPUT, POSTROUTING),
# whose chains the kernel's nat core calls for a connection's first packet
# only, as iptables' nat table.
#  1. the nat table gets its hooks, and conntrack in the namespace, with its
#     first write that passes: before it (a read, a write to filter, a
#     refused nat write) a UDP flow through the router leaves no conntrack
#     entry there; after it, the next flow has one;
#  2. count-only rules (no -j) in the four nat chains and in mangle: a flow
#     of N UDP datagrams and a ping of N echoes count 1 in nat, N (2N with
#     the replies) in mangle: forwarded in PREROUTING and POSTROUTING,
#     delivered to the router in PREROUTING and INPUT, sent by the router in
#     OUTPUT and POSTROUTING;
#  3. DROP in nat as iptables-legacy has it: "-t nat -P PREROUTING DROP"
#     and "-t nat -A ... -j DROP" are refused with iptables' message (its
#     parser refuses them, not the kernel), while a restored ":PREROUTING
#     DROP" policy line is taken, by nfgate restore and by
#     iptables-legacy-restore, and drops a new flow, every datagram a new
#     connection attempt counted by the policy, in both the same way;
#  4. iptables-legacy's nat table in the same namespace: count-only rules
#     in both tables count the first packet of a flow;
#  5. DNAT, SNAT, MASQUERADE outside their hooks, a chain nat lacks and
#     -o in PREROUTING are refused and change nothing; a *nat block with a user chain, a DROP
#     policy and counters survives restore -c / save -c; a full save
#     prints *nat last;
#  6. release: flushing the nat table keeps its hooks (as for every table,
#     they stay until the namespace goes); a nat write in an aborted
#     transaction (restore --test) leaves no hooks and no conntrack behind;
#     deleting a namespace with nat hooks, and rmmod with nat hooks in
#     several namespaces (one shared with iptables' nat), keep the kernel
#     log clean, and after rmmod conntrack is off again where only nfgate
#     had turned it on.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_udp
command -v rmmod >/dev/null || skip "rmmod (kmod) missing"
dmesg_start=$(dmesg | wc -l)
topo_create

N=5
# One UDP datagram of nfg_udp's 32 bytes payload: 20 + 8 + 32.
UDP_LEN=60
# nfgate.ko needs nf_conntrack loaded already; a build that does not (a
# nat table without the nat core) must fail below, not skip here.
modprobe nf_conntrack 2>/dev/null
ip netns exec "$RTR" test -r /proc/net/nf_conntrack ||
	skip "no /proc/net/nf_conntrack (CONFIG_NF_CONNTRACK_PROCFS)"

# ct_flows NS SPORT DPORT: conntrack entries of that UDP flow in NS.
ct_flows() {
	ip netns exec "$1" cat /proc/net/nf_conntrack |
		grep -c -- "udp .* sport=$2 dport=$3 "
}

# flow SENDER RECEIVER DST DPORT SPORT: N datagrams; prints "DPORT:COUNT".
flow() {
	udp_round "$1" "$2" "$3" "$4" $N "$5"
}

# 1. Hooks and conntrack come with the first nat write that passes.
log "-- before the nat table is written: no conntrack in the router"
nfg_ok "$RTR" -t nat -L -n >/dev/null
nfg_ok "$RTR" -A FORWARD -p udp
out=$(nfg "$RTR" -t nat -A NOSUCH -p udp 2>&1) &&
	fail "-t nat -A NOSUCH accepted: $out"
assert_eq "flow 5001 arrives" "5001:$N" "$(flow "$CLI" "$SRV" $SRV_IP 5001 40001)"
assert_eq "filter FORWARD saw it" $N "$(rule_counter "$RTR" filter FORWARD 1)"
assert_eq "no conntrack entries in the router" 0 \
	"$(ip netns exec "$RTR" cat /proc/net/nf_conntrack | wc -l)"
nfg_ok "$RTR" -F FORWARD

log "-- the first nat write registers the hooks"
for c in PREROUTING INPUT OUTPUT POSTROUTING; do
	nfg_ok "$RTR" -t nat -A $c -p udp
	nfg_ok "$RTR" -t nat -A $c -p icmp
	nfg_ok "$RTR" -t mangle -A $c -p udp
	nfg_ok "$RTR" -t mangle -A $c -p icmp
done
assert_eq "flow 5002 arrives" "5002:$N" "$(flow "$CLI" "$SRV" $SRV_IP 5002 40002)"
assert_eq "conntrack entry of flow 5002" 1 "$(ct_flows "$RTR" 40002 5002)"

# 2. nat chains count connections, mangle chains packets.
log "-- forwarded: nat PREROUTING and POSTROUTING see the first packet"
assert_counters "forwarded udp" "$RTR" nat PREROUTING:1:1:$UDP_LEN \
	POSTROUTING:1:1:$UDP_LEN INPUT:1:0 OUTPUT:1:0
assert_counters "forwarded udp" "$RTR" mangle PREROUTING:1:$N \
	POSTROUTING:1:$N INPUT:1:0 OUTPUT:1:0
ping_ok "$CLI" $SRV_IP $N
assert_counters "forwarded ping" "$RTR" nat PREROUTING:2:1:84 \
	POSTROUTING:2:1:84 INPUT:2:0 OUTPUT:2:0
# requests and replies: the replies belong to the same connection
assert_counters "forwarded ping" "$RTR" mangle PREROUTING:2:$((2 * N)) \
	POSTROUTING:2:$((2 * N))

log "-- delivered to the router: nat PREROUTING and INPUT"
nfg_ok "$RTR" -t nat -Z
nfg_ok "$RTR" -t mangle -Z
assert_eq "flow 5003 arrives" "5003:$N" \
	"$(flow "$CLI" "$RTR" $RTR_CLI_IP 5003 40003)"
assert_counters "local udp" "$RTR" nat PREROUTING:1:1 INPUT:1:1 \
	OUTPUT:1:0 POSTROUTING:1:0
assert_counters "local udp" "$RTR" mangle PREROUTING:1:$N INPUT:1:$N
ping_ok "$CLI" $RTR_CLI_IP $N
# the router's echo replies are the reply direction: not new, not counted
assert_counters "local ping" "$RTR" nat PREROUTING:2:1 INPUT:2:1 \
	OUTPUT:2:0 POSTROUTING:2:0
assert_counters "local ping" "$RTR" mangle INPUT:2:$N OUTPUT:2:$N

log "-- sent by the router: nat OUTPUT and POSTROUTING"
nfg_ok "$RTR" -t nat -Z
nfg_ok "$RTR" -t mangle -Z
assert_eq "flow 5004 arrives" "5004:$N" "$(flow "$RTR" "$SRV" $SRV_IP 5004 40004)"
assert_counters "sent udp" "$RTR" nat OUTPUT:1:1 POSTROUTING:1:1 \
	PREROUTING:1:0 INPUT:1:0
assert_counters "sent udp" "$RTR" mangle OUTPUT:1:$N POSTROUTING:1:$N
ping_ok "$RTR" $SRV_IP $N
assert_counters "sent ping" "$RTR" nat OUTPUT:2:1 POSTROUTING:2:1 \
	PREROUTING:2:0 INPUT:2:0
assert_counters "sent ping" "$RTR" mangle OUTPUT:2:$N PREROUTING:2:$N

# 3. DROP in nat, as iptables-legacy has it: its parser refuses "-t nat -P
# CHAIN DROP" and "-j DROP" in nat, the kernel takes a DROP policy, which
# is what a restore file's ":CHAIN DROP" line sets.  Each datagram of a
# flow that policy drops is a new connection again, and counted.
have_ipt=0
if command -v iptables-legacy-restore >/dev/null && modprobe iptable_nat; then
	have_ipt=1
else
	log "SKIP: iptables-legacy or iptable_nat missing: no side by side checks"
fi
ipt() {
	ip netns exec "$RTR" iptables-legacy "$@"
}
# ipt_line REGEX: the lines of iptables-legacy-save -c -t nat matching REGEX
ipt_line() {
	ip netns exec "$RTR" iptables-legacy-save -c -t nat | grep -E -- "$1"
}
NO_DROP='The "nat" table is not intended for filtering, the use of DROP is therefore inhibited'
log "-- DROP in nat: refused by the parser, a restored policy works"
for cmd in "-P PREROUTING DROP" "-A POSTROUTING -j DROP"; do
	# shellcheck disable=SC2086 # one word per argument
	out=$(nfg "$RTR" -t nat $cmd 2>&1)
	assert_eq "nfgate -t nat $cmd exit" 2 "$?"
	assert_match "nfgate -t nat $cmd" "$NO_DROP" "$out"
	if [ $have_ipt = 1 ]; then
		# shellcheck disable=SC2086
		out=$(ipt -t nat $cmd 2>&1)
		assert_eq "iptables-legacy -t nat $cmd exit" 2 "$?"
		assert_match "iptables-legacy -t nat $cmd" "$NO_DROP" "$out"
	fi
done
printf '*nat\n:PREROUTING DROP [0:0]\nCOMMIT\n' >"$tmpdir/drop.rules"
nfg_ok "$RTR" -t nat -Z
nfg_ok "$RTR" restore --noflush "$tmpdir/drop.rules"
assert_eq "flow 5005 dropped" "5005:0" "$(flow "$CLI" "$SRV" $SRV_IP 5005 40005)"
assert_eq "nat PREROUTING policy packets" $N \
	"$(policy_counter "$RTR" nat PREROUTING)"
assert_eq "nat PREROUTING rule packets" $N \
	"$(rule_counter "$RTR" nat PREROUTING 1)"
assert_eq "no conntrack entry of the dropped flow" 0 \
	"$(ct_flows "$RTR" 40005 5005)"
nfg_ok "$RTR" -t nat -P PREROUTING ACCEPT
assert_eq "flow 5005 after ACCEPT" "5005:$N" \
	"$(flow "$CLI" "$SRV" $SRV_IP 5005 40005)"
if [ $have_ipt = 1 ]; then
	ip netns exec "$RTR" iptables-legacy-restore --noflush "$tmpdir/drop.rules" ||
		fail "iptables-legacy-restore of a nat DROP policy refused"
	assert_eq "flow 5006 dropped by iptables" "5006:0" \
		"$(flow "$CLI" "$SRV" $SRV_IP 5006 40006)"
	assert_eq "iptables nat PREROUTING policy" \
		":PREROUTING DROP [$N:$((N * UDP_LEN))]" "$(ipt_line '^:PREROUTING ')"
	ipt -t nat -P PREROUTING ACCEPT
fi

# 4. iptables-legacy's nat table alongside.
if [ $have_ipt = 1 ]; then
	log "-- iptables-legacy nat and nfgate nat count the same first packet"
	ipt -t nat -Z
	nfg_ok "$RTR" -t nat -Z
	ipt -t nat -A PREROUTING -p udp
	ipt -t nat -A POSTROUTING -p udp
	assert_eq "flow 5007 arrives" "5007:$N" \
		"$(flow "$CLI" "$SRV" $SRV_IP 5007 40007)"
	assert_eq "iptables nat PREROUTING" "[1:$UDP_LEN] -A PREROUTING -p udp" \
		"$(ipt_line ' -A PREROUTING ')"
	assert_eq "iptables nat POSTROUTING" "[1:$UDP_LEN] -A POSTROUTING -p udp" \
		"$(ipt_line ' -A POSTROUTING ')"
	assert_counters "beside iptables" "$RTR" nat PREROUTING:1:1:$UDP_LEN \
		POSTROUTING:1:1:$UDP_LEN
fi

# 5. Refused commands; save / restore.
log "-- refused commands"
before=$(save_filtered "$RTR" -t nat)
refused() {
	local want=$1 out rc

	shift
	out=$(nfg "$RTR" "$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		fail "nfgate $*: accepted"
		return
	fi
	assert_match "nfgate $*" "$want" "$out"
}
# The nat targets themselves: nfgate_nat_targets.sh; here only outside
# the hooks they allow.
refused "DNAT is not valid in chain POSTROUTING" \
	-t nat -A POSTROUTING -p udp -j DNAT --to-destination $SRV_IP
refused "SNAT is not valid in chain PREROUTING" \
	-t nat -A PREROUTING -j SNAT --to-source $RTR_SRV_IP
refused "MASQUERADE is not valid in chain OUTPUT" \
	-t nat -A OUTPUT -o veth-srv -j MASQUERADE
refused "Can't use --out-interface with PREROUTING" -t nat -A PREROUTING -o x
refused "Can't use --in-interface with POSTROUTING" -t nat -A POSTROUTING -i x
refused "does not exist|[Nn]o (such )?chain" -t nat -A FORWARD -p udp
assert_eq "refused commands changed nothing" "$before" \
	"$(save_filtered "$RTR" -t nat)"

log "-- restore -c / save -c of a *nat block"
H=$NS_TAG-h
ns_create "$H"
cat >"$tmpdir/nat.rules" <<EOF
*nat
:PREROUTING ACCEPT [3:180]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING DROP [2:120]
:SVC - [0:0]
[4:240] -A PREROUTING -d 198.51.100.7/32 -i veth+ -p tcp -m tcp --dport 80 -j SVC
[0:0] -A OUTPUT -d 198.51.100.7/32 -p tcp -m tcp --dport 80 -j SVC
[1:60] -A POSTROUTING -s 192.0.2.0/24 -o veth-srv -j ACCEPT
[0:0] -A SVC -s 203.0.113.0/24 -j RETURN
[2:120] -A SVC
COMMIT
EOF
nfg_ok "$H" restore -c "$tmpdir/nat.rules"
assert_eq "save -c -t nat" "$(cat "$tmpdir/nat.rules")" \
	"$(save_filtered "$H" -c -t nat)"
assert_eq "tables in save" "*filter *mangle *raw *nat" \
	"$(save_filtered "$H" | grep '^\*' | tr '\n' ' ' | sed 's/ $//')"
assert_match "-S" '^-P POSTROUTING DROP$' "$(nfg "$H" -t nat -S)"
assert_match "-L" '^Chain POSTROUTING \(policy DROP\)$' "$(nfg "$H" -t nat -L -n)"

# 6. Release.
log "-- flush: the hooks stay"
nfg_ok "$RTR" -t nat -F
nfg_ok "$RTR" -t nat -Z
assert_eq "flow 5008 arrives" "5008:$N" "$(flow "$CLI" "$SRV" $SRV_IP 5008 40008)"
assert_eq "conntrack entry of flow 5008 after -t nat -F" 1 \
	"$(ct_flows "$RTR" 40008 5008)"
assert_eq "nat PREROUTING policy after -F" 1 \
	"$(policy_counter "$RTR" nat PREROUTING)"

log "-- an aborted nat write leaves no hooks"
A=$NS_TAG-a
ns_create "$A"
printf '*nat\n-A OUTPUT -p udp\nCOMMIT\n' >"$tmpdir/abort.rules"
nfg_ok "$A" restore --test "$tmpdir/abort.rules"
ip netns exec "$A" "$HELPERS/nfg_udp" send -a 127.0.0.1 -p 5009 -n $N -s 40009
assert_eq "no conntrack after restore --test" 0 \
	"$(ip netns exec "$A" cat /proc/net/nf_conntrack | wc -l)"
assert_eq "the aborted rule is gone" "" "$(nfg "$A" -t nat -S OUTPUT | grep -- '^-A')"
nfg_ok "$A" -t nat -A OUTPUT -p udp
ip netns exec "$A" "$HELPERS/nfg_udp" send -a 127.0.0.1 -p 5010 -n $N -s 40010
assert_eq "conntrack after a committed nat write" 1 "$(ct_flows "$A" 40010 5010)"
assert_counter "nat OUTPUT on lo" "$A" nat OUTPUT 1 1

log "-- namespace deletion with nat hooks"
ip netns del "$A"
ip netns del "$H"

log "-- rmmod with nat hooks in several namespaces"
nfg_ok "$CLI" -t nat -A OUTPUT -p udp
assert_eq "flow 5011 arrives" "5011:$N" "$(flow "$CLI" "$SRV" $SRV_IP 5011 40011)"
assert_eq "client conntrack entry of flow 5011" 1 "$(ct_flows "$CLI" 40011 5011)"
assert_counter "client nat OUTPUT" "$CLI" nat OUTPUT 1 1
rmmod nfgate
assert_eq "rmmod exit code" 0 "$?"
nfgate_loaded && fail "nfgate still in /proc/modules after rmmod"
# only nfgate's nat table had turned conntrack on in the client
assert_eq "flow 5012 arrives" "5012:$N" "$(flow "$CLI" "$SRV" $SRV_IP 5012 40012)"
assert_eq "no client conntrack entry after rmmod" 0 "$(ct_flows "$CLI" 40012 5012)"
sleep 1		# RCU callbacks of the teardown
trouble=$(kernel_complaints "$dmesg_start")
assert_eq "kernel log" "" "$trouble"
if [ $have_ipt = 1 ]; then
	ipt -t nat -F
	modprobe -r iptable_nat 2>/dev/null
fi
nfgate_load

exit $ret
