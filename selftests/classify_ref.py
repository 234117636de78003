#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""classify_ref.py: the reference side of nfgate_classify.sh.

Generates (seeded, reproducible) a random filter ruleset for the FORWARD
and INPUT chains of a router and its user chains, a random list of packets
(most forwarded, some to the router's own address LOCAL, which reach INPUT
with no output device: that side is the empty name, as in iptables, so
"-o +" matches it and "! -o +" does not), and predicts with a plain linear
evaluator of iptables semantics every rule counter, both policy counters
and the number of forwarded packets accepted; then compares the
prediction with "nfgate save -c".

Some packets are fragments (forwarded ones only: the router reassembles
what it delivers locally before INPUT) or have a short L4 header, and
some tcp/udp rules have a bare "-m tcp"/"-m udp" (a tcp/udp match without
ports).  As xt_tcpudp: a rule with a tcp/udp match never matches a later
fragment; a TCP fragment at offset 1, or a head too short for the TCP
(20 B) / UDP (8 B) header, is dropped at once ("hotdrop": no counter
moves) by the first such rule whose IP part it passes.

  classify_ref.py routes
        the router's routes: "PREFIX DEV" per line (ingress devices and
        their MACs are fixed below too, and the router's own address)
  classify_ref.py gen SEED NRULES NPACKETS DIR
        DIR/rules (restore format), DIR/packets (nfg_inject input),
        DIR/expected.json
  classify_ref.py check DIR SAVE-FILE ACCEPTED
        compare; exit 0 if all equal, 1 with one line per mismatch
        (chain, rule number, rule text, expected, got, seed and the first
        packets whose reference path went through that rule)
