#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/report.py: turn the raw records of one benchmark run into the
results: latest.md (a table per metric with ratios against every anchor, the
machine, the targets of the scale issue as met / not met), latest.dat (the
numbers per metric, one gnuplot data block each), latest.gp and latest.png
(cost against N per tool, log scales, one panel per metric); for the NAT
workload's records (metrics nat_*), latest-nat.md.  Each only when its
workload has records: a NAT-only run leaves the filter results alone.

Usage: report.py INDIR OUTDIR
INDIR holds raw.tsv (metric, tool, N, value, note) and meta.tsv (key, value)
as bench/run.sh writes them.  Only the Python standard library; gnuplot is
optional (without it there is no PNG, and the report says so).
"""

import math
import os
import shutil
import subprocess
import sys
from collections import defaultdict

TOOLS = [
    ("legacy", "iptables-legacy"),
    ("iptnft", "iptables-nft"),
    ("nft", "nft (rules)"),
    ("nftmap", "nft (vmap)"),
    ("nfgate", "nfgate"),
]
LABEL = dict(TOOLS)
ANCHORS = [t for t, _ in TOOLS if t != "nfgate"]

# metric, title, unit, higher_is_better
METRICS = [
    ("load_s", "Bulk load of N rules", "s", False),
    ("add1_s", "One change through one CLI invocation: add one rule", "s", False),
    ("del1_s", "One change through one CLI invocation: delete one rule by its spec",
     "s", False),
    ("txn_s", "{txns} single-change transactions through one long-running process",
     "s", False),
    ("fwd_pps", "Forwarding rate, 64-byte UDP aimed at the last rule", "packets/s", True),
    ("mem_bpr", "Kernel memory per rule (unreclaimable slab + percpu + vmalloc)",
     "bytes/rule", False),
]

HOW = {
    "load_s": "iptables-legacy-restore, iptables-nft-restore, `nft -f` (one file, one "
              "transaction), `nfgate restore`, into an empty FORWARD chain.",
    "add1_s": "`iptables -A FORWARD -d IP/32 -p tcp --dport P -j ACCEPT` (legacy, nft, "
              "nfgate), `nft add rule`, `nft add element` (vmap): time of the process "
              "on the guest's clock.",
    "del1_s": "`iptables -D FORWARD <spec>`, `nfgate -D FORWARD <spec>`; nft (rules) has no "
              "delete by spec: `nft -a list chain` + find the handle + `nft delete rule ... "
              "handle H` (both timed); vmap: `nft delete element`.",
    "txn_s": "Changes alternate add service / delete it again.  iptables-*-restore "
             "--noflush reading one `*filter ... COMMIT` block per change; one `nft -i` "
             "reading one command line (= one transaction) per change; nfgate: see "
             "below.",
    "fwd_pps": "pktgen in a client namespace -> router namespace (the N rules in its "
               "FORWARD path, policy DROP, the last rule accepts the flow) -> server "
               "namespace; packets counted at the server's veth.  The most packets/s that "
               "arrived while pktgen offered a rate just above what the router could take "
               "(an offered-rate search, not a flood: see bench/lib/fwd.sh).  Ratios: higher "
               "is better for nfgate.",
    "mem_bpr": "/proc/meminfo SUnreclaim + Percpu + VmallocUsed after the bulk load minus "
               "before it (tables and chains already created), divided by N.  Noisy at "
               "small N.",
}


# The NAT workload (BENCH_WORKLOAD=nat): its own report, latest-nat.md.
NAT_METRICS = [
    ("nat_load_s", "Bulk load of N services (10 N rules, 4 N chains)", "s", False),
    ("nat_add_s", "One service added: one transaction of 4 chains and 10 rules through "
     "the tool's CLI", "s", False),
    ("nat_del_s", "One service removed: one transaction through the tool's CLI", "s", False),
    ("nat_sync_s", "kube-proxy's full sync, one service changed: the whole text of its chains "
     "through iptables-restore --noflush", "s", False),
    ("nat_sync_ops", "Operations one full sync committed (nfgate)", "operations", False),
    ("nat_fwd_pps", "New flows through the router, every packet the first of its flow, "
     "aimed at the last service", "packets/s", True),
    ("nat_mem_bps", "Kernel memory per service (unreclaimable slab + percpu + vmalloc)",
     "bytes/service", False),
]
NAT_TOOLS = ["legacy", "iptnft", "nftmap", "nfgate"]

NAT_HOW = {
    "nat_load_s": "iptables-legacy-restore, iptables-nft-restore and `nfgate restore` of one "
                  "`*nat` file (KUBE-SERVICES -> KUBE-SVC -> KUBE-SEP, as kube-proxy's iptables "
                  "mode writes it); `nft -f` of table ip kube-proxy (the verdict map, "
                  "`numgen random` vmaps, as kube-proxy's nftables mode writes it), one "
                  "transaction each.",
    "nat_add_s": "iptables-*-restore --noflush / `nfgate restore --noflush` of one block: "
                 "`:KUBE-SVC-o` + 3 `:KUBE-SEP-o-j` lines, the KUBE-SERVICES rule, 3 statistic "
                 "rules, 3 × (mark + DNAT); `nft -f` of 4 add chain, 7 add rule, 1 add element.  "
                 "Time of the process on the guest's clock, median.",
    "nat_del_s": "kube-proxy's removal: the same `:CHAIN` lines (flush), `-D KUBE-SERVICES "
                 "<spec>`, `-X` the 4 chains; nft: delete element, flush + delete chain ×4.",
    "nat_sync_s": "What kube-proxy's iptables mode runs on a full sync: `*nat`, a `:CHAIN - [0:0]` "
                  "line for every chain it owns (KUBE-SERVICES, KUBE-MARK-MASQ, KUBE-POSTROUTING, "
                  "every KUBE-SVC and KUBE-SEP), all their rules, `-X` for the stale chain, "
                  "COMMIT, through iptables-legacy-restore / iptables-nft-restore / "
                  "iptables-nfgate-restore `--noflush`.  Service N/2's third endpoint moved "
                  "(new KUBE-SEP chain, the old one deleted), then moved back, alternately; "
                  "median (lib/natgen.sh gen_nat_sync).  iptables-legacy replaces the whole "
                  "table; nfgate commits only the difference.",
    "nat_sync_ops": "The operations nfgate's monitor saw one full sync commit: the kernel's "
                    "work, which should be the same at every N.",
    "nat_fwd_pps": "pktgen in the client namespace sends 64-byte UDP to the last service's "
                   "address and port with random source addresses (192.0.2.1-250) and ports "
                   "(1024-65535): every packet is a new conntrack entry, so every packet walks "
                   "the nat table (PREROUTING: DNAT to one of 3 endpoints in 203.0.113.0/24; "
                   "POSTROUTING: KUBE-POSTROUTING) before it is forwarded to the server, which "
                   "black-holes it.  Counted at the server's veth; offered-rate search as in the "
                   "filter workload.  conntrack's UDP timeout is short and its table large, so "
                   "it never fills.",
    "nat_mem_bps": "/proc/meminfo SUnreclaim + Percpu + VmallocUsed after the bulk load minus "
                   "before it (modules loaded, conntrack flushed), divided by N services.",
}


def nat_targets(d):
    out = []
    ns = d.ns
    big, big_note = pick(ns, 100000)
    small = 1000 if 1000 in ns else (min(ns) if ns else None)

    # 1. new-flow rate: flat in N and >= nft's map
    vb = d.get("nat_fwd_pps", "nfgate", big) if big else None
    vs = d.get("nat_fwd_pps", "nfgate", small) if small else None
    vm = d.get("nat_fwd_pps", "nftmap", big) if big else None
    parts, oks = [], []
    if vb is not None and vs is not None and big != small:
        flat = vb >= 0.9 * vs
        oks.append(flat)
        parts.append(f"{fmt(vb, 'packets/s')} at N={big:,} vs {fmt(vs, 'packets/s')} at "
                     f"N={small:,} = {fmt_ratio(vb / vs)} (≥ 0.9×: {'yes' if flat else 'no'})"
                     f"{big_note}")
    else:
        oks.append(None)
        parts.append("flatness needs nfgate at two N")
    # the map's lookup does not depend on N: when it could not be loaded at
    # the largest N, compare with its largest N measured, and say so
    vm_n = big
    if vm is None and big:
        have = [n for n in ns if n <= big and d.get("nat_fwd_pps", "nftmap", n) is not None]
        if have:
            vm_n = max(have)
            vm = d.get("nat_fwd_pps", "nftmap", vm_n)
    if vb is not None and vm is not None:
        oks.append(vb >= vm)
        where = f"N={vm_n:,}"
        if vm_n != big:
            where += f", its largest N measured (not measured at N={big:,})"
        parts.append(f"nft map at {where}: {fmt(vm, 'packets/s')} "
                     f"(nfgate ≥ it: {'yes' if vb >= vm else 'no'})")
    else:
        oks.append(None)
        parts.append("nft map not measured")
    ok = False if False in oks else (None if None in oks else True)
    out.append(("New-flow rate at N=100k ≥ 0.9× the rate at N=1k and ≥ the nft map's", ok,
                "; ".join(parts)))

    # 2. one service change: flat in N and below every anchor at every N
    parts, oks = [], []
    for metric, what in (("nat_add_s", "add"), ("nat_del_s", "remove")):
        vb = d.get(metric, "nfgate", big) if big else None
        vs = d.get(metric, "nfgate", small) if small else None
        if vb is not None and vs is not None and big != small:
            flat = vb <= 1.2 * vs
            parts.append(f"{what}: {fmt(vb)} s at N={big:,} vs {fmt(vs)} s at N={small:,} = "
                         f"{fmt_ratio(vb / vs)} (≤ 1.2×: {'yes' if flat else 'no'}){big_note}")
            oks.append(flat)
        else:
            parts.append(f"{what}: flatness needs nfgate at two N")
            oks.append(None)
        worse, seen = [], False
        for n in ns:
            mine = d.get(metric, "nfgate", n)
            for a in NAT_TOOLS:
                other = d.get(metric, a, n) if a != "nfgate" else None
                if mine is None or other is None:
                    continue
                seen = True
                if not mine < other:
                    worse.append(f"{LABEL[a]} at N={n:,} ({fmt(other)} s vs {fmt(mine)} s)")
        if seen:
            parts.append(f"{what} below every anchor at every N: "
                         + ("yes" if not worse else "no — not below " + "; ".join(worse)))
            oks.append(not worse)
        else:
            oks.append(None)
    ok = False if False in oks else (None if None in oks else True)
    out.append(("One service change (one transaction) at N=100k ≤ 1.2× the same at N=1k, "
                "and below every anchor", ok, "; ".join(parts)))

    # 3. full sync (issue 12): <= 0.5x iptables-legacy-restore at 100k,
    # the kernel's work independent of N
    parts, oks = [], []
    have = [n for n in ns if d.get("nat_sync_s", "nfgate", n) is not None
            and d.get("nat_sync_s", "legacy", n) is not None]
    if have:
        n = 100000 if 100000 in have else max(have)
        mine, theirs = d.get("nat_sync_s", "nfgate", n), d.get("nat_sync_s", "legacy", n)
        ratio_ok = mine <= 0.5 * theirs
        parts.append(f"N={n:,}: {fmt(mine)} s vs iptables-legacy-restore {fmt(theirs)} s = "
                     f"{fmt_ratio(mine / theirs)} (≤ 0.5×: {'yes' if ratio_ok else 'no'})"
                     + ("" if n == 100000 else " (legacy not measured at N=100,000)"))
        oks.append(ratio_ok if n == 100000 else None)
        if n != 100000:
            oks.append(False if not ratio_ok else None)
    else:
        parts.append("needs nfgate and iptables-legacy at one N")
        oks.append(None)
    opsn = {n: d.get("nat_sync_ops", "nfgate", n) for n in ns}
    opsn = {n: v for n, v in opsn.items() if v is not None}
    if len(opsn) >= 2:
        flat = len(set(opsn.values())) == 1
        parts.append("operations committed: " + ", ".join(f"{int(v)} at N={n:,}" for n, v in opsn.items())
                     + f" (independent of N: {'yes' if flat else 'no'})")
        oks.append(flat)
    ok = False if False in oks else (None if None in oks else True)
    out.append(("Full sync (one service changed) at N=100k ≤ 0.5× iptables-legacy-restore's, "
                "the kernel's work independent of N", ok, "; ".join(parts)))
    return out


def nat_report(rows, meta, outdir):
    """latest-nat.md: the NAT workload's tables and targets."""
    d = Data(rows, meta)
    d.tools = [t for t in d.tools if t in NAT_TOOLS]
    md = ["# nfgate benchmark results: kube-proxy's NAT workload", ""]
    md.append(f"- Date: {meta.get('date', '?')}")
    vcpus = meta.get('nproc', '?')
    md.append(f"- Machine: {meta.get('virt', 'QEMU TCG')}, {vcpus} vCPU{'' if vcpus == '1' else 's'} "
              f"({meta.get('cpu', '?')}), {meta.get('memory', '?')}; host CPU: "
              f"{meta.get('host_cpu', 'unknown')}")
    md.append(f"- Guest kernel: {meta.get('kernel', '?')}; {meta.get('iptables', '')}; "
              f"{meta.get('nft', '')}")
    md.append(f"- Configuration: N = {meta.get('n', '?')} services; tools "
              f"{meta.get('tools', '?')}; skipped points: {meta.get('nat_skip') or 'none'}; "
              f"new flows: offered-rate search from {meta.get('fwd_start_pps', '?')} packets/s, "
              f"then up to {meta.get('fwd_reps', '?')} runs of {meta.get('fwd_seconds', '?')} s; "
              f"one service change: median of up to {meta.get('reps', '?')} (fewer past "
              f"{meta.get('one_budget_s', '?')} s); conntrack: {meta.get('nat_ct', '?')}")
    md.append("- Workload: service o = 198.18.0.0 + o, port 1024 + o mod 60000 (tcp; the last "
              "one udp, the probe's); 3 endpoints 203.0.113.x, target port 10000 + o mod 50000.  "
              "iptables text: `-A KUBE-SERVICES -d IP/32 -p tcp -m comment --comment ... -m tcp "
              "--dport P -j KUBE-SVC-o`; KUBE-SVC-o: statistic 0.33333333349 / 0.5 / else -> "
              "KUBE-SEP-o-j; KUBE-SEP-o-j: `-s EP/32 -j KUBE-MARK-MASQ`, `-p tcp -m tcp -j DNAT "
              "--to-destination EP:PORT`; plus kube-proxy's fixed chains (PREROUTING/OUTPUT -> "
              "KUBE-SERVICES, KUBE-MARK-MASQ, KUBE-POSTROUTING with MASQUERADE).  nft: map "
              "`ip daddr . meta l4proto . th dport` -> `goto service-o`; `numgen random mod 3 "
              "vmap { 0 : goto endpoint-o-1, ... }`; endpoint chains `ip saddr EP jump "
              "mark-for-masquerade`, `meta l4proto tcp dnat to EP:PORT` (lib/natgen.sh).  One "
              "tool loaded at a time.")
    if "icount" in meta.get("virt", ""):
        md.append("- Everything runs in QEMU TCG with -icount: the guest's clock counts executed "
                  "instructions (bench/README.md); absolute numbers are far below native; "
                  "compare ratios.")
    for t, why in d.skipped.items():
        md.append(f"- Skipped: {LABEL.get(t, t)}: {why}")
    for tool, n, value, note in d.checks:
        md.append(f"- Check failed: {LABEL.get(tool, tool)} at N={n:,}: {value} {note}")
    for (metric, tool), vals in sorted(d.val.items()):
        if metric == "nat_skipped":
            for n in sorted(vals):
                md.append(f"- Not measured: {LABEL.get(tool, tool)} at N={n:,} (BENCH_NAT_SKIP)")
    want_ns = [int(x) for x in meta.get("n", "").split() if x.isdigit()]
    for t in [t for t in meta.get("tools", "").split() if t in NAT_TOOLS]:
        if t in d.skipped:
            continue
        for n in want_ns:
            if not any(n in vals for (m, tool), vals in d.val.items() if tool == t):
                md.append(f"- Not measured: {LABEL[t]} at N={n:,}: no record (the run "
                          "ended before this point finished, or its set-up failed)")
    md.append("")
    md.append("## Targets (issue 11, part 5; the full sync: issue 12)")
    md.append("")
    md.append("| target | result | numbers |")
    md.append("|---|---|---|")
    for what, ok, numbers in nat_targets(d):
        md.append(f"| {what} | {verdict(ok)} | {numbers} |")
    md.append("")
    for metric, title, unit, higher in NAT_METRICS:
        md.append(f"## {title} ({unit}, {'higher' if higher else 'lower'} is better)")
        md.append("")
        md.append(NAT_HOW[metric])
        md.append("")
        if any((metric, t) in d.val for t in d.tools):
            md.append(table(d, metric, unit, higher))
        else:
            md.append("Not measured.\n")
        if metric in ("nat_mem_bps", "nat_fwd_pps"):
            parts = []
            for t in d.tools:
                for n in d.ns:
                    note = d.note.get((metric, t), {}).get(n)
                    if note:
                        parts.append(f"- {LABEL[t]}, N={n:,}: {note}")
            if parts:
                md.append("Deltas:" if metric == "nat_mem_bps" else "Runs (offered:arrived):")
                md.append("")
                md.extend(parts)
                md.append("")
    with open(os.path.join(outdir, "latest-nat.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md).rstrip() + "\n")


def is_nat(metric):
    return metric.startswith("nat_")


def read_tsv(path, ncols):
    rows = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                parts = line.split("\t")
                parts += [""] * (ncols - len(parts))
                rows.append(parts[:ncols])
    except FileNotFoundError:
        pass
    return rows


def num(text):
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def fmt(v, unit=""):
    if v is None:
        return "—"
    if unit == "packets/s" or abs(v) >= 1000:
        return f"{v:,.0f}"
    if v == 0:
        return "0"
    digits = max(0, 2 - int(math.floor(math.log10(abs(v)))))
    return f"{v:.{digits}f}"


def fmt_ratio(r):
    if r is None:
        return "—"
    if r >= 100:
        return f"{r:,.0f}×"
    return f"{fmt(r)}×"


class Data:
    def __init__(self, rows, meta):
        self.meta = meta
        self.val = defaultdict(dict)   # (metric, tool) -> {n: value}
        self.note = defaultdict(dict)  # (metric, tool) -> {n: note}
        self.skipped = {}
        self.none_fwd = []
        self.checks = []
        for metric, tool, n, value, note in rows:
            n = int(n) if n.isdigit() else 0
            if metric == "skipped":
                self.skipped[tool] = note
                continue
            if metric in ("check", "nat_check"):
                self.checks.append((tool, n, value, note))
                continue
            if metric == "fwd_pps" and tool == "none":
                v = num(value)
                if v is not None:
                    self.none_fwd.append(v)
                continue
            self.val[(metric, tool)][n] = num(value)
            if note:
                self.note[(metric, tool)][n] = note
        self.ns = sorted({n for d in self.val.values() for n in d})
        order = meta.get("tools", "").split() or [t for t, _ in TOOLS]
        self.tools = [t for t in order if t in LABEL]

    def get(self, metric, tool, n):
        return self.val.get((metric, tool), {}).get(n)

    def none_rate(self):
        # the larger sample: other load on the host only ever lowers a rate
        if not self.none_fwd:
            return None
        return max(self.none_fwd)


def metric_title(metric, meta):
    for m, title, unit, _ in METRICS:
        if m == metric:
            return title.format(txns=meta.get("txns", "1000")), unit
    return metric, ""


def table(d, metric, unit, higher):
    tools = [t for t in d.tools if (metric, t) in d.val]
    anchors = [t for t in tools if t != "nfgate"]
    have_nfgate = "nfgate" in tools
    head = ["N"] + [LABEL[t] for t in tools]
    if have_nfgate:
        head += [f"nfgate / {LABEL[a]}" for a in anchors]
    if metric == "fwd_pps" and have_nfgate:
        head.append("nfgate / no rules")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    notes = []

    def cell(tool, n):
        v = d.get(metric, tool, n)
        text = fmt(v, unit)
        note = d.note.get((metric, tool), {}).get(n)
        if note and metric not in ("mem_bpr", "nat_mem_bps") and not note.startswith(("median of", "offered:arrived")):
            if note not in notes:
                notes.append(note)
            text += f" [{notes.index(note) + 1}]"
        return text

    for n in d.ns:
        row = [f"{n:,}"] + [cell(t, n) for t in tools]
        if have_nfgate:
            mine = d.get(metric, "nfgate", n)
            for a in anchors:
                other = d.get(metric, a, n)
                r = mine / other if mine is not None and other else None
                row.append(fmt_ratio(r))
            if metric == "fwd_pps":
                base = d.none_rate()
                row.append(fmt_ratio(mine / base if mine is not None and base else None))
        lines.append("| " + " | ".join(row) + " |")
    out = "\n".join(lines) + "\n"
    if have_nfgate:
        out += ("\nRatios are nfgate's value divided by the anchor's: "
                + ("above 1 means nfgate is faster.\n" if higher
                   else "below 1 means nfgate is cheaper.\n"))
    for i, note in enumerate(notes):
        out += f"\n[{i + 1}] {note}"
    if notes:
        out += "\n"
    return out


def pick(ns, want):
    """N to evaluate a target at: want if measured, else the largest N."""
    if not ns:
        return None, ""
    if want in ns:
        return want, ""
    n = max(ns)
    return n, f" (evaluated at N={n:,}; N={want:,} not measured)"


def verdict(ok):
    if ok is None:
        return "not measured"
    return "**met**" if ok else "**not met**"


def targets(d):
    out = []
    ns = d.ns

    # 1. one change: flat in N and below every anchor at every N
    parts = []
    oks = []
    for metric, what in (("add1_s", "add"), ("del1_s", "delete")):
        big, big_note = pick(ns, 100000)
        small = 1000 if 1000 in ns else (min(ns) if ns else None)
        vb = d.get(metric, "nfgate", big) if big else None
        vs = d.get(metric, "nfgate", small) if small else None
        if vb is not None and vs is not None and big != small:
            flat = vb <= 1.2 * vs
            parts.append(f"{what}: {fmt(vb)} s at N={big:,} vs {fmt(vs)} s at "
                         f"N={small:,} = {fmt_ratio(vb / vs)} (≤ 1.2×: "
                         f"{'yes' if flat else 'no'}){big_note}")
            oks.append(flat)
        else:
            parts.append(f"{what}: flatness needs nfgate at two N")
            oks.append(None)
        worse = []
        seen = False
        for n in ns:
            mine = d.get(metric, "nfgate", n)
            for a in ANCHORS:
                other = d.get(metric, a, n)
                if mine is None or other is None:
                    continue
                seen = True
                if not mine < other:
                    worse.append(f"{LABEL[a]} at N={n:,} ({fmt(other)} s vs {fmt(mine)} s)")
        if seen:
            parts.append(f"{what} below every anchor at every N: "
                         + ("yes" if not worse else "no — not below " + "; ".join(worse)))
            oks.append(not worse)
        else:
            oks.append(None)
    ok = False if False in oks else (None if None in oks else True)
    out.append(("One change at N=100k ≤ 1.2× the same at N=1k, and less than every "
                "anchor at every N", ok, "; ".join(parts)))

    # 2. transactions: >= 100x faster than iptables-legacy-restore at 100k
    n, note = pick(ns, 100000)
    mine = d.get("txn_s", "nfgate", n) if n else None
    leg = d.get("txn_s", "legacy", n) if n else None
    if mine and leg:
        speed = leg / mine
        out.append((f"{d.meta.get('txns', '1000')} single-change transactions at 100k ≥ "
                    "100× faster than iptables-legacy-restore", speed >= 100,
                    f"{fmt(leg)} s / {fmt(mine)} s = {fmt_ratio(speed)}{note}"))
    else:
        out.append((f"{d.meta.get('txns', '1000')} single-change transactions at 100k ≥ "
                    "100× faster than iptables-legacy-restore", None,
                    "nfgate or legacy not measured"))

    # 3. bulk load of 100k no slower than iptables-legacy-restore
    mine = d.get("load_s", "nfgate", n) if n else None
    leg = d.get("load_s", "legacy", n) if n else None
    if mine is not None and leg is not None:
        out.append(("Bulk load of 100k no slower than iptables-legacy-restore",
                    mine <= leg, f"{fmt(mine)} s vs {fmt(leg)} s{note}"))
    else:
        out.append(("Bulk load of 100k no slower than iptables-legacy-restore", None,
                    "nfgate or legacy not measured"))

    # 4. forwarding with 10k and 100k rules >= 0.7x none and >= nft vmap
    base = d.none_rate()
    at = [x for x in (10000, 100000) if x in ns]
    fnote = ""
    if not at and ns:
        at = [max(ns)]
        fnote = f" (evaluated at N={max(ns):,}; 10k/100k not measured)"
    parts, oks = [], []
    for x in at:
        mine = d.get("fwd_pps", "nfgate", x)
        vm = d.get("fwd_pps", "nftmap", x)
        mine_base = d.get("fwd_base", "nfgate", x)
        vm_base = d.get("fwd_base", "nftmap", x)
        if mine_base and vm_base and mine is not None and vm is not None:
            # each rate against the no-rule rate taken just before it
            share, vshare = mine / mine_base, vm / vm_base
            good = share >= 0.7 and share >= vshare
            oks.append(good)
            parts.append(f"N={x:,}: {fmt(mine, 'packets/s')} pps = {fmt_ratio(share)} of "
                         f"{fmt(mine_base, 'packets/s')} with no rules just before; nft vmap "
                         f"{fmt(vm, 'packets/s')} = {fmt_ratio(vshare)} of "
                         f"{fmt(vm_base, 'packets/s')}")
            continue
        if mine is None or not base:
            oks.append(None)
            continue
        share = mine / base
        good = share >= 0.7 and (vm is None or mine >= vm)
        oks.append(good)
        vtext = f", nft vmap {fmt(vm, 'packets/s')}" if vm is not None else ", nft vmap not measured"
        parts.append(f"N={x:,}: {fmt(mine, 'packets/s')} pps = {fmt_ratio(share)} of "
                     f"{fmt(base, 'packets/s')} with no rules{vtext}")
    ok = False if False in oks else (None if not oks or None in oks else True)
    out.append(("Forwarding with 10k and 100k rules ≥ 0.7× the rate with none and ≥ nft "
                "verdict map", ok, ("; ".join(parts) or "nfgate not measured") + fnote))

    # 5. memory per rule at the largest N
    mine = d.get("mem_bpr", "nfgate", n) if n else None
    if mine is not None:
        out.append(("≤ 256 bytes of kernel memory per kube-proxy-shaped rule",
                    mine <= 256, f"{fmt(mine)} bytes/rule{note}"))
    else:
        out.append(("≤ 256 bytes of kernel memory per kube-proxy-shaped rule", None,
                    "nfgate not measured"))
    return out


def base_table(d):
    """Each tool's rate over the no-rule rate measured just before its point
    (no tool loaded): the host's speed drifts during a run, and these ratios
    do not depend on it."""
    tools = [t for t in d.tools if ("fwd_base", t) in d.val]
    lines = ["Each rate divided by the rate with no rules measured just before that "
             "point (no tool loaded; the baseline in brackets, packets/s). The host's "
             "speed drifts during a run; these ratios compare like with like.", "",
             "| N | " + " | ".join(LABEL[t] for t in tools) + " |",
             "|" + "---|" * (len(tools) + 1)]
    for n in d.ns:
        row = [f"{n:,}"]
        for t in tools:
            v, b = d.get("fwd_pps", t, n), d.get("fwd_base", t, n)
            row.append(f"{fmt_ratio(v / b)} [{fmt(b, 'packets/s')}]"
                       if v is not None and b else "-")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def write_dat(d, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("# nfgate benchmark: one block per metric (gnuplot index 0..5), "
                "columns: N, then one per tool; NaN = not measured\n")
        for i, (metric, title, unit, _) in enumerate(METRICS):
            if i:
                f.write("\n\n")
            f.write(f"# index {i}: {metric} ({unit})\n")
            cols = ["N"] + [LABEL[t] for t, _ in TOOLS]
            if metric == "fwd_pps":
                cols.append("no rules")
            f.write(" ".join(f'"{c}"' for c in cols) + "\n")
            for n in d.ns:
                row = [str(n)]
                for t, _ in TOOLS:
                    v = d.get(metric, t, n)
                    row.append("NaN" if v is None else repr(v))
                if metric == "fwd_pps":
                    base = d.none_rate()
                    row.append("NaN" if base is None else repr(base))
                f.write(" ".join(row) + "\n")


def write_gp(d, dat, png, path):
    """A gnuplot script naming only the columns that hold data (a panel
    whose every curve is empty would stop gnuplot)."""
    lines = [
        "# generated by bench/report.py: gnuplot latest.gp (in this directory)",
        "set terminal pngcairo size 1500,900 font ',9'",
        f"set output '{os.path.basename(png)}'",
        "set datafile missing 'NaN'",
        "set logscale xy",
        "set grid",
        "set key top left font ',8'",
        "set xlabel 'N (rules)'",
        "set multiplot layout 2,3 title 'nfgate vs iptables / nft (QEMU TCG)'",
    ]
    if d.ns:
        # fixed, so that the no-rules line spans the panel even for one N
        lines.insert(-1, f"set xrange [{min(d.ns) / 2:g}:{max(d.ns) * 2:g}]")
    for i, (metric, title, unit, _) in enumerate(METRICS):
        title = title.format(txns=d.meta.get("txns", "1000"))
        lines.append(f"set title \"{title}\" font ',9'")
        lines.append(f"set ylabel '{unit}'")
        pieces = []
        for col, (t, _) in enumerate(TOOLS, start=2):
            if any(d.get(metric, t, n) is not None and d.get(metric, t, n) > 0
                   for n in d.ns):
                pieces.append(f"'{os.path.basename(dat)}' index {i} using 1:{col} "
                              f"with linespoints lw 2 title '{LABEL[t]}'")
        if metric == "fwd_pps" and d.none_rate():
            pieces.append(f"{d.none_rate():.1f} with lines dt 2 lc 'black' title 'no rules'")
        if pieces:
            lines.append("plot " + ", \\\n     ".join(pieces))
        else:
            lines.append("set label 1 'no data' at graph 0.5,0.5 center")
            lines.append("plot [1:10] [1:10] NaN notitle")
            lines.append("unset label 1")
    lines.append("unset multiplot")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    indir, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    meta = {k: v for k, v in read_tsv(os.path.join(indir, "meta.tsv"), 2)}
    rows = read_tsv(os.path.join(indir, "raw.tsv"), 5)
    nat_rows = [r for r in rows if is_nat(r[0]) or r[0] == "skipped"]
    rows = [r for r in rows if not is_nat(r[0])]
    if any(is_nat(r[0]) for r in nat_rows):
        nat_report(nat_rows, meta, outdir)
    if not any(r[0] != "skipped" for r in rows):
        return 0
    d = Data(rows, meta)

    dat = os.path.join(outdir, "latest.dat")
    gp = os.path.join(outdir, "latest.gp")
    png = os.path.join(outdir, "latest.png")
    write_dat(d, dat)
    write_gp(d, dat, png, gp)
    plot_note = ""
    if d.ns and shutil.which("gnuplot"):
        r = subprocess.run(["gnuplot", os.path.basename(gp)], cwd=outdir,
                           capture_output=True, text=True)
        if r.returncode != 0:
            plot_note = f"gnuplot failed: {r.stderr.strip()[:300]}"
    elif d.ns:
        plot_note = "gnuplot not installed: no plot"
    else:
        plot_note = "no data: no plot"

    md = ["# nfgate benchmark results", ""]
    md.append(f"- Date: {meta.get('date', '?')}")
    vcpus = meta.get('nproc', '?')
    md.append(f"- Machine: {meta.get('virt', 'QEMU TCG')}, {vcpus} vCPU{'' if vcpus == '1' else 's'} "
              f"({meta.get('cpu', '?')}), {meta.get('memory', '?')}; host CPU: "
              f"{meta.get('host_cpu', 'unknown')}")
    md.append(f"- Guest kernel: {meta.get('kernel', '?')}; {meta.get('iptables', '')}; "
              f"{meta.get('nft', '')}")
    md.append(f"- Configuration: N = {meta.get('n', '?')}; {meta.get('txns', '?')} "
              f"transactions; forwarding: offered-rate search from "
              f"{meta.get('fwd_start_pps', '?')} packets/s, then up to "
              f"{meta.get('fwd_reps', '?')} runs of {meta.get('fwd_seconds', '?')} s; one change: median of up to {meta.get('reps', '?')} (fewer past "
              f"{meta.get('one_budget_s', '?')} s); transaction runs extrapolated "
              f"from a shorter run when one change costs more than "
              f"{meta.get('txn_max_change_s', '?')} s or the whole run would take more "
              f"than {meta.get('txn_max_run_s', '?')} s")
    md.append("- Workload: kube-proxy-shaped rules `-A FORWARD -d IP/32 -p tcp --dport P "
              "-j ACCEPT`, one per service, IP = 198.18.0.0 + i (198.18.0.0/15), port = "
              "1024 + i mod 60000; the last rule is UDP (the forwarded flow's), FORWARD "
              "policy DROP.  One tool loaded at a time.")
    if "icount" in meta.get("virt", ""):
        md.append("- Everything runs in QEMU TCG (emulated CPU) with -icount: the guest's "
                  "clock counts executed instructions, so numbers do not depend on the "
                  "host's load (bench/README.md, \"Guest time counts instructions\"); "
                  "absolute numbers are far below native; compare ratios.")
    else:
        md.append("- Everything runs in QEMU TCG (emulated CPU): absolute numbers are far "
                  "below native; compare ratios.")
    if plot_note:
        md.append(f"- Plot: {plot_note}")
    else:
        md.append("- Plot: latest.png (from latest.dat via latest.gp)")
    for t, why in d.skipped.items():
        md.append(f"- Skipped: {LABEL.get(t, t)}: {why}")
    for tool, n, value, note in d.checks:
        md.append(f"- Check failed: {LABEL.get(tool, tool)} at N={n:,}: {value} {note}")
    md.append("")

    md.append("## Targets of the scale issue")
    md.append("")
    md.append("| target | result | numbers |")
    md.append("|---|---|---|")
    for what, ok, numbers in targets(d):
        md.append(f"| {what} | {verdict(ok)} | {numbers} |")
    md.append("")

    for metric, _, unit, higher in METRICS:
        title, unit = metric_title(metric, meta)
        md.append(f"## {title} ({unit}, {'higher' if higher else 'lower'} is better)")
        md.append("")
        md.append(HOW[metric])
        if metric == "txn_s":
            for t in d.tools:
                how = meta.get(f"txn_how_{t}")
                if how:
                    md.append(f"- {LABEL[t]}: {how}")
        md.append("")
        if metric == "fwd_pps" and d.none_fwd:
            samples = ", ".join(fmt(v, unit) for v in d.none_fwd)
            md.append(f"With no rules (no tool loaded): **{fmt(d.none_rate(), unit)}** "
                      f"packets/s, the larger of {samples} (before the first tool, after the "
                      "last).")
            md.append("")
        if any((metric, t) in d.val for t in d.tools):
            md.append(table(d, metric, unit, higher))
        else:
            md.append("Not measured.\n")
        if metric == "fwd_pps" and any(("fwd_base", t) in d.val for t in d.tools):
            md.append(base_table(d))
        if metric == "mem_bpr":
            parts = []
            for t in d.tools:
                for n in d.ns:
                    note = d.note.get((metric, t), {}).get(n)
                    if note:
                        parts.append(f"- {LABEL[t]}, N={n:,}: {note}")
            if parts:
                md.append("Deltas:")
                md.append("")
                md.extend(parts)
                md.append("")

    with open(os.path.join(outdir, "latest.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md).rstrip() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
