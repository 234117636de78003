#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_ufw.sh: ufw, Debian's, unmodified, with the iptables names
# pointing at nfgate's drop-in; the same ufw with them pointing at
# iptables-legacy is the oracle, in a second server namespace:
#
#   client 192.0.2.2 (+ .3) -- 192.0.2.1 ROUTER 198.51.100.1 -- 198.51.100.2 SRV
#                                              203.0.113.1 -- 203.0.113.2 LSRV
#
# SRV runs ufw on nfgate, LSRV ufw on iptables-legacy; both listen on TCP
# 22, 80 and 81.  Each ufw has its own /etc/ufw, /etc/default (IPV6=no)
# and /etc/alternatives: copies in /tmp bind-mounted over the read-only
# originals for each ufw command (clients_lib.sh).  After every step
# (enable, allow 22/tcp, limit 80/tcp, insert 1 deny from 192.0.2.2,
# delete it, status, a port list, a port range, logging medium, disable,
# reset, enable) the client probes both servers
# (open, refused or timeout per port: what reaches the server) and
#  - the outcomes are the expected ones, and the same for both engines;
#  - ufw printed the same thing for both;
#  - nfgate's filter table saves as iptables-legacy-save saves legacy's.

source "$(dirname -- "$0")/lib.sh"
source "$(dirname -- "$0")/clients_lib.sh"
require_env
require_dropin
require_helper nfg_tcp
command -v ufw >/dev/null || skip "ufw missing (apt-get install ufw)"
command -v python3 >/dev/null || skip "python3 missing (ufw, the echo helper)"
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
command -v unshare >/dev/null || skip "unshare missing (util-linux)"
# What ufw's rules use, for iptables-legacy (no module autoload in the VM).
modprobe -a ip_tables iptable_filter ip6_tables ip6table_filter xt_conntrack \
	xt_recent xt_limit xt_LOG nf_log_syslog ipt_REJECT ip6t_REJECT \
	xt_addrtype xt_tcpudp xt_multiport xt_comment xt_hl ||
	skip "cannot load the xtables modules ufw's rules need (legacy)"
ECHO=$SELFTESTS/nfg_echo.py
LSRV=$NS_TAG-lsrv
LSRV_IP=203.0.113.2
CLI_IP2=192.0.2.3

topo_create
ns_create "$LSRV"
ip link add veth0 netns "$LSRV" type veth peer name veth-lsrv netns "$RTR" ||
	die "veth router-lsrv"
ip -n "$RTR" addr add 203.0.113.1/24 dev veth-lsrv
ip -n "$LSRV" addr add $LSRV_IP/24 dev veth0
ip -n "$RTR" link set veth-lsrv up
ip -n "$LSRV" link set veth0 up
ip -n "$LSRV" route add default via 203.0.113.1
ip -n "$CLI" addr add $CLI_IP2/24 dev veth0
ping_ok "$CLI" $LSRV_IP 1 >/dev/null || die "topology: client cannot reach lsrv"

for ns in "$SRV" "$LSRV"; do
	for port in 22 80 81; do
		bg "$ns" python3 -S -E "$ECHO" server tcp $port \
			"$tmpdir/ready.$ns.$port" "$ns"
		wait_file "$tmpdir/ready.$ns.$port" 100 || die "echo server $ns:$port"
	done
done

# Each engine's writable /etc/ufw, /etc/default and /etc/alternatives.
for e in nfgate legacy; do
	state_copy /etc/ufw "$tmpdir/$e/ufw" || die "copy /etc/ufw"
	state_copy /etc/default "$tmpdir/$e/default" || die "copy /etc/default"
	sed -i 's/^IPV6=.*/IPV6=no/' "$tmpdir/$e/default/ufw"
	alternatives_copy $e "$tmpdir/$e/alternatives" || die "alternatives"
done

# ufw_run ENGINE ARGS...: ufw in that engine's server namespace.
ufw_run() {
	local e=$1 ns=$SRV d=$tmpdir/$1

	shift
	[ "$e" = legacy ] && ns=$LSRV
	with_binds "$d/ufw:/etc/ufw $d/default:/etc/default $d/alternatives:/etc/alternatives" \
		ip netns exec "$ns" ufw "$@" 2>&1
}

# step ARGS...: the same ufw command on both engines; the exit status and
# what ufw prints must be the same.
step() {
	local a b ra rb

	log "-- ufw $*"
	# reset's backups are named by the second: not compared
	t0=$SECONDS
	a=$(ufw_run nfgate "$@")
	ra=$?
	t1=$SECONDS
	b=$(ufw_run legacy "$@")
	rb=$?
	log "ufw $*: $((t1 - t0))s on nfgate, $((SECONDS - t1))s on iptables-legacy"
	a=$(echo "$a" | sed -E 's/[0-9]{8}_[0-9]{6}/DATE/g')
	b=$(echo "$b" | sed -E 's/[0-9]{8}_[0-9]{6}/DATE/g')
	echo "$a" | sed 's/^/  nfgate: /'
	[ $ra -eq 0 ] || fail "ufw $* on nfgate exited $ra"
	[ $rb -eq 0 ] || fail "ufw $* on iptables-legacy exited $rb (the oracle)"
	assert_eq "ufw $*: what ufw prints, nfgate vs legacy" "$b" "$a"
}

