#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""diff_gen.py: the generator of nfgate_differential.sh.

Writes, seeded and reproducible, random rulesets for the router of
lib.sh's client - router - server topology and random probe packets for
them.  Each ruleset fills the raw, mangle, nat and filter tables: rules in
every built-in chain, user chains reached by -j and -g (each user chain
belongs to one built-in chain, so that every target is valid where it
runs), RETURN, "!" on addresses, protocol, interfaces and ports, and the
matches and targets of nfgate that give one packet one outcome (no time,
no rate, no randomness): -s -d -p -i -o, tcp/udp ports, --tcp-flags,
--syn, icmp types, multiport, iprange, mark, connmark, ttl, length,
addrtype, state, conntrack --ctstate, pkttype, mac, comment, statistic
--mode nth; ACCEPT, DROP, RETURN, REJECT (every --reject-with), MARK,
CONNMARK, TTL, NOTRACK, CT --notrack, DNAT, SNAT, MASQUERADE, REDIRECT.

The probes are nfg_inject lines sent by the client on veth0 to the
router: sources in 198.18.0.0/24 (routed back to the client), targets the
server 198.51.100.2, 198.19.0.0/24 (routed to the server), the router's
own addresses, 198.18.0.0/24 (back out to the client) and the broadcast
192.0.2.255; TCP with random flags, UDP, ICMP of several types, GRE; TTL,
TOS and length vary.  Each probe's id is its line number (nfg_inject).

What the kernel does at random is left out: NAT port ranges (a port
from a range is random), two probes whose connections could meet in one
NAT tuple (the clash is resolved with a random port: every probe has a
source port, per protocol, or ICMP id of its own), ICMP timestamps.

  diff_gen.py SEED NRULESETS NPROBES DIR CLIENT-MAC ROUTER-MAC [S:K...]
      DIR/rules.I (iptables-restore input) and DIR/probes.I (nfg_inject
      input), I = 1, 2, ...: first the extra cases S:K given (the kept
      regressions), then K = 1..NRULESETS of SEED; case S:K is drawn
      from random.Random("S:K"), so any one of them can be made again
      alone.  DIR/labels: "S:K" of each I, one a line.