"""

import ipaddress
import json
import random
import sys

# Ingress: router device, its MAC (set by the test), the sender's peer.
INGRESS = [("vin0", "02:00:5e:00:00:10", "s0"),
           ("vin1", "02:00:5e:00:00:11", "s1"),
           ("xin2", "02:00:5e:00:00:12", "s2")]
# Egress: dummy devices; routes (longest prefix first is not needed: the
# prefixes do not overlap).
ROUTES = [("198.18.0.0/16", "dum0"), ("198.19.0.0/16", "dum1"),
          ("198.51.100.0/24", "eth9"), ("203.0.113.0/24", "dum0"),
          ("192.0.2.0/24", "eth9")]
RANGES = [ipaddress.ip_network(p) for p, _ in ROUTES]
IN_NAMES = ["vin0", "vin1", "xin2", "vin+", "v+", "x+", "+", "vin",
            "vin1+", "nosuch0", "xin2+"]
OUT_NAMES = ["dum0", "dum1", "eth9", "dum+", "d+", "e+", "+", "dum",
             "eth9+", "eth", "nosuch1"]
PROTOS = {"tcp": 6, "udp": 17, "icmp": 1, "47": 47}
LEN = {6: 40, 17: 32, 1: 28, 47: 24}	# nfg_inject's packet sizes
HDR = {6: 20, 17: 8}			# what xt_tcpudp reads
USER_CHAINS = ["U%d" % i for i in range(6)]
# The router's own address (on dum0): packets to it go through INPUT.
LOCAL = "198.18.255.1"


def out_dev(dst):
    for net, (_, dev) in zip(RANGES, ROUTES):
        if dst in net:
            return dev
    raise ValueError("no route to %s" % dst)


def rand_addr(rng):
    net = rng.choice(RANGES)
    return ipaddress.ip_address(int(net.network_address) +
                                rng.randrange(net.num_addresses))


class Rule:
    def __init__(self):
        self.src = self.dst = None	# (addr int, mask int, inv)
        self.proto = None		# (num, inv); num 0 = all
        self.sport = self.dport = None	# (lo, hi, inv)
        self.l4 = False			# has a tcp/udp match (ports or bare)
        self.iif = self.oif = None	# (name, inv)
        self.verdict = None		# ACCEPT DROP RETURN JUMP GOTO
        self.target = None

    def text(self, chain):
        w = ["-A", chain]

        def neg(inv):
            if inv:
                w.append("!")
        for opt, m in (("-s", self.src), ("-d", self.dst)):
            if m:
                neg(m[2])
                a = str(ipaddress.ip_address(m[0]))
                mk = ipaddress.ip_address(m[1])
                plen = bin(m[1]).count("1")
                if m[1] == ((1 << 32) - 1) ^ ((1 << (32 - plen)) - 1):
                    w += [opt, "%s/%d" % (a, plen)]
                else:
                    w += [opt, "%s/%s" % (a, mk)]
        if self.proto:
            neg(self.proto[1])
            name = {6: "tcp", 17: "udp", 1: "icmp", 0: "all"}
            w += ["-p", name.get(self.proto[0], str(self.proto[0]))]
            if self.l4 and not (self.sport or self.dport):
                w += ["-m", name[self.proto[0]]]
        for opt, m in (("--sport", self.sport), ("--dport", self.dport)):
            if m:
                neg(m[2])
                w += [opt, str(m[0]) if m[0] == m[1] else "%d:%d" % m[:2]]
        for opt, m in (("-i", self.iif), ("-o", self.oif)):
            if m:
                neg(m[1])
                w += [opt, m[0]]
        if self.verdict in ("JUMP", "GOTO"):
            w += ["-j" if self.verdict == "JUMP" else "-g", self.target]
        elif self.verdict:
            w += ["-j", self.verdict]
        return " ".join(w)

    def matches(self, p):
        def addr(m, a):
            return m is None or ((a & m[1]) == (m[0] & m[1])) != m[2]

        def port(m, v):
            return m is None or (m[0] <= v <= m[1]) != m[2]

        def iface(m, dev):
            if m is None:
                return True
            n = m[0]
            hit = dev.startswith(n[:-1]) if n.endswith("+") else dev == n
            return hit != m[1]
        if not (addr(self.src, p["src"]) and addr(self.dst, p["dst"])):
            return False
        if self.proto and self.proto[0] != 0 and \
                (p["proto"] == self.proto[0]) == self.proto[1]:
            return False
        if not (iface(self.iif, p["in"]) and iface(self.oif, p["out"])):
            return False
        if self.l4 and (p["off"] or hotdrop_prone(p)):
            return False
        return port(self.sport, p["sport"]) and port(self.dport, p["dport"])


def hotdrop_prone(p):
    """A packet that a tcp/udp match drops once a rule with one is reached:
    TCP at fragment offset 1, a head shorter than the TCP/UDP header."""
    if p["proto"] not in HDR:
        return False
    if p["off"]:
        return p["off"] == 1 and p["proto"] == 6
    return 0 <= p["l4len"] < HDR[p["proto"]]


def pkt_len(p):
    return LEN[p["proto"]] if p["l4len"] < 0 else 20 + p["l4len"]


def rand_addr_match(rng, hosts):
    base = int(rng.choice(hosts))
    r = rng.random()
    if r < 0.55:
        mask = 0xffffffff
    elif r < 0.9:
        plen = rng.choice([8, 12, 15, 16, 20, 24, 24, 28, 30, 31])
        mask = (0xffffffff << (32 - plen)) & 0xffffffff
    else:	# non-contiguous
        mask = rng.choice([0xff00ff00, 0xffff00ff, 0x00ffffff, 0xfffe00ff])
    return (base & mask, mask, rng.random() < 0.2)


def rand_rule(rng, chain_idx, hosts, ports):
    """chain_idx: -1 for FORWARD or INPUT, else the user chain's index."""
    r = Rule()
    if rng.random() < 0.45:
        r.src = rand_addr_match(rng, hosts)
    if rng.random() < 0.55:
        r.dst = rand_addr_match(rng, hosts)
    if rng.random() < 0.65:
        name = rng.choice(["tcp", "tcp", "udp", "udp", "icmp", "47", "all"])
        num = 0 if name == "all" else PROTOS[name]
        r.proto = (num, num != 0 and rng.random() < 0.15)
        if num in (6, 17) and not r.proto[1]:
            for attr, prob in (("dport", 0.6), ("sport", 0.25)):
                if rng.random() < prob:
                    lo = rng.choice(ports)
                    hi = lo
                    if rng.random() < 0.35:
                        hi = min(65535, lo + rng.choice([1, 2, 10, 100, 1000]))
                        if rng.random() < 0.3:
                            lo = max(1, lo - 5)
                    setattr(r, attr, (lo, hi, rng.random() < 0.15))
            r.l4 = bool(r.sport or r.dport) or rng.random() < 0.25
    if rng.random() < 0.2:
        r.iif = (rng.choice(IN_NAMES), rng.random() < 0.2)
    if rng.random() < 0.25:
        r.oif = (rng.choice(OUT_NAMES), rng.random() < 0.2)
    t = rng.random()
    later = USER_CHAINS[chain_idx + 1:]
    terminal = t >= 0.2 and (t < 0.7 or t >= 0.9 or not later)
    if t < 0.2:
        r.verdict = None
    elif t < 0.4:
        r.verdict = "ACCEPT"
    elif t < 0.6:
        r.verdict = "DROP"
    elif t < 0.7:
        r.verdict = "RETURN"
    elif later:
        r.verdict = "JUMP" if t < 0.9 else "GOTO"
        r.target = rng.choice(later)
    else:
        r.verdict = rng.choice([None, "ACCEPT", "DROP"])
    # A broad rule that ends the walk hides every rule behind it: most
    # terminal rules get an exact address or port (kube-proxy's shape).
    exact = any(m and m[1] == 0xffffffff and not m[2]
                for m in (r.src, r.dst)) or \
        (r.dport and r.dport[0] == r.dport[1] and not r.dport[2])
    if terminal and not exact:
        r.dst = (int(rng.choice(hosts)), 0xffffffff, False)
    return r


