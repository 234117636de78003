# SPDX-License-Identifier: GPL-2.0
# bench/lib/gen.sh: the kube-proxy-shaped workload, generated with awk: the
# N-rule set in each tool's bulk-load format, and the streams of single
# changes that the long-running-process measurement feeds to each tool.
#
# Service number o (1..131071) is 198.18.0.0 + o, port 1024 + o % 60000.
# The loaded set is services 1..N: "-d IP/32 -p tcp --dport P -j ACCEPT",
# except the LAST one, service N, which is UDP: it is the one the pktgen flow
# of the forwarding measurement aims at (FORWARD policy is DROP, so a packet
# reaching the server proves that the last rule matched).  Services that
# come and go (one-change and transaction measurements) are 129001..131070,
# never in the loaded set.

BENCH_POOL_TXN=129001	# 1000 services for the transaction streams
BENCH_POOL_ONE=131001	# 70 services for the one-change measurements

# The awk helpers every generator below shares.
bench_awk_lib='
function ip(o) {
	o += 198 * 16777216 + 18 * 65536
	return int(o / 16777216) "." int(o / 65536) % 256 "." int(o / 256) % 256 "." o % 256
}
function port(o) { return 1024 + o % 60000 }
function ipt(o, p) { return "-d " ip(o) "/32 -p " p " -m " p " --dport " port(o) " -j ACCEPT" }
function nftr(o, p) { return "ip daddr " ip(o) " " p " dport " port(o) " accept" }
function key(o, p) { return ip(o) " . " p " . " port(o) }
'

svc_ip() { awk -v o="$1" "$bench_awk_lib"'BEGIN { print ip(o) }'; }
svc_port() { awk -v o="$1" "$bench_awk_lib"'BEGIN { print port(o) }'; }

# gen_ruleset N DIR: DIR/ipt.rules (iptables-restore format, also read by
# nfgate restore), DIR/nft-plain.nft, DIR/nft-vmap.nft.
gen_ruleset() {
	local n=$1 dir=$2
	mkdir -p "$dir"
	awk -v n="$n" "$bench_awk_lib"'BEGIN {
		print "*filter"
		print ":INPUT ACCEPT [0:0]"
		print ":FORWARD DROP [0:0]"
		print ":OUTPUT ACCEPT [0:0]"
		for (o = 1; o <= n; o++)
			print "-A FORWARD " ipt(o, o == n ? "udp" : "tcp")
		print "COMMIT"
	}' >"$dir/ipt.rules"
	awk -v n="$n" "$bench_awk_lib"'BEGIN {
		print "table ip bench {"
		print "\tchain svc_forward {"
		print "\t\ttype filter hook forward priority filter; policy drop;"
		for (o = 1; o <= n; o++)
			print "\t\t" nftr(o, o == n ? "udp" : "tcp")
		print "\t}"
		print "}"
	}' >"$dir/nft-plain.nft"
	awk -v n="$n" "$bench_awk_lib"'BEGIN {
		print "table ip bench {"
		print "\tmap svc {"
		print "\t\ttype ipv4_addr . inet_proto . inet_service : verdict"
		print "\t}"
		print "\tchain svc_forward {"
		print "\t\ttype filter hook forward priority filter; policy drop;"
		print "\t\tip daddr . meta l4proto . th dport vmap @svc"
		print "\t}"
		print "}"
		# elements in batches: one transaction all the same (nft -f)
		for (o = 1; o <= n; o++) {
			if ((o - 1) % 1000 == 0)
				printf "add element ip bench svc { "
			printf "%s : accept", key(o, o == n ? "udp" : "tcp")
			if (o % 1000 == 0 || o == n)
				print " }"
			else
				printf ", "
		}
	}' >"$dir/nft-vmap.nft"
}

# gen_stream KIND K > FILE: K single changes (K even) for one long-lived
# process: change 2i adds service BENCH_POOL_TXN+i, change 2i+1 deletes it,
# so the set is back to N rules after the stream.
#   ipt:    one "*filter / -A|-D FORWARD spec / COMMIT" block per change
#           (iptables-restore --noflush commits each block as it reads it)
#   nft:    one nft command line per change (nft -i: one transaction per
#           line); "delete rule" needs a handle: HANDLE0 (third argument) is
#           the handle the first added rule gets, each add takes the next
#   nftmap: one add/delete element line per change
gen_stream() {
	local kind=$1 k=$2 h0=${3:-0}
	awk -v kind="$kind" -v k="$k" -v h0="$h0" -v base="$BENCH_POOL_TXN" \
		"$bench_awk_lib"'BEGIN {
		for (c = 0; c < k; c++) {
			o = base + int(c / 2) % 1000
			add = c % 2 == 0
			if (kind == "ipt") {
				print "*filter"
				print (add ? "-A" : "-D") " FORWARD " ipt(o, "tcp")
				print "COMMIT"
			} else if (kind == "nft") {
				if (add)
					print "add rule ip bench svc_forward " nftr(o, "tcp")
				else
					print "delete rule ip bench svc_forward handle " h0 + int(c / 2)
			} else if (kind == "nftmap") {
				if (add)
					print "add element ip bench svc { " key(o, "tcp") " : accept }"
				else
					print "delete element ip bench svc { " key(o, "tcp") " }"
			}
		}
	}'
}

# key_of O PROTO: service O's verdict-map key.
key_of() {
	awk -v o="$1" -v p="$2" "$bench_awk_lib"'BEGIN { print key(o, p) }'
}

# one_spec KIND O: the words of service O's rule (tcp) for one CLI call.
one_spec() {
	awk -v kind="$1" -v o="$2" "$bench_awk_lib"'BEGIN {
		if (kind == "ipt") print ipt(o, "tcp")
		else if (kind == "nft") print nftr(o, "tcp")
		else print key(o, "tcp")
	}'
}
