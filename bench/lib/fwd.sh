# SPDX-License-Identifier: GPL-2.0
# bench/lib/fwd.sh: forwarding rate with pktgen.  The client namespace's
# pktgen (xmit_mode start_xmit, the default, on veth c0; clone_skb 0 because
# veth does not share skbs) sends 64-byte frames (60 bytes + FCS) of UDP to
# one service address/port with the router's MAC as destination; what
# arrives is the growth of the server veth's rx_packets.
#
# The rate is found by offering a rate, not by flooding: under TCG an
# unlimited pktgen (delay 0) starves the router (millions of frames dropped
# at its backlog queue, the whole guest crawling) and a slow rule walk then
# measures as almost nothing, while the same router forwards 100 offered
# packets/s without a loss; far above capacity (even 100x) the rate
# collapses too.  So: offer BENCH_FWD_START_PPS for 1 s, and x3 while at
# least 90% arrives; then runs of BENCH_FWD_SECONDS offering 1.5x the most
# that arrived so far (x2 instead while 90% still arrives) until
# BENCH_FWD_REPS of them saturate the router; the result is the most that
# arrived per second in any run (other load on the host only ever lowers a
# TCG rate).  After every run the router's
# backlog is drained with forwarding switched off, so that queued frames do
# not eat the CPU of whatever is measured next.  Needs lib/topo.sh.

# The inner stage (inside nfgb-rtr) configures pktgen, which is per
# namespace, through /proc/PID/net of an anchor process in nfgb-cli
# (fwd_anchor; only pgctrl, which acts on the writer's namespace, needs a
# process in nfgb-cli), and counts on its own side of the server link (rs's
# tx_packets = s0's rx_packets): no process starts while a rate is measured.
BENCH_PG_PID=

# pg_write FILE CMD...: pktgen commands to /proc/net/pktgen/FILE of nfgb-cli.
pg_write() {
	local f=$1 c base=/proc/net/pktgen
	shift
	[ -n "$BENCH_PG_PID" ] && base=/proc/$BENCH_PG_PID/net/pktgen
	if [ -z "$BENCH_PG_PID" ]; then
		ip netns exec $BENCH_NS_CLI sh -c '
			f=/proc/net/pktgen/$1; shift
			for c in "$@"; do echo "$c" >"$f" || exit 1; done' sh "$f" "$@"
		return
	fi
	for c in "$@"; do
		echo "$c" >"$base/$f" || { echo "pktgen: $c > $f failed" >&2; return 1; }
	done
}

# fwd_anchor start|stop: the process in nfgb-cli that pg_write goes through.
fwd_anchor() {
	if [ "$1" = start ]; then
		ip netns exec $BENCH_NS_CLI sleep infinity &
		BENCH_PG_PID=$!
		# wait until it is in the namespace (same nsfs inode: test -ef)
		local i
		for ((i = 0; i < 100; i++)); do
			[ /proc/$BENCH_PG_PID/ns/net -ef /run/netns/$BENCH_NS_CLI ] && return 0
			sleep 0.1
		done
		echo "bench: no pktgen anchor process in $BENCH_NS_CLI" >&2
		return 1
	elif [ -n "$BENCH_PG_PID" ]; then
		kill "$BENCH_PG_PID" 2>/dev/null
		wait "$BENCH_PG_PID" 2>/dev/null
		BENCH_PG_PID=
	fi
}

fwd_init() {
	local rmac
	modprobe pktgen || return 1
	rmac=$(topo_router_mac) || return 1
	ip netns exec $BENCH_NS_CLI sh -c 'for t in /proc/net/pktgen/kpktgend_*; do echo rem_device_all >"$t"; done' || return 1
	pg_write kpktgend_0 "add_device c0" || return 1
	pg_write c0 "count 0" "clone_skb 0" "pkt_size 60" "delay 0" \
		"dst_mac $rmac" "src_min 192.0.2.1" "src_max 192.0.2.1" \
		"udp_src_min 9" "udp_src_max 9"
}

# Frames still queued for the router, with forwarding off, are dropped at the
# route lookup (no FORWARD hook); wait until every CPU's processed count
# (/proc/net/softnet_stat, first column) stands still.  Runs in nfgb-rtr.
fwd_drain() {
	local before after i
	echo 0 >/proc/sys/net/ipv4/ip_forward
	after=$(cut -d' ' -f1 /proc/net/softnet_stat)
	for ((i = 0; i < 120; i++)); do
		sleep 0.5
		before=$after
		after=$(cut -d' ' -f1 /proc/net/softnet_stat)
		[ "$before" = "$after" ] && break
	done
	echo 1 >/proc/sys/net/ipv4/ip_forward
}

# pg_offer PPS: pktgen starts offering PPS packets/s (to the destination
# set by fwd_rate); pg_stop stops it and drains the router.  pgctrl acts on
# the writer's own namespace: start and stop from nfgb-cli.  Writing
# "start" returns when pktgen stops, hence the background job.
BENCH_PG_JOB=
pg_offer() {
	pg_write c0 "ratep $1" || return 1
	ip netns exec $BENCH_NS_CLI sh -c 'echo start >/proc/net/pktgen/pgctrl' &
	BENCH_PG_JOB=$!
}
pg_stop() {
	ip netns exec $BENCH_NS_CLI sh -c 'echo stop >/proc/net/pktgen/pgctrl'
	wait "$BENCH_PG_JOB" 2>/dev/null
	fwd_drain
}