def in_ranges(a):
    return any(ipaddress.ip_address(a) in n for n in RANGES)


def aim(rng, p, r):
    """Make packet p satisfy rule r's positive matches (best effort).
    A packet to LOCAL goes to INPUT (no output device); none comes from
    LOCAL (the router would drop it as a martian before the hook)."""
    local = int(ipaddress.ip_address(LOCAL))
    for key, m in (("src", r.src), ("dst", r.dst)):
        if m and not m[2]:
            a = m[0] | (rng.randrange(1 << 32) & ~m[1] & 0xffffffff)
            if in_ranges(a):
                pass
            elif in_ranges(m[0]):
                a = m[0]
            else:
                continue
            if key == "dst" or a != local:
                p[key] = a
    if r.proto and r.proto[0] and not r.proto[1]:
        p["proto"] = r.proto[0]
        if p["proto"] in (6, 17) and not p["sport"]:
            p["sport"] = rng.randrange(1, 65536)
            p["dport"] = rng.randrange(1, 65536)
    for key, m in (("sport", r.sport), ("dport", r.dport)):
        if m and not m[2]:
            p[key] = rng.randint(m[0], m[1])
    if r.iif and not r.iif[1]:
        n = r.iif[0]
        ok = [i for i in INGRESS if (i[0].startswith(n[:-1])
                                     if n.endswith("+") else i[0] == n)]
        if ok:
            i = rng.choice(ok)
            p["in"], p["mac"], p["tx"] = i
    if p["proto"] not in (6, 17):
        p["sport"] = p["dport"] = 0
    if p["dst"] == local:
        p["out"] = ""
    else:
        p["out"] = out_dev(ipaddress.ip_address(p["dst"]))


def precompute(chains, packets):
    """rule.hit[pi]: does rule match packet pi.  One rule at a time over
    column lists, each present match filtering the survivors: the same
    semantics as Rule.matches, several times faster in Python (TCG)."""
    n = len(packets)
    col = {k: [p[k] for p in packets]
           for k in ("src", "dst", "proto", "sport", "dport", "in", "out",
                     "off")}
    prone = [hotdrop_prone(p) for p in packets]
    for rules in chains.values():
        for r in rules:
            idx = range(n)
            for k, m in (("src", r.src), ("dst", r.dst)):
                if m:
                    c, a, mk, inv = col[k], m[0] & m[1], m[1], m[2]
                    idx = [i for i in idx if ((c[i] & mk) == a) != inv]
            if r.proto and r.proto[0]:
                c, num, inv = col["proto"], r.proto[0], r.proto[1]
                idx = [i for i in idx if (c[i] == num) != inv]
            for k, m in (("in", r.iif), ("out", r.oif)):
                if m:
                    c, name, inv = col[k], m[0], m[1]
                    if name.endswith("+"):
                        pre = name[:-1]
                        idx = [i for i in idx
                               if c[i].startswith(pre) != inv]
                    else:
                        idx = [i for i in idx if (c[i] == name) != inv]
            # the IP part holds for idx; the tcp/udp match decides now
            r.hot = bytearray(n)
            if r.l4:
                for i in idx:
                    if prone[i]:
                        r.hot[i] = 1
                off = col["off"]
                idx = [i for i in idx if not prone[i] and not off[i]]
            for k, m in (("sport", r.sport), ("dport", r.dport)):
                if m:
                    c, lo, hi, inv = col[k], m[0], m[1], m[2]
                    idx = [i for i in idx if (lo <= c[i] <= hi) != inv]
            r.hit = bytearray(n)
            for i in idx:
                r.hit[i] = 1


