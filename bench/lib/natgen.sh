# SPDX-License-Identifier: GPL-2.0
# bench/lib/natgen.sh: the NAT workload (BENCH_WORKLOAD=nat), kube-proxy's
# real shape: N ClusterIP services, each DNATed at random to one of three
# endpoints.  Generated with awk, in each tool's format:
#
#   nat-ipt.rules  iptables-restore text (iptables-legacy, iptables-nft,
#                  nfgate): table nat, KUBE-SERVICES -> KUBE-SVC-o (3
#                  statistic rules) -> KUBE-SEP-o-1..3 (mark + DNAT), as
#                  kube-proxy's iptables mode writes it;
#   nat-nft.nft    nft -f text as kube-proxy's nftables mode writes it:
#                  a verdict map on "ip daddr . meta l4proto . th dport"
#                  -> goto service-o, whose "numgen random mod 3 vmap"
#                  goes to endpoint-o-1..3 (mark + dnat).
#
# Service o (lib/gen.sh's numbering): 198.18.0.0 + o, port 1024 + o % 60000,
# tcp, except the LAST loaded one (o = N), which is UDP: the one the
# new-flow measurement's pktgen aims at.  Its endpoints: 203.0.113.E with
# E = 1 + (3 o + j) % 250 (j = 0..2), target port 10000 + o % 50000;
# 203.0.113.0/24 routes to the server namespace, which black-holes it.
#
# A service change (nat_change KIND add|del O): one transaction of one
# service with its chains, 1 + 3 + 6 rules and 4 chains (nft: 1 map element,
# 1 + 6 rules, 4 chains), written the way kube-proxy writes a partial sync:
# iptables-restore --noflush with ":CHAIN - [0:0]" lines (create, or flush
# before -X), nft -f with add/flush/delete commands.

# The awk helpers of both formats (with lib/gen.sh's ip() and port()).
bench_nat_awk='
function ep(o, j) { return "203.0.113." (1 + (3 * o + j) % 250) }
function tport(o) { return 10000 + o % 50000 }
function svcname(o) { return "default/svc-" o ":p" }
function iptchains(o,   j) {
	print ":KUBE-SVC-" o " - [0:0]"
	for (j = 1; j <= 3; j++)
		print ":KUBE-SEP-" o "-" j " - [0:0]"
}
function iptsvc(o, p) {
	return "-d " ip(o) "/32 -p " p " -m comment --comment \"" svcname(o) \
		" cluster IP\" -m " p " --dport " port(o) " -j KUBE-SVC-" o
}
function iptrules(o, p,   j) {
	print "-A KUBE-SERVICES " iptsvc(o, p)
	print "-A KUBE-SVC-" o " -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-" o "-1"
	print "-A KUBE-SVC-" o " -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-" o "-2"
	print "-A KUBE-SVC-" o " -j KUBE-SEP-" o "-3"
	for (j = 1; j <= 3; j++) {
		print "-A KUBE-SEP-" o "-" j " -s " ep(o, j - 1) "/32 -j KUBE-MARK-MASQ"
		print "-A KUBE-SEP-" o "-" j " -p " p " -m " p " -j DNAT --to-destination " \
			ep(o, j - 1) ":" tport(o)
	}
}
function nftsvc(o, p,   j) {
	for (j = 1; j <= 3; j++) {
		print "add chain ip kube-proxy endpoint-" o "-" j
		print "add rule ip kube-proxy endpoint-" o "-" j " ip saddr " ep(o, j - 1) \
			" jump mark-for-masquerade"
		print "add rule ip kube-proxy endpoint-" o "-" j " meta l4proto " p \
			" dnat to " ep(o, j - 1) ":" tport(o)
	}
	print "add chain ip kube-proxy service-" o
	print "add rule ip kube-proxy service-" o " numgen random mod 3 vmap { 0 : goto endpoint-" \
		o "-1, 1 : goto endpoint-" o "-2, 2 : goto endpoint-" o "-3 }"
}
function nftkey(o, p) { return ip(o) " . " p " . " port(o) }
'

