#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_output.sh: the machine-readable outputs on real counters.  On the
# router, a commented ACCEPT rule counts 5 forwarded echo requests and the
# FORWARD policy the 5 replies; then
#  - `-L -o json`, `-S -o json`, `-S CHAIN N -o json` and `save -o json`
#    are strict JSON with schema_version 1, the rule's handle, counters,
#    target, matches and iptables-save text (the comment's quotes and
#    backslash intact), the policy counters and the generation;
#  - `monitor -o json` prints one object per change and a commit object
#    whose generation is the one the listing reports afterwards;
#  - `stats --prometheus` has the same counters in the text format, the
#    rule label escaped as the format wants, and `stats` their sums;
#  - the drop-in names refuse -o json (iptables has no such option) and
#    plain -L / -S output does not change.

source "$(dirname -- "$0")/lib.sh"
require_env
command -v python3 >/dev/null || skip "python3 missing"
topo_create

COMMENT='out "q" \ x'
nfg_ok "$RTR" -A FORWARD -s 192.0.2.0/24 -p icmp -m comment --comment "$COMMENT" -j ACCEPT
nfg_ok "$RTR" -N WEB
nfg_ok "$RTR" -A FORWARD -j WEB
RULE_TEXT='-s 192.0.2.0/24 -p icmp -m comment --comment "out \"q\" \\ x" -j ACCEPT'
assert_eq "-S prints the rule as expected" "-A FORWARD $RULE_TEXT" \
	"$(nfg "$RTR" -S FORWARD 1)"

log "-- monitor -o json"
ip netns exec "$RTR" "$NFGATE" monitor -o json >"$tmpdir/mon.json" 2>&1 &
bg_pids+=($!)
# Changes made before the monitor joined its group are not shown: repeat
# a create/delete until one shows.
for ((i = 0; i < 50; i++)); do
	nfg "$RTR" -N SYNC && nfg "$RTR" -X SYNC
	sleep 0.1
	grep -q '"event":"del_chain".*"chain":"SYNC"' "$tmpdir/mon.json" && break
done
grep -q '"chain":"SYNC"' "$tmpdir/mon.json" || die "monitor -o json shows nothing"
skip_lines=$(wc -l <"$tmpdir/mon.json")
nfg_ok "$RTR" -N TMP
nfg_ok "$RTR" -A TMP -p udp -j RETURN
nfg_ok "$RTR" -D TMP -p udp -j RETURN
nfg_ok "$RTR" -X TMP
nfg_ok "$RTR" -P INPUT ACCEPT	# no change: no event

ping_ok "$CLI" $SRV_IP 5

cat >"$tmpdir/check.py" <<'PY'
import json, re, sys