"""

import os
import random
import sys

CHAINS = {
    "raw": ["PREROUTING", "OUTPUT"],
    "mangle": ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
    "nat": ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
    "filter": ["INPUT", "FORWARD", "OUTPUT"],
}
# The hooks without an input / output device.
NO_IN = {"OUTPUT", "POSTROUTING"}
NO_OUT = {"PREROUTING", "INPUT"}

ROUTER = ["192.0.2.1", "198.51.100.1"]
SERVER = "198.51.100.2"
SRCS = ["198.18.0.%d" % i for i in (1, 2, 3, 7, 100)]
DSTS = [SERVER, SERVER, "198.19.0.1", "198.19.0.5", "198.19.0.77",
        "192.0.2.1", "198.51.100.1", "198.18.0.9", "192.0.2.255"]
ADDRS = SRCS + DSTS + ["192.0.2.2", "203.0.113.5"]
PREFIXES = [32, 32, 31, 30, 24, 16, 8]
PORTS = [22, 53, 80, 443, 1000, 5000, 5001, 5002, 8080, 40000, 65535]
TCP_FLAGS = ["SYN", "ACK", "FIN", "RST", "URG", "PSH"]
TCP_FLAG_BITS = {"FIN": 1, "SYN": 2, "RST": 4, "PSH": 8, "ACK": 16,
                 "URG": 32}
PROBE_FLAGS = [0x02, 0x02, 0x02, 0x12, 0x10, 0x04, 0x11, 0x18, 0x29, 0x3f,
               0x00, 0x03]
ICMP_TYPES = [(8, 0), (8, 0), (0, 0), (3, 3), (11, 0), (13, 0), (5, 1)]
# Probes: no timestamp request (13), whose reply carries the time.
PROBE_ICMP = [(8, 0), (8, 0), (0, 0), (3, 3), (11, 0), (5, 1), (14, 0)]
IFACES = {"in": ["veth-cli", "veth-srv", "veth+", "veth-c+", "lo", "+",
                 "eth0"],
          "out": ["veth-srv", "veth-cli", "veth+", "veth-s+", "lo", "+",
                  "eth0"]}


class Gen:
    def __init__(self, rnd, cli_mac):
        self.r = rnd
        self.cli_mac = cli_mac

    def bang(self, p=0.25):
        return "! " if self.r.random() < p else ""

    def addr(self):
        a = self.r.choice(ADDRS)
        n = self.r.choice(PREFIXES)
        return "%s/%d" % (a, n)

    def portspec(self, multi=False):
        a = self.r.choice(PORTS)
        if self.r.random() < 0.3:
            b = self.r.choice(PORTS)
            a, b = min(a, b), max(a, b)
            # multiport refuses "a:a" ("invalid portrange"), tcp takes it
            if a < b or not multi:
                return "%d:%d" % (a, b)
        return str(a)

    def ctstates(self):
        s = self.r.sample(["NEW", "ESTABLISHED", "RELATED", "INVALID",
                           "UNTRACKED", "SNAT", "DNAT"],
                          self.r.randint(1, 3))
        return ",".join(s)

    def matches(self, chain):
        """A list of match strings and the protocol it requires."""
        r = self.r
        m = []
        proto = None
        if r.random() < 0.3:
            m.append("%s-s %s" % (self.bang(), self.addr()))
        if r.random() < 0.3:
            m.append("%s-d %s" % (self.bang(), self.addr()))
        if r.random() < 0.5:
            proto = r.choice(["tcp", "tcp", "udp", "udp", "icmp", "47"])
            neg = self.bang(0.15)
            m.append("%s-p %s" % (neg, proto))
            if neg:
                proto = None
        if chain not in NO_IN and r.random() < 0.2:
            m.append("%s-i %s" % (self.bang(), r.choice(IFACES["in"])))
        if chain not in NO_OUT and r.random() < 0.2:
            m.append("%s-o %s" % (self.bang(), r.choice(IFACES["out"])))
        if proto in ("tcp", "udp") and r.random() < 0.7:
            opts = []
            if r.random() < 0.5:
                opts.append("%s--sport %s" % (self.bang(), self.portspec()))
            if r.random() < 0.6:
                opts.append("%s--dport %s" % (self.bang(), self.portspec()))
            if proto == "tcp" and r.random() < 0.3:
                if r.random() < 0.3:
                    opts.append("%s--syn" % self.bang())
                else:
                    mask = r.sample(TCP_FLAGS, r.randint(1, 4))
                    comp = [f for f in mask if r.random() < 0.5]
                    opts.append("%s--tcp-flags %s %s" % (
                        self.bang(), ",".join(mask),
                        ",".join(comp) or "NONE"))
            m.append(" ".join(["-m", proto] + opts))
        if proto in ("tcp", "udp") and r.random() < 0.2:
            kind = r.choice(["--dports", "--sports", "--ports"])
            ports = ",".join(self.portspec(True)
                             for _ in range(r.randint(1, 4)))
            m.append("-m multiport %s%s %s" % (self.bang(), kind, ports))
        if proto == "icmp" and r.random() < 0.6:
            t, c = r.choice(ICMP_TYPES + [(8, None), (3, None)])
            spec = str(t) if c is None else "%d/%d" % (t, c)
            m.append("-m icmp %s--icmp-type %s" % (self.bang(), spec))
        if r.random() < 0.06:
            a, b = sorted(r.sample(range(0, 256), 2))
            which = r.choice(["--src-range", "--dst-range"])
            net = r.choice(["198.18.0", "198.19.0", "198.51.100"])
            m.append("-m iprange %s%s %s.%d-%s.%d" % (
                self.bang(), which, net, a, net, b))
        if r.random() < 0.1:
            v = r.choice([0, 1, 2, 3, 0x10, 0x11])
            mask = r.choice(["", "/0xff", "/0x1", "/0xf0"])
            m.append("-m mark %s--mark 0x%x%s" % (self.bang(), v, mask))
        if r.random() < 0.06:
            v = r.choice([0, 1, 2, 7])
            m.append("-m connmark %s--mark 0x%x" % (self.bang(), v))
        if r.random() < 0.07:
            op = r.choice(["--ttl-eq", "--ttl-lt", "--ttl-gt"])
            m.append("-m ttl %s %d" % (op, r.choice([1, 2, 10, 63, 64, 255])))
        if r.random() < 0.07:
            a, b = sorted(r.sample([20, 28, 32, 40, 41, 60, 100, 150, 1500],
                                   2))
            m.append("-m length %s--length %d:%d" % (self.bang(), a, b))
        if r.random() < 0.07:
            which = r.choice(["--src-type", "--dst-type"])
            t = r.choice(["LOCAL", "UNICAST", "BROADCAST", "MULTICAST",
                          "LOCAL,BROADCAST"])
            m.append("-m addrtype %s%s %s" % (self.bang(), which, t))
        if r.random() < 0.08:
            s = r.sample(["NEW", "ESTABLISHED", "RELATED", "INVALID",
                          "UNTRACKED"], r.randint(1, 2))
            m.append("-m state %s--state %s" % (self.bang(), ",".join(s)))
        if r.random() < 0.1:
            m.append("-m conntrack %s--ctstate %s" % (self.bang(),
                                                     self.ctstates()))
        if r.random() < 0.04:
            t = r.choice(["unicast", "broadcast", "multicast"])
            m.append("-m pkttype %s--pkt-type %s" % (self.bang(), t))
        if chain in ("PREROUTING", "INPUT", "FORWARD") and r.random() < 0.04:
            mac = self.cli_mac if r.random() < 0.7 else "02:00:5e:00:00:99"
            m.append("-m mac %s--mac-source %s" % (self.bang(), mac))
        if r.random() < 0.04:
            every = r.randint(2, 4)
            m.append("-m statistic --mode nth --every %d --packet %d" % (
                every, r.randint(0, every - 1)))
        if r.random() < 0.03:
            m.append('-m comment --comment "c%d"' % r.randint(0, 99))
        # iptables runs the -m matches in the order written (the core
        # options always first): half the rules take them in any order,
        # so that statistic nth can come before -m tcp/udp's ports
        core = [x for x in m if not x.startswith("-m ")]
        ext = [x for x in m if x.startswith("-m ")]
        if len(ext) > 1 and r.random() < 0.5:
            r.shuffle(ext)
        return core + ext, proto

    def target(self, table, chain, user, proto, callees):
        """A target string ("" for none) for a rule in that chain."""
        r = self.r
        opts = [("", 3), ("ACCEPT", 2), ("CALL", 3)]
        if user:
            opts.append(("RETURN", 2))
        if table != "nat":
            opts.append(("DROP", 2 if table == "filter" else 1))
        if table in ("mangle", "filter", "raw"):
            opts.append(("MARK", 2))
        if table == "mangle":
            opts += [("CONNMARK", 1), ("TTL", 1)]
        if table == "raw":
            opts += [("NOTRACK", 1)]
        if table == "filter":
            opts += [("REJECT", 2)]
        if table == "nat":
            if chain in ("PREROUTING", "OUTPUT"):
                opts += [("DNAT", 3), ("REDIRECT", 1)]
            if chain == "POSTROUTING":
                opts += [("SNAT", 2), ("MASQUERADE", 2)]
            if chain == "INPUT":
                opts += [("SNAT", 1)]
        names = [o for o, w in opts for _ in range(w)]
        t = r.choice(names)
        ports = proto in ("tcp", "udp")
        if t == "CALL":
            if not callees:
                return ""
            return "-%s %s" % (r.choice("jjg"), r.choice(callees))
        if t == "MARK":
            v = r.choice([1, 2, 3, 0x10])
            return r.choice(["-j MARK --set-mark 0x%x" % v,
                             "-j MARK --set-xmark 0x%x/0xff" % v,
                             "-j MARK --or-mark 0x%x" % v,
                             "-j MARK --and-mark 0x%x" % v])
        if t == "CONNMARK":
            return r.choice(["-j CONNMARK --set-mark 0x%x" % r.randint(1, 7),
                             "-j CONNMARK --save-mark",
                             "-j CONNMARK --restore-mark"])
        if t == "TTL":
            return r.choice(["-j TTL --ttl-set %d" % r.choice([1, 2, 30]),
                             "-j TTL --ttl-dec 1", "-j TTL --ttl-inc 3"])
        if t == "NOTRACK":
            return r.choice(["-j NOTRACK", "-j CT --notrack"])
        if t == "REJECT":
            w = ["icmp-port-unreachable", "icmp-host-unreachable",
                 "icmp-net-unreachable", "icmp-admin-prohibited",
                 "icmp-net-prohibited", "icmp-host-prohibited"]
            if proto == "tcp":
                w += ["tcp-reset", "tcp-reset"]
            if r.random() < 0.2:
                return "-j REJECT"
            return "-j REJECT --reject-with %s" % r.choice(w)
        if t == "DNAT":
            a = r.choice([SERVER, "198.19.0.7", "198.19.0.8-198.19.0.9",
                          "198.18.0.50", "192.0.2.1"])
            # (never a port range: a port from a range is random)
            if ports and "-" not in a and r.random() < 0.6:
                a += ":%d" % r.choice([80, 5000, 6000])
            return "-j DNAT --to-destination %s" % a
        if t == "REDIRECT":
            if ports and r.random() < 0.6:
                return "-j REDIRECT --to-ports %d" % r.choice([22, 8080])
            return "-j REDIRECT"
        if t == "SNAT":
            a = r.choice(["198.51.100.1", "203.0.113.5",
                          "203.0.113.6-203.0.113.8", "192.0.2.1"])
            if ports and "-" not in a and r.random() < 0.5:
                a += ":%d" % r.choice([2000, 3000])
            return "-j SNAT --to-source %s" % a
        if t == "MASQUERADE":
            if ports and r.random() < 0.5:
                return "-j MASQUERADE --to-ports 10000"
            return "-j MASQUERADE"
        return "-j %s" % t if t else ""

    def ruleset(self):
        r = self.r
        out = []
        for table in ("raw", "mangle", "nat", "filter"):
            decl = []
            rules = []
            for chain in CHAINS[table]:
                policy = "ACCEPT"
                if table == "filter" and r.random() < 0.15 or \
                        table == "mangle" and r.random() < 0.03:
                    policy = "DROP"
                decl.append(":%s %s [0:0]" % (chain, policy))
                nuser = r.choice([0, 0, 1, 2, 3])
                users = ["%s_%s_U%d" % (table[0].upper(), chain[:3], i)
                         for i in range(nuser)]
                for u in users:
                    decl.append(":%s - [0:0]" % u)
                for ci, c in enumerate([chain] + users):
                    callees = users[ci:]
                    # now and then 8 rules or more: nfgate's classifier
                    # (linear_below) instead of its list walk
                    most = 6 if ci == 0 else 4
                    if r.random() < 0.25:
                        most = 16
                    for _ in range(r.randint(0, most)):
                        m, proto = self.matches(chain)
                        t = self.target(table, chain, ci > 0, proto,
                                        callees)
                        rules.append(" ".join(["-A", c] + m +
                                              ([t] if t else [])))
            out.append("*%s" % table)
            out += decl + rules
            out.append("COMMIT")
        return "\n".join(out) + "\n"

    def probes(self, n, rtr_mac):
        r = self.r
        lines = []
        used = set()
        for _ in range(n):
            src = r.choice(SRCS)
            dst = r.choice(DSTS)
            proto = r.choice([6, 6, 6, 17, 17, 17, 1, 1, 47])
            # A source port of its own: no two probes' connections may
            # meet in one NAT tuple, or the kernel picks a random port.
            sport = r.choice(PORTS)
            while (proto, sport) in used:
                sport = r.randint(1024, 65535)
            used.add((proto, sport))
            dport = r.choice(PORTS + [r.randint(1, 65535)])
            ttl = r.choice([64, 64, 64, 1, 2, 10, 255])
            tos = r.choice([0, 0, 0, 0x10, 0x04, 0xb8])
            l4len = -1
            if r.random() < 0.2:
                l4len = r.choice([20, 40, 60, 100]) if proto == 6 else \
                    r.choice([12, 20, 60])
            x, y = -1, "-" if proto == 6 else "-1"
            if proto == 6:
                x = r.choice(PROBE_FLAGS)
            elif proto == 1:
                x, y = r.choice(PROBE_ICMP)
                y = str(y)
            if proto == 1 and l4len >= 0:
                l4len = max(l4len, 8)
            lines.append("veth0 %s %s %s %d %d %d 0 0 %d %d %s %d %d" % (
                rtr_mac, src, dst, proto, sport, dport, l4len, x, y, ttl,
                tos))
        return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) < 7:
        sys.exit("usage: diff_gen.py SEED NRULESETS NPROBES DIR CLIENT-MAC "
                 "ROUTER-MAC [S:K...]")
    seed, nrs, npr, d, cli_mac, rtr_mac = sys.argv[1:7]
    labels = sys.argv[7:] + ["%s:%d" % (seed, k)
                             for k in range(1, int(nrs) + 1)]
    os.makedirs(d, exist_ok=True)
    for i, label in enumerate(labels, 1):
        g = Gen(random.Random(label), cli_mac)
        with open(os.path.join(d, "rules.%d" % i), "w") as f:
            f.write(g.ruleset())
        with open(os.path.join(d, "probes.%d" % i), "w") as f:
            f.write(g.probes(int(npr), rtr_mac))
    with open(os.path.join(d, "labels"), "w") as f:
        f.write("".join(x + "\n" for x in labels))


main()