# gen_nat_ruleset N DIR: DIR/nat-ipt.rules and DIR/nat-nft.nft.
gen_nat_ruleset() {
	local n=$1 dir=$2
	mkdir -p "$dir"
	awk -v n="$n" "$bench_awk_lib$bench_nat_awk"'BEGIN {
		print "*nat"
		print ":PREROUTING ACCEPT [0:0]"
		print ":INPUT ACCEPT [0:0]"
		print ":OUTPUT ACCEPT [0:0]"
		print ":POSTROUTING ACCEPT [0:0]"
		print ":KUBE-SERVICES - [0:0]"
		print ":KUBE-MARK-MASQ - [0:0]"
		print ":KUBE-POSTROUTING - [0:0]"
		for (o = 1; o <= n; o++)
			iptchains(o)
		print "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"
		print "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"
		print "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING"
		print "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000"
		print "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN"
		print "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000"
		print "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully"
		for (o = 1; o <= n; o++)
			iptrules(o, o == n ? "udp" : "tcp")
		print "COMMIT"
	}' >"$dir/nat-ipt.rules"
	awk -v n="$n" "$bench_awk_lib$bench_nat_awk"'BEGIN {
		print "table ip kube-proxy {"
		print "\tmap service-ips {"
		print "\t\ttype ipv4_addr . inet_proto . inet_service : verdict"
		print "\t}"
		print "\tchain mark-for-masquerade {"
		print "\t\tmeta mark set meta mark or 0x4000"
		print "\t}"
		print "\tchain masquerading {"
		print "\t\tmeta mark & 0x4000 == 0 return"
		print "\t\tmeta mark set meta mark xor 0x4000"
		print "\t\tmasquerade fully-random"
		print "\t}"
		print "\tchain services {"
		print "\t\tip daddr . meta l4proto . th dport vmap @service-ips"
		print "\t}"
		print "\tchain nat-prerouting {"
		print "\t\ttype nat hook prerouting priority dstnat; policy accept;"
		print "\t\tjump services"
		print "\t}"
		print "\tchain nat-output {"
		print "\t\ttype nat hook output priority -100; policy accept;"
		print "\t\tjump services"
		print "\t}"
		print "\tchain nat-postrouting {"
		print "\t\ttype nat hook postrouting priority srcnat; policy accept;"
		print "\t\tjump masquerading"
		print "\t}"
		print "}"
		for (o = 1; o <= n; o++)
			nftsvc(o, o == n ? "udp" : "tcp")
		# map elements in batches of 1000 (all one transaction: nft -f)
		for (o = 1; o <= n; o++) {
			if ((o - 1) % 1000 == 0)
				printf "add element ip kube-proxy service-ips { "
			printf "%s : goto service-%d", nftkey(o, o == n ? "udp" : "tcp"), o
			if (o % 1000 == 0 || o == n)
				print " }"
			else
				printf ", "
		}
	}' >"$dir/nat-nft.nft"
}

# gen_nat_sync N O FILE [back]: kube-proxy's full sync (iptables-restore
# --noflush of every chain it owns) of the N services loaded by
# gen_nat_ruleset, in which service O's third endpoint moved: kube-proxy
# names an endpoint's chain after the endpoint, so the new one is
# KUBE-SEP-O-4 (203.0.113.x one further), KUBE-SVC-O's last rule jumps there
# and the stale KUBE-SEP-O-3 is declared (flushed) and deleted with -X, as
# kube-proxy's syncProxyRules writes it.  With "back", the endpoint moves
# back: the loaded text, plus the stale KUBE-SEP-O-4 declared and -X'ed.
# Every kube-proxy chain is declared, so a whole-table tool rewrites all of
# them; the built-in chains' jumps are not in the text.
gen_nat_sync() {
	awk -v n="$1" -v moved="$2" -v back="${4:-}" "$bench_awk_lib$bench_nat_awk"'BEGIN {
		print "*nat"
		print ":KUBE-SERVICES - [0:0]"
		print ":KUBE-MARK-MASQ - [0:0]"
		print ":KUBE-POSTROUTING - [0:0]"
		for (o = 1; o <= n; o++)
			iptchains(o)
		print ":KUBE-SEP-" moved "-4 - [0:0]"
		print "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000"
		print "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN"
		print "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000"
		print "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully"
		for (o = 1; o <= n; o++) {
			p = o == n ? "udp" : "tcp"
			if (o != moved || back) {
				iptrules(o, p)
				continue
			}
			# iptrules with endpoint 3 replaced by the moved one
			print "-A KUBE-SERVICES " iptsvc(o, p)
			print "-A KUBE-SVC-" o " -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-" o "-1"
			print "-A KUBE-SVC-" o " -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-" o "-2"
			print "-A KUBE-SVC-" o " -j KUBE-SEP-" o "-4"
			for (j = 1; j <= 4; j++) {
				if (j == 3)
					continue
				print "-A KUBE-SEP-" o "-" j " -s " ep(o, j - 1) "/32 -j KUBE-MARK-MASQ"
				print "-A KUBE-SEP-" o "-" j " -p " p " -m " p " -j DNAT --to-destination " \
					ep(o, j - 1) ":" tport(o)
			}
		}
		print "-X KUBE-SEP-" moved (back ? "-4" : "-3")
		print "COMMIT"
	}' >"$3"
}

# nat_change KIND add|del O: service O (tcp) added or removed in one
# transaction.  KIND ipt: an iptables-restore --noflush block (removal as
# kube-proxy does it: flush the chains with ":CHAIN" lines, delete the
# KUBE-SERVICES rule, -X the chains); KIND nft: an nft -f file.
nat_change() {
	awk -v kind="$1" -v what="$2" -v o="$3" "$bench_awk_lib$bench_nat_awk"'BEGIN {
		if (kind == "ipt") {
			print "*nat"
			iptchains(o)
			if (what == "add") {
				iptrules(o, "tcp")
			} else {
				print "-D KUBE-SERVICES " iptsvc(o, "tcp")
				print "-X KUBE-SVC-" o
				for (j = 1; j <= 3; j++)
					print "-X KUBE-SEP-" o "-" j
			}
			print "COMMIT"
		} else if (what == "add") {
			nftsvc(o, "tcp")
			print "add element ip kube-proxy service-ips { " nftkey(o, "tcp") " : goto service-" o " }"
		} else {
			print "delete element ip kube-proxy service-ips { " nftkey(o, "tcp") " }"
			print "flush chain ip kube-proxy service-" o
			print "delete chain ip kube-proxy service-" o
			for (j = 1; j <= 3; j++) {
				print "flush chain ip kube-proxy endpoint-" o "-" j
				print "delete chain ip kube-proxy endpoint-" o "-" j
			}
		}
	}'
}