def doc(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert text.endswith("\n") and text.count("\n") == 1, "one line: %r" % text[:200]
    return json.loads(text, parse_constant=lambda c: sys.exit("constant " + c))

def need(cond, what):
    if not cond:
        print("FAIL: " + what)
        need.failed = True
need.failed = False

# check.py DIR RULE_TEXT MONITOR_SKIP_LINES: every output file of DIR in one
# python start (slow under TCG); prints "GEN HANDLE MONITOR_GEN STATS_GEN".
out_dir, rule_text, skip = sys.argv[1], sys.argv[2], int(sys.argv[3])
result = {}

def check(what, path):
    if what in ("list", "rules", "save"):
        d = doc(path)
        need(d["schema_version"] == 1 and d["type"] == "ruleset", "header %r" % d)
        tables = {t["table"]: t for t in d["tables"]}
        need(list(tables) == (["filter", "mangle", "raw", "nat"] if what == "save" else ["filter"]),
             "tables %r" % list(tables))
        f = tables["filter"]
        need(d["generation"] >= f["generation"] > 0, "generation %r" % d["generation"])
        chains = {c["name"]: c for c in f["chains"]}
        need(list(chains) == ["INPUT", "FORWARD", "OUTPUT", "WEB"], "chains %r" % list(chains))
        fw = chains["FORWARD"]
        need(fw["builtin"] and fw["policy"] == "ACCEPT" and fw["rule_count"] == 2, "FORWARD %r" % fw)
        need(fw["counters"] == {"packets": 5, "bytes": 420}, "FORWARD policy counters %r" % fw["counters"])
        need(not chains["WEB"]["builtin"] and chains["WEB"]["references"] == 1 and "policy" not in chains["WEB"],
             "WEB %r" % chains["WEB"])
        rules = [r for r in f["rules"] if r["chain"] == "FORWARD"]
        need(len(rules) == 2, "FORWARD rules %r" % rules)
        r = rules[0]
        need(r["position"] == 1 and r["handle"] > 0 and r["table"] == "filter", "rule place %r" % r)
        need(r["counters"] == {"packets": 5, "bytes": 420}, "rule counters %r" % r["counters"])
        need(r["target"] == "ACCEPT" and r["matches"] == ["comment"], "rule target/matches %r" % r)
        need(r["rule"] == rule_text, "rule text %r" % r["rule"])
        need(rules[1]["target"] == "WEB" and rules[1]["rule"] == "-j WEB", "jump rule %r" % rules[1])
        result.setdefault("gen", d["generation"])
        result.setdefault("handle", r["handle"])
    elif what == "one":
        d = doc(path)
        f = d["tables"][0]
        need([c["name"] for c in f["chains"]] == ["FORWARD"], "one chain %r" % f["chains"])
        need(len(f["rules"]) == 1 and f["rules"][0]["position"] == 1, "one rule %r" % f["rules"])
    elif what == "monitor":
        lines = open(path, encoding="utf-8").read().splitlines()[skip:]
        ev = [json.loads(l) for l in lines]
        for e in ev:
            need(e["schema_version"] == 1 and e["type"] == "event", "event header %r" % e)
        kinds = [e["event"] for e in ev]
        need(kinds == ["new_chain", "commit", "new_rule", "commit", "del_rule", "commit", "del_chain", "commit"],
             "events %r" % kinds)
        if len(ev) == 8:
            gens = [e["generation"] for e in ev]
            need(gens == sorted(gens) and gens[1] + 3 == gens[7], "generations %r" % gens)
            need(ev[0]["chain"] == "TMP" and ev[0]["table"] == "filter", "new_chain %r" % ev[0])
            nr = ev[2]["rule"]
            need(nr["chain"] == "TMP" and nr["position"] == 1 and nr["rule"] == "-p udp -j RETURN"
                 and nr["target"] == "RETURN" and nr["handle"] > 0, "new_rule %r" % nr)
            need(ev[4]["rule"]["handle"] == nr["handle"] and "position" not in ev[4]["rule"], "del_rule %r" % ev[4])
            need(all(e["changes"] == 1 for e in ev if e["event"] == "commit"), "commit changes")
            result["mon_gen"] = gens[7]
    elif what == "prometheus":
        handle = result.get("handle")
        text = open(path, encoding="utf-8").read()
        def esc(s):
            return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        want = ('nfgate_rule_packets_total{table="filter",chain="FORWARD",handle="%s",position="1",rule="%s"} 5'
                % (handle, esc(rule_text)))
        need(want in text.splitlines(), "rule packets line %s" % want)
        need(('nfgate_rule_bytes_total{table="filter",chain="FORWARD",handle="%s",position="1",rule="%s"} 420'
              % (handle, esc(rule_text))) in text.splitlines(), "rule bytes line")
        need('nfgate_chain_packets_total{table="filter",chain="FORWARD",policy="ACCEPT"} 5' in text.splitlines(),
             "policy packets line")
        need('nfgate_rules{table="filter"} 2' in text.splitlines(), "rule count")
        need('nfgate_chains{table="filter"} 4' in text.splitlines(), "chain count")
        need("# TYPE nfgate_rule_packets_total counter" in text.splitlines(), "TYPE line")
        m = re.search(r"^nfgate_generation (\d+)$", text, re.M)
        need(m is not None, "generation line")
        if m:
            result["stats_gen"] = int(m.group(1))

for what, name in (("list", "list.json"), ("rules", "rules.json"), ("save", "save.json"), ("one", "one.json"),
                   ("monitor", "mon.json"), ("prometheus", "stats.prom")):
    try:
        check(what, out_dir + "/" + name)
    except Exception as e:
        need(False, "%s: %r" % (name, e))
print(" ".join(str(result.get(k, "missing")) for k in ("gen", "handle", "mon_gen", "stats_gen")))
sys.exit(1 if need.failed else 0)
PY

log "-- -L -o json, -S -o json, save -o json, stats --prometheus"
nfg "$RTR" -L -o json >"$tmpdir/list.json" || fail "-L -o json failed"
nfg "$RTR" -S --output json >"$tmpdir/rules.json" || fail "-S --output json failed"
nfg "$RTR" save -o json >"$tmpdir/save.json" || fail "save -o json failed"
nfg "$RTR" -S FORWARD 1 -o json >"$tmpdir/one.json" || fail "-S FORWARD 1 -o json failed"
nfg "$RTR" stats --prometheus >"$tmpdir/stats.prom" || fail "stats --prometheus failed"
cmp -s "$tmpdir/list.json" "$tmpdir/rules.json" ||
	fail "-L -o json and -S -o json differ: $(cat "$tmpdir/list.json" "$tmpdir/rules.json")"
out=$(python3 "$tmpdir/check.py" "$tmpdir" "$RULE_TEXT" "$skip_lines") || fail "JSON/Prometheus checks: $out"
read -r gen handle mon_gen stats_gen <<<"$(echo "$out" | tail -n 1)"
log "generation $gen, rule handle $handle"
assert_eq "the last commit event's generation is the listing's" "$gen" "$mon_gen"
assert_eq "stats' generation is the listing's" "$gen" "$stats_gen"
out=$(nfg "$RTR" stats -t filter)
assert_eq "stats summary" "filter  4 chains, 2 rules, 10 packets, 840 bytes matched by rules
generation $gen" "$out"

log "-- the drop-in refuses -o json, plain output unchanged"
out=$(ip netns exec "$RTR" "$NFGATE_REPO/build/iptables-nfgate" -L -o json 2>&1)
assert_eq "iptables-nfgate -L -o json exit status" 2 "$?"
assert_match "iptables-nfgate -L -o json message" "Illegal option \`--out-interface' with this command" "$out"
out=$(ip netns exec "$RTR" "$NFGATE_REPO/build/iptables-nfgate-save" -o json 2>&1)
assert_eq "iptables-nfgate-save -o json exit status" 1 "$?"
out=$(ip netns exec "$RTR" "$NFGATE_REPO/build/iptables-nfgate" -L FORWARD -n 2>&1)
assert_eq "iptables-nfgate -L is text" "Chain FORWARD (policy ACCEPT)" "$(echo "$out" | head -n 1)"
assert_eq "nfgate -L without -o is the same text" "$out" "$(nfg "$RTR" -L FORWARD -n 2>&1)"
out=$(nfg "$RTR" -L -o xml 2>&1)
assert_eq "-o xml exit status" 2 "$?"

exit $ret