# same_rules WHAT: nfgate's filter table as legacy's.
same_rules() {
	local a b

	a=$(saved nfgate "$SRV" filter)
	b=$(saved legacy "$LSRV" filter)
	if [ "$a" != "$b" ]; then
		fail "$1: nfgate's filter table differs from iptables-legacy's"
		show_diff "$b" "$a"
	else
		log "ok: $1: filter table as iptables-legacy's ($(echo "$a" | grep -c '^-A') rules)"
	fi
}

# probe NS DST PORT [SRC]: open, refused or timeout (one SYN; from SRC,
# which only the python client can bind).
probe() {
	local out

	if [ -z "${4:-}" ]; then
		tcp_probe "$1" "$2" "$3"
		return
	fi
	out=$(ip netns exec "$1" python3 -S -E "$ECHO" client tcp "$2" "$3" "$4:0")
	case "$out" in
	from=*) echo open ;;
	*) echo "$out" ;;
	esac
}

# ports WHAT SRC PORT:EXPECT...: what reaches both servers from SRC
# ("" = the client's first address).
ports() {
	local what=$1 src=$2 spec port want got lgot

	shift 2
	for spec in "$@"; do
		port=${spec%%:*}
		want=${spec#*:}
		got=$(probe "$CLI" $SRV_IP "$port" "$src")
		lgot=$(probe "$CLI" $LSRV_IP "$port" "$src")
		assert_eq "$what: port $port${src:+ from $src} (legacy)" "$want" "$lgot"
		assert_eq "$what: port $port${src:+ from $src} (nfgate)" "$want" "$got"
	done
}

ports "no ufw" "" 22:open 80:open 81:open

step --force enable
same_rules "enable"
ports "enabled (default deny incoming)" "" 22:timeout 80:timeout 81:timeout
ping_ok "$CLI" $SRV_IP 2 >/dev/null && log "ok: enabled: ping answered (before.rules)"

step allow 22/tcp
same_rules "allow 22/tcp"
ports "allow 22/tcp" "" 22:open 80:timeout 81:timeout

# ufw's limit needs the recent match; without it ufw says "Skipping
# unsupported IPv4 'limit' rule" and writes nothing (port 80 stays closed).
# Then the step is left out on both sides and the test ends as a SKIP
# naming the gap (never as a pass).
P=$NS_TAG-probe
ns_create "$P"
if nfg "$P" -N probe >/dev/null 2>&1 &&
	nfg "$P" -A probe -m conntrack --ctstate NEW -m recent --set >/dev/null 2>&1; then
	has_recent=1
else
	has_recent=0
	log "GAP: nfgate refuses '-m recent --set' ($(nfg "$P" -A probe -m recent --set 2>&1 | head -n 1)): ufw limit 80/tcp left out"
fi
ip netns del "$P"

if [ $has_recent = 1 ]; then
	step limit 80/tcp
	same_rules "limit 80/tcp"
	# ufw's limit: the 6th new connection from one address within 30 s
	# is rejected (recent --update --seconds 30 --hitcount 6 ->
	# ufw-user-limit's REJECT).
	seq_n='' seq_l=''
	for _ in 1 2 3 4 5 6 7; do
		seq_n+="$(probe "$CLI" $SRV_IP 80) "
		seq_l+="$(probe "$CLI" $LSRV_IP 80) "
	done
	assert_match "limit 80/tcp: first connections accepted (nfgate)" '^open open' "$seq_n"
	assert_match "limit 80/tcp: later ones rejected (nfgate)" 'refused $' "$seq_n"
	assert_eq "limit 80/tcp: the 7 connections, nfgate vs legacy" "$seq_l" "$seq_n"
	# Port 80 is now rate limited (from 192.0.2.2) until 30 s pass: not
	# probed again until ufw is disabled.
fi

step insert 1 deny from $CLI_IP
same_rules "insert 1 deny from $CLI_IP"
ports "deny from $CLI_IP" "" 22:timeout 81:timeout
ports "deny from $CLI_IP, another client" $CLI_IP2 22:open 81:timeout

step delete deny from $CLI_IP
same_rules "delete deny from $CLI_IP"
ports "deny deleted" "" 22:open 81:timeout

step status
step status verbose
step status numbered

# Beyond the issue's list, cheap: a port list (multiport), a port range
# from one source, and ufw's logging level (limit + LOG rules).
step allow 443,8443/tcp
same_rules "allow 443,8443/tcp"
step allow proto tcp from $CLI_IP2 to any port 8000:8010
same_rules "allow proto tcp from $CLI_IP2 to any port 8000:8010"
ports "port range from $CLI_IP2" $CLI_IP2 8005:refused 81:timeout
ports "port range, not from $CLI_IP2" "" 8005:timeout
step logging medium
same_rules "logging medium"

step disable
same_rules "disable"
ports "disabled" "" 22:open 80:open 81:open

step --force reset
same_rules "reset"
ports "reset" "" 22:open 80:open 81:open
step status
assert_eq "reset: ufw's user rules (nfgate's)" \
	"$(grep -c '^-A' "$tmpdir/legacy/ufw/user.rules")" \
	"$(grep -c '^-A' "$tmpdir/nfgate/ufw/user.rules")"

# After reset, enable again: only the default policy (nothing allowed).
step --force enable
same_rules "enable after reset"
ports "enabled after reset" "" 22:timeout 81:timeout

if [ $ret = 0 ] && [ $has_recent = 0 ]; then
	skip "every step passed but ufw limit 80/tcp: nfgate has no recent match"
fi
exit $ret