def evaluate(chains, start, policy, p, cnt, pol_cnt, paths, pi):
    """Linear iptables walk from built-in chain start (FORWARD or INPUT);
    bumps cnt[(chain, i)] and pol_cnt[start]; returns the verdict
    (HOTDROP: a tcp/udp match dropped the packet, nothing counted)."""
    stack = []
    chain, i = start, 0
    while True:
        rules = chains[chain]
        if i >= len(rules):
            verdict = "RETURN"
        else:
            rule = rules[i]
            if rule.hot[pi]:
                return "HOTDROP"
            if not rule.hit[pi]:
                i += 1
                continue
            cnt[(chain, i)] = cnt.get((chain, i), 0) + 1
            paths.setdefault((chain, i), []).append(pi)
            verdict = rule.verdict
        if verdict is None:
            i += 1
        elif verdict in ("ACCEPT", "DROP"):
            return verdict
        elif verdict == "JUMP":
            stack.append((chain, i + 1))
            chain, i = rule.target, 0
        elif verdict == "GOTO":
            chain, i = rule.target, 0
        else:	# RETURN or the end of a chain
            if chain == start or not stack:
                pol_cnt[start] += 1
                return policy
            chain, i = stack.pop()


def gen(seed, nrules, npackets, outdir):
    rng = random.Random(seed)
    hosts = [rand_addr(rng) for _ in range(40)]
    ports = [rng.choice([22, 53, 80, 443, 8080]) if rng.random() < 0.3
             else rng.randrange(1, 65536) for _ in range(24)] + [1, 65535]
    chains = {"FORWARD": [], "INPUT": []}
    for c in USER_CHAINS:
        chains[c] = []
    for _ in range(nrules):
        x = rng.random()
        idx = -1 if x < 0.45 else rng.randrange(len(USER_CHAINS))
        name = USER_CHAINS[idx] if idx >= 0 else \
            "INPUT" if x < 0.1 else "FORWARD"
        r = rand_rule(rng, idx, hosts, ports)
        if name == "INPUT":
            r.oif = None	# refused in INPUT itself, as by iptables
        chains[name].append(r)
    # INPUT jumps to every user chain, so that packets to LOCAL meet
    # their -o rules with no output device; most of the user chains' "-o +"
    # and "! -o +" rules count packets for LOCAL and let them go on (a
    # terminal one would end every local packet's walk there).
    local = int(ipaddress.ip_address(LOCAL))
    for c in USER_CHAINS:
        for r in chains[c]:
            if r.oif and r.oif[0] == "+" and rng.random() < 0.7:
                r.dst = (local, 0xffffffff, False)
                r.verdict, r.target = None, None
        for inv in (False, True):	# at least one of each per chain
            r = Rule()
            r.dst, r.oif = (local, 0xffffffff, False), ("+", inv)
            chains[c].insert(rng.randrange(len(chains[c]) + 1), r)
    for c in USER_CHAINS:
        j = Rule()
        j.verdict, j.target = "JUMP", c
        chains["INPUT"].insert(rng.randrange(len(chains["INPUT"]) + 1), j)
    policy = rng.choice(["ACCEPT", "DROP"])
    in_policy = rng.choice(["ACCEPT", "DROP"])
    all_rules = [r for c in chains.values() for r in c]
    # where the empty name differs from "no match": "-o +" and "! -o +"
    plus_rules = [r for r in all_rules if r.oif and r.oif[0] == "+"]

    packets = []
    for _ in range(npackets):
        def pick():
            if rng.random() < 0.7:
                a = int(rng.choice(hosts))
                if rng.random() < 0.3:
                    a ^= rng.randrange(256) << rng.choice([0, 8])
                a = ipaddress.ip_address(a)
                if any(a in n for n in RANGES):
                    return a
            return rand_addr(rng)
        src, dst = pick(), pick()
        while str(src) == LOCAL:
            src = rand_addr(rng)
        proto = rng.choice([6, 6, 17, 17, 1, 47])
        sport = dport = 0
        if proto in (6, 17):
            sport = rng.choice(ports) if rng.random() < 0.5 \
                else rng.randrange(1, 65536)
            dport = rng.choice(ports) if rng.random() < 0.7 \
                else rng.randrange(1, 65536)
            if rng.random() < 0.2:
                dport = max(1, min(65535, dport + rng.randrange(-6, 7)))
        ing = rng.choice(INGRESS)
        to_local = rng.random() < 0.2 or int(dst) == local
        p = {"in": ing[0], "mac": ing[1], "tx": ing[2],
             "out": "" if to_local else out_dev(dst),
             "src": int(src), "dst": local if to_local else int(dst),
             "proto": proto, "sport": sport, "dport": dport,
             "off": 0, "mf": 0, "l4len": -1}
        if rng.random() < 0.75:
            pool = all_rules
            if to_local and plus_rules and rng.random() < 0.6:
                pool = plus_rules
            aim(rng, p, rng.choice(pool))
        if to_local:
            p["dst"], p["out"] = local, ""
        # Fragments for forwarded packets only: the router reassembles
        # what it delivers locally before INPUT (aim() may have made a
        # packet local too, so ask its output side).
        fwd = p["out"] != ""
        odd = rng.random()
        if odd < 0.05 and fwd:	# a later fragment, often at offset 1
            p["off"] = rng.choice([1, 1, 2, 3, 64, 185])
            p["mf"] = rng.randrange(2)
        elif odd < 0.08 and fwd:	# a first fragment
            p["mf"] = 1
        elif 0.08 <= odd < 0.12:	# a head cut short
            p["mf"] = rng.randrange(2) if fwd else 0
            p["l4len"] = rng.choice({6: [0, 8, 19], 17: [0, 4, 7]}.get(
                p["proto"], [0, 4]))
        packets.append(p)

    plen = [pkt_len(p) for p in packets]
    precompute(chains, packets)
    cnt, paths, accepted, hotdrops = {}, {}, 0, 0
    pol = {"FORWARD": 0, "INPUT": 0}
    pol_bytes = {"FORWARD": 0, "INPUT": 0}
    for pi, p in enumerate(packets):
        start = "INPUT" if p["out"] == "" else "FORWARD"
        before = pol[start]
        verdict = evaluate(chains, start,
                           in_policy if start == "INPUT" else policy,
                           p, cnt, pol, paths, pi)
        if verdict == "ACCEPT" and start == "FORWARD":
            accepted += 1
        elif verdict == "HOTDROP":
            hotdrops += 1
        if pol[start] != before:
            pol_bytes[start] += plen[pi]

    with open(outdir + "/rules", "w") as f:
        f.write("*filter\n:INPUT %s [0:0]\n:FORWARD %s [0:0]\n"
                ":OUTPUT ACCEPT [0:0]\n" % (in_policy, policy))
        for c in USER_CHAINS:
            f.write(":%s - [0:0]\n" % c)
        for c in ["INPUT", "FORWARD"] + USER_CHAINS:
            for r in chains[c]:
                f.write(r.text(c) + "\n")
        f.write("COMMIT\n")
    with open(outdir + "/packets", "w") as f:
        for p in packets:
            f.write("%s %s %s %s %d %d %d" % (
                p["tx"], p["mac"], ipaddress.ip_address(p["src"]),
                ipaddress.ip_address(p["dst"]), p["proto"], p["sport"],
                p["dport"]))
            if p["off"] or p["mf"] or p["l4len"] >= 0:
                f.write(" %d %d %d" % (p["off"], p["mf"], p["l4len"]))
            f.write("\n")
    exp = {"seed": seed, "policy": {"FORWARD": policy, "INPUT": in_policy},
           "accepted": accepted,
           "sent": len(packets), "total_bytes": sum(plen),
           "policy_pkts": pol, "policy_bytes": pol_bytes, "chains": {},
           "packets": ["in=%s out=%s src=%s dst=%s proto=%d sport=%d "
                       "dport=%d off=%d mf=%d l4len=%d" % (
                           p["in"], p["out"],
                           ipaddress.ip_address(p["src"]),
                           ipaddress.ip_address(p["dst"]),
                           p["proto"], p["sport"], p["dport"],
                           p["off"], p["mf"], p["l4len"])
                       for p in packets]}
    for c in ["INPUT", "FORWARD"] + USER_CHAINS:
        exp["chains"][c] = []
        for i, r in enumerate(chains[c]):
            hits = paths.get((c, i), [])
            exp["chains"][c].append({
                "text": r.text(c), "pkts": len(hits),
                "bytes": sum(plen[h] for h in hits),
                "first": hits[:3]})
    with open(outdir + "/expected.json", "w") as f:
        json.dump(exp, f)
    print("seed %s: %d rules (FORWARD %d, INPUT %d), policies %s/%s, "
          "%d packets (%d local): %d forwarded accepted, %d/%d reach the "
          "FORWARD/INPUT policy; %d fragments or short heads, %d of them "
          "dropped by a tcp/udp match (hotdrop)" % (
              seed, nrules, len(chains["FORWARD"]), len(chains["INPUT"]),
              policy, in_policy, len(packets),
              sum(1 for p in packets if p["out"] == ""), accepted,
              pol["FORWARD"], pol["INPUT"],
              sum(1 for p in packets if p["off"] or p["mf"] or
                  p["l4len"] >= 0), hotdrops))


