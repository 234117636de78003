#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_recent.sh: the recent match on packets, side by side with
# iptables-legacy on the same router (FORWARD):
#  - ufw's limit pair (--set, then --update --seconds 30 --hitcount 6 on
#    new connections to port 22): the 6th connection from the client within
#    30 s is rejected, the server (another source) still gets through;
#  - a knock list: --set on port 2000, --remove on 2001, ! --rcheck -j DROP
#    on 2002;
#  - --rdest: port 2004 records the destination, 2005 lets through only
#    to a recorded destination;
#  - a restore that replaces the ruleset keeps the lists its rules name,
#    and (nfgate) a restore that fails in the kernel leaves them as they
#    were;
#  - iptables-save text and the -L -n -v -x rows (counters) are the same.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nfg_tcp
command -v iptables-legacy >/dev/null || skip "iptables-legacy missing"
modprobe -a x_tables ip_tables iptable_filter xt_tcpudp xt_recent \
	xt_conntrack nf_conntrack ipt_REJECT nf_reject_ipv4 ||
	skip "iptables-legacy modules missing"
topo_create

R="-m recent"
D="--mask 255.255.255.255 --rsource"
{
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	echo ":limit - [0:0]"
	echo "-A FORWARD -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW" \
		"$R --set --name DEFAULT $D"
	echo "-A FORWARD -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW" \
		"$R --update --seconds 30 --hitcount 6 --name DEFAULT $D -j limit"
	echo "-A FORWARD -p tcp -m tcp --dport 2000 $R --set --name knock $D"
	echo "-A FORWARD -p tcp -m tcp --dport 2001 $R --remove --name knock $D"
	echo "-A FORWARD -p tcp -m tcp --dport 2002 $R ! --rcheck --name knock" \
		"$D -j DROP"
	echo "-A FORWARD -p tcp -m tcp --dport 2004 $R --set --name dst" \
		"--mask 255.255.255.255 --rdest"
	echo "-A FORWARD -p tcp -m tcp --dport 2005 $R ! --rcheck --name dst" \
		"--mask 255.255.255.255 --rdest -j DROP"
	echo "-A limit -j REJECT --reject-with icmp-host-prohibited"
	echo "COMMIT"
} >"$tmpdir/recent.rules"

# probes NS DST PORT COUNT: what each of COUNT new connections met
probes() {
	local i out=

	for ((i = 0; i < $4; i++)); do
		out+="$(tcp_reach "$1" "$2" "$3") "
	done
	echo "${out% }"
}

declare -A out save
for TOOL in nfgate iptables-legacy; do
	log "-- recent through $TOOL"
	eng_restore "$TOOL" "$RTR" "$tmpdir/recent.rules"
	got=$(probes "$CLI" $SRV_IP 22 7)
	assert_eq "$TOOL: ufw limit, client" \
		"reached reached reached reached reached timeout timeout" "$got"
	got=$(probes "$SRV" $CLI_IP 22 2)
	assert_eq "$TOOL: ufw limit, another source" "reached reached" "$got"

	got="$(tcp_reach "$CLI" $SRV_IP 2002) $(tcp_reach "$CLI" $SRV_IP 2000)"
	got+=" $(tcp_reach "$CLI" $SRV_IP 2002)"
	assert_eq "$TOOL: knock --set then --rcheck" \
		"timeout reached reached" "$got"
	got=$(tcp_reach "$SRV" $CLI_IP 2002)
	assert_eq "$TOOL: knock, another source" timeout "$got"

	# the same rules again, in one replace: the lists they name stay
	eng_restore "$TOOL" "$RTR" "$tmpdir/recent.rules"
	# (nfgate keeps the counters of unchanged rules, iptables-legacy
	# starts from zero: count from here on)
	eng "$TOOL" "$RTR" -Z
	got=$(tcp_reach "$CLI" $SRV_IP 2002)
	assert_eq "$TOOL: knock list kept by a replace" reached "$got"
	got=$(tcp_reach "$CLI" $SRV_IP 22)
	assert_eq "$TOOL: limit list kept by a replace" timeout "$got"
	if [ "$TOOL" = nfgate ]; then
		# flush, rules naming the lists, then a kernel failure
		{
			sed '/^COMMIT/d' "$tmpdir/recent.rules"
			echo "-A FORWARD $R --remove --name knock $D"
			echo "-A FORWARD -p icmp -j NOSUCHCHAIN"
			echo "COMMIT"
		} >"$tmpdir/abort.rules"
		nfg "$RTR" restore "$tmpdir/abort.rules" >/dev/null 2>&1 &&
			fail "restore with NOSUCHCHAIN succeeded"
		got=$(tcp_reach "$CLI" $SRV_IP 2002)
		assert_eq "nfgate: knock list as it was after an abort" \
			reached "$got"
	fi
	got="$(tcp_reach "$CLI" $SRV_IP 2001) $(tcp_reach "$CLI" $SRV_IP 2002)"
	assert_eq "$TOOL: knock --remove" "reached timeout" "$got"

	got="$(tcp_reach "$CLI" $SRV_IP 2005) $(tcp_reach "$CLI" $SRV_IP 2004)"
	got+=" $(tcp_reach "$CLI" $SRV_IP 2005) $(tcp_reach "$SRV" $CLI_IP 2005)"
	assert_eq "$TOOL: --rdest" "timeout reached reached timeout" "$got"

	save[$TOOL]=$(eng "$TOOL" "$RTR" -S)
	out[$TOOL]=$(eng "$TOOL" "$RTR" -L -n -v -x | grep -v '^Chain')
	eng "$TOOL" "$RTR" -F
	eng "$TOOL" "$RTR" -X
	eng "$TOOL" "$RTR" -Z
done
assert_eq "recent: nfgate -S is iptables-legacy's" \
	"${save[iptables-legacy]}" "${save[nfgate]}"
# after the replace: the counters of the second load of the rules
assert_eq "recent: nfgate counts what iptables-legacy does" \
	"${out[iptables-legacy]}" "${out[nfgate]}"
assert_match "the --update rule's row" \
	"recent: UPDATE seconds: 30 hit_count: 6 name: DEFAULT side: source mask: 255.255.255.255" \
	"${out[nfgate]}"

exit $ret