# fwd_measure OFFERED SECONDS WARMUP: offer OFFERED packets/s; prints the
# packets/s that arrived.
fwd_measure() {
	local offered=$1 secs=$2 warm=$3 f=/sys/class/net/rs/statistics/tx_packets a b s e
	pg_offer "$offered" || return 1
	# the warm-up starts when pktgen does (frames reach rc), not when the
	# command to start it was launched
	read -r a </sys/class/net/rc/statistics/rx_packets
	for ((s = 0; s < 300; s++)); do
		sleep 0.05
		read -r b </sys/class/net/rc/statistics/rx_packets
		[ "$a" != "$b" ] && break
	done
	sleep "$warm"
	read -r a <$f
	s=${EPOCHREALTIME/./}
	sleep "$secs"
	read -r b <$f
	e=${EPOCHREALTIME/./}
	pg_stop
	awk -v p=$((b - a)) -v us=$((e - s)) 'BEGIN { printf "%.0f\n", p * 1e6 / us }'
}

# fwd_rate IP PORT: prints "BEST HOW": the most packets/s that arrived in any
# run, and the runs as offered:arrived pairs.
fwd_rate() {
	local offered=$BENCH_FWD_START_PPS got best=0 how= i sat=0

	pg_write c0 "dst $1" "udp_dst_min $2" "udp_dst_max $2" || return 1
	# search: 1 s runs, x3 while 90% arrives
	for ((i = 0; i < 12; i++)); do
		got=$(fwd_measure "$offered" 1 0.5) || return 1
		how+="$offered:$got "
		[ "$got" -gt "$best" ] && best=$got
		[ $((got * 10)) -ge $((offered * 9)) ] || break
		offered=$((offered * 3))
	done
	# measure: BENCH_FWD_SECONDS runs offering 1.5x the best so far, until
	# BENCH_FWD_REPS of them saturate the router (less than 90% arrives);
	# x2 instead while everything still arrives (at most 3 times)
	offered=$(((best * 3 + 1) / 2))
	[ "$offered" -ge 10 ] || offered=10
	for ((i = 0; i < BENCH_FWD_REPS + 3 && sat < BENCH_FWD_REPS; i++)); do
		got=$(fwd_measure "$offered" "$BENCH_FWD_SECONDS" 1) || return 1
		how+="$offered:$got "
		[ "$got" -gt "$best" ] && best=$got
		if [ $((got * 10)) -ge $((offered * 9)) ]; then
			offered=$((offered * 2))
		else
			sat=$((sat + 1))
			offered=$(((best * 3 + 1) / 2))
		fi
	done
	echo "$best ${how% }"
}

# fwd_profile METRIC TOOL N RATE: BENCH_PERF=1.  Offers 1.5x RATE (the
# saturated router, as measured) for 5 s and records 4 s of it with perf
# (cpu-clock, every CPU); prints the 40 hottest symbols as BENCH-PERF lines.
# With -icount the samples count instructions: how much of the router's
# work is the tool's own functions.  Not below BENCH_PERF_MIN_PPS: with
# 100k iptables-legacy rules (95 packets/s) one profile took 46 minutes of
# guest time.
fwd_profile() {
	local data=$BENCH_OUT/perf-$1-$2-$3.data
	command -v perf >/dev/null || return 0
	[ "$4" -ge "$BENCH_PERF_MIN_PPS" ] || return 0
	pg_offer $(($4 * 3 / 2)) || return 1
	sleep 1
	perf record -q -a -e cpu-clock -F 4000 -o "$data" -- sleep 4 >/dev/null 2>&1
	pg_stop
	perf report -q -i "$data" --stdio --sort sym 2>/dev/null | head -n 40 |
		awk -v m="$1" -v t="$2" -v n="$3" 'NF { sub(/^ +/, ""); print "BENCH-PERF\t" m "\t" t "\t" n "\t" $0 }'
	rm -f "$data"
}

# fwd_newflows on|off: the NAT workload's probe, where every packet is the
# first of a new flow: pktgen draws each packet's source address from
# 192.0.2.1-192.0.2.250 and its UDP source port from 1024-65535 at random
# (15.3M tuples), so that conntrack finds no entry and the packet walks the
# nat table (nat hooks see only a connection's first packet).  A repeated
# tuple within nf_conntrack_udp_timeout (1 s, set by run.sh) is rare at
# these rates (a few thousand entries live out of 15M).  "off" restores the
# single flow of the filter workload.
fwd_newflows() {
	if [ "$1" = on ]; then
		pg_write c0 "src_min 192.0.2.1" "src_max 192.0.2.250" "flag IPSRC_RND" \
			"udp_src_min 1024" "udp_src_max 65535" "flag UDPSRC_RND"
	else
		pg_write c0 "flag !IPSRC_RND" "flag !UDPSRC_RND" "src_min 192.0.2.1" \
			"src_max 192.0.2.1" "udp_src_min 9" "udp_src_max 9"
	fi
}