def parse_save(path):
    """filter table of "save -c": {chain: [(p, b, text)]}, {chain: (p, b)}."""
    rules, pols, table = {}, {}, None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("*"):
                table = line[1:]
            if table != "filter":
                continue
            if line.startswith(":"):
                w = line[1:].split()
                rules.setdefault(w[0], [])
                if w[1] != "-":
                    p, b = w[2].strip("[]").split(":")
                    pols[w[0]] = (int(p), int(b))
            elif line.startswith("["):
                cnt, text = line.split(" ", 1)
                p, b = cnt.strip("[]").split(":")
                chain = text.split()[1]
                rules.setdefault(chain, []).append((int(p), int(b), text))
    return rules, pols


def check(outdir, save_file, accepted):
    with open(outdir + "/expected.json") as f:
        exp = json.load(f)
    rules, pols = parse_save(save_file)
    bad = []
    seed = exp["seed"]
    for c, want in exp["chains"].items():
        got = rules.get(c)
        if got is None or len(got) != len(want):
            bad.append("chain %s: expected %d rules, save shows %s" % (
                c, len(want), "none" if got is None else len(got)))
            continue
        for i, (w, g) in enumerate(zip(want, got)):
            if (w["pkts"], w["bytes"]) != g[:2]:
                first = "; ".join("#%d %s" % (h, exp["packets"][h])
                                  for h in w["first"]) or "none"
                bad.append("seed %s: %s rule %d \"%s\" (saved as \"%s\"): "
                           "expected %d packets %d bytes, got %d packets "
                           "%d bytes; reference hits: %s" % (
                               seed, c, i + 1, w["text"], g[2], w["pkts"],
                               w["bytes"], g[0], g[1], first))
    for c in ("FORWARD", "INPUT"):
        gp = pols.get(c)
        want = (exp["policy_pkts"][c], exp["policy_bytes"][c])
        if gp != want:
            bad.append("seed %s: %s policy %s counter: expected %d packets "
                       "%d bytes, got %s" % (seed, c, exp["policy"][c],
                                             want[0], want[1], gp))
    if int(accepted) != exp["accepted"]:
        bad.append("seed %s: packets accepted (mangle POSTROUTING count): "
                   "expected %d, got %s" % (seed, exp["accepted"], accepted))
    for b in bad[:40]:
        print("MISMATCH: " + b)
    if len(bad) > 40:
        print("MISMATCH: ... and %d more" % (len(bad) - 40))
    nrules = sum(len(v) for v in exp["chains"].values())
    print("seed %s: %d rule counters, 2 policy counters, accepted count: "
          "%d mismatches" % (seed, nrules, len(bad)))
    return 1 if bad else 0


def main():
    a = sys.argv[1:]
    if a[:1] == ["routes"]:
        for p, d in ROUTES:
            print(p, d)
        for dev, mac, peer in INGRESS:
            print("ingress", dev, mac, peer)
        print("local", LOCAL, out_dev(ipaddress.ip_address(LOCAL)))
        return 0
    if a[:1] == ["gen"] and len(a) == 5:
        gen(int(a[1]), int(a[2]), int(a[3]), a[4])
        return 0
    if a[:1] == ["check"] and len(a) == 4:
        return check(a[1], a[2], a[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
