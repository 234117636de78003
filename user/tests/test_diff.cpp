// SPDX-License-Identifier: GPL-2.0
// `nfgate apply` difference tests: minimal edit scripts (identical, one
// insert/delete/replace among 10k, reordering, duplicates), chains created
// and deleted around jumps, policies, counters, the printed op list, and a
// property test that the ops, applied in order to the model, give exactly
// the desired ruleset with the fewest rule operations.
#include "nfgate/desired.hpp"
#include "nfgate/diff.hpp"
#include "nfgate/format.hpp"
#include "nfgate/model.hpp"
#include "nfgate/plan.hpp"
#include "nfgate/restore.hpp"
#include "nfgate/save.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <sstream>

namespace nfgate {
namespace {

std::vector<RestoreBlock> blocks_of(const std::string& text, bool counters = false) {
    std::istringstream in(text);
    RestoreOptions o;
    o.counters = counters;
    return read_restore(in, o);
}

// Loads `text` (iptables-save format) into the model as restore would.
TableSnapshot load(RulesetModel& m, const std::string& text) {
    for (const auto& b : blocks_of(text)) m.apply_all(plan_restore_block(b, {}));
    return m.snapshot(Table::filter);
}

TableSnapshot want(const std::string& text, const TableSnapshot& cur, bool counters = false) {
    return desired_tables(blocks_of(text, counters), {cur}).at(0);
}

std::vector<std::string> texts(const std::vector<DiffOp>& d) {
    std::vector<std::string> out;
    for (const auto& x : d) out.push_back(format_diff_op(x));
    return out;
}

std::string save_of(const TableSnapshot& s) { return format_save_table(s, false); }

std::set<std::uint64_t> handles(const TableSnapshot& s) {
    std::set<std::uint64_t> h;
    for (const auto& r : s.rules) h.insert(r.rule.handle);
    return h;
}

std::string kube_rule(unsigned i) {
    // 198.18.0.0/15 holds 100k /32s: 250 per /24.
    return "-A INPUT -d 198." + std::to_string(18 + i / 250 / 256) + "." + std::to_string(i / 250 % 256) + "." +
           std::to_string(i % 250 + 1) +
           "/32 -p tcp -m tcp --dport " + std::to_string(1000 + i % 60000) + " -j ACCEPT\n";
}

std::string kube_file(unsigned n, const std::function<std::string(unsigned)>& line = kube_rule) {
    std::string s = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n";
    for (unsigned i = 0; i < n; ++i) s += line(i);
    return s + "COMMIT\n";
}

// Applies the diff to the model (all or nothing, as the kernel would) and
// checks the result is exactly the desired table.
void apply_and_check(RulesetModel& m, const TableSnapshot& desired, const std::vector<DiffOp>& d) {
    ASSERT_NO_THROW(m.apply_all(diff_ops(d)));
    EXPECT_EQ(save_of(m.snapshot(Table::filter)), save_of(desired));
}

TEST(Diff, IdenticalIsEmpty) {
    RulesetModel m;
    std::string f = kube_file(10000);
    auto cur = load(m, f);
    EXPECT_TRUE(diff_table(cur, want(f, cur)).empty());
}

TEST(Diff, OneInsertAmongTenThousand) {
    RulesetModel m;
    auto cur = load(m, kube_file(10000));
    auto f = kube_file(10000, [](unsigned i) {
        return i == 5000 ? "-A INPUT -s 203.0.113.7/32 -j DROP\n" + kube_rule(i) : kube_rule(i);
    });
    auto des = want(f, cur);
    auto d = diff_table(cur, des);
    ASSERT_EQ(texts(d), std::vector<std::string>{"-t filter -I INPUT 5001 -s 203.0.113.7/32 -j DROP"});
    auto before = handles(cur);
    apply_and_check(m, des, d);
    auto after = handles(m.snapshot(Table::filter));
    EXPECT_TRUE(std::includes(after.begin(), after.end(), before.begin(), before.end()));
}

TEST(Diff, OneDeleteAmongTenThousand) {
    RulesetModel m;
    auto cur = load(m, kube_file(10000));
    auto f = kube_file(10000, [](unsigned i) { return i == 4321 ? std::string() : kube_rule(i); });
    auto des = want(f, cur);
    auto d = diff_table(cur, des);
    ASSERT_EQ(texts(d), std::vector<std::string>{"-t filter -D INPUT 4322"});
    EXPECT_EQ(d[0].op.handle, cur.rules[4321].rule.handle);
    EXPECT_FALSE(d[0].op.position);
    apply_and_check(m, des, d);
}

TEST(Diff, OneReplaceAmongTenThousand) {
    RulesetModel m;
    auto cur = load(m, kube_file(10000));
    auto f = kube_file(10000, [](unsigned i) {
        return i == 7000 ? std::string("-A INPUT -d 198.51.100.9/32 -p udp -m udp --dport 53 -j ACCEPT\n")
                         : kube_rule(i);
    });
    auto des = want(f, cur);
    auto d = diff_table(cur, des);
    ASSERT_EQ(texts(d),
              (std::vector<std::string>{
                  "-t filter -D INPUT 7001",
                  "-t filter -I INPUT 7001 -d 198.51.100.9/32 -p udp -m udp --dport 53 -j ACCEPT"}));
    apply_and_check(m, des, d);
}

TEST(Diff, AppendAtTheEndIsAnAppend) {
    RulesetModel m;
    auto cur = load(m, kube_file(3));
    auto des = want(kube_file(5), cur);
    auto d = diff_table(cur, des);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_FALSE(d[0].op.position);
    EXPECT_EQ(format_diff_op(d[0]).substr(0, 20), "-t filter -A INPUT -");
    apply_and_check(m, des, d);
}

TEST(Diff, Reordering) {
    RulesetModel m;
    auto cur = load(m, "*filter\n-A INPUT -p tcp -j ACCEPT\n-A INPUT -p udp -j ACCEPT\n"
                       "-A INPUT -p icmp -j DROP\n-A INPUT -j DROP\nCOMMIT\n");
    auto des = want("*filter\n-A INPUT -p icmp -j DROP\n-A INPUT -p tcp -j ACCEPT\n"
                    "-A INPUT -p udp -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n",
                    cur);
    auto d = diff_table(cur, des);
    // Moving one rule: one delete, one insert; the other three keep handles.
    ASSERT_EQ(texts(d), (std::vector<std::string>{"-t filter -D INPUT 3", "-t filter -I INPUT 1 -p icmp -j DROP"}));
    apply_and_check(m, des, d);
}

TEST(Diff, DuplicatesDeleteTheRightOne) {
    RulesetModel m;
    auto cur = load(m, "*filter\n-A INPUT -p tcp -j ACCEPT\n-A INPUT -p udp -j ACCEPT\n"
                       "-A INPUT -p tcp -j ACCEPT\nCOMMIT\n");
    auto des = want("*filter\n-A INPUT -p udp -j ACCEPT\n-A INPUT -p tcp -j ACCEPT\nCOMMIT\n", cur);
    auto d = diff_table(cur, des);
    ASSERT_EQ(texts(d), std::vector<std::string>{"-t filter -D INPUT 1"});
    EXPECT_EQ(d[0].op.handle, cur.rules[0].rule.handle);
    apply_and_check(m, des, d);
    auto after = m.snapshot(Table::filter);
    EXPECT_EQ(after.rules[0].rule.handle, cur.rules[1].rule.handle);
    EXPECT_EQ(after.rules[1].rule.handle, cur.rules[2].rule.handle);
}

TEST(Diff, ChainsCreatedAndDeletedAroundJumps) {
    RulesetModel m;
    auto cur = load(m, "*filter\n:OLD - [0:0]\n:KEEP - [0:0]\n-A INPUT -p tcp -j OLD\n-A INPUT -j KEEP\n"
                       "-A OLD -j KEEP\n-A OLD -j DROP\n-A KEEP -j RETURN\nCOMMIT\n");
    auto des = want("*filter\n:NEW - [0:0]\n:KEEP - [0:0]\n-A INPUT -p tcp -j NEW\n-A INPUT -j KEEP\n"
                    "-A NEW -j ACCEPT\n-A KEEP -j NEW\nCOMMIT\n",
                    cur);
    auto d = diff_table(cur, des);
    EXPECT_EQ(texts(d), (std::vector<std::string>{
                            "-t filter -N NEW",
                            "-t filter -D INPUT 1",
                            "-t filter -D KEEP 1",
                            "-t filter -F OLD",
                            "-t filter -X OLD",
                            "-t filter -I INPUT 1 -p tcp -j NEW",
                            "-t filter -A KEEP -j NEW",
                            "-t filter -A NEW -j ACCEPT",
                        }));
    apply_and_check(m, des, d);
}

TEST(Diff, JumpDirectionReversedHasNoTransientLoop) {
    RulesetModel m;
    auto cur = load(m, "*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\nCOMMIT\n");
    auto des = want("*filter\n:A - [0:0]\n:B - [0:0]\n-A B -j A\nCOMMIT\n", cur);
    auto d = diff_table(cur, des);
    ASSERT_EQ(d.size(), 2u);
    apply_and_check(m, des, d);
}

TEST(Diff, Policies) {
    RulesetModel m;
    auto cur = load(m, "*filter\n:OUTPUT DROP [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n");
    // No :OUTPUT line: OUTPUT keeps its policy, as iptables-restore leaves it.
    auto des = want("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n", cur);
    auto d = diff_table(cur, des);
    ASSERT_EQ(texts(d), std::vector<std::string>{"-t filter -P FORWARD DROP"});
    apply_and_check(m, des, d);
    EXPECT_EQ(m.snapshot(Table::filter).find_chain("OUTPUT")->policy, Verdict::drop);
}

TEST(Diff, CountersOnlyWithDashC) {
    RulesetModel m;
    auto cur = load(m, "*filter\n-A INPUT -j ACCEPT\nCOMMIT\n");
    std::string f = "*filter\n:INPUT ACCEPT [7:700]\n[5:500] -A INPUT -j ACCEPT\n[3:300] -A INPUT -j DROP\nCOMMIT\n";
    auto plain = diff_table(cur, want(f, cur));
    ASSERT_EQ(texts(plain), std::vector<std::string>{"-t filter -A INPUT -j DROP"});
    auto des = want(f, cur, true);
    DiffOptions o;
    o.counters = true;
    auto d = diff_table(cur, des, o);
    ASSERT_EQ(texts(d), (std::vector<std::string>{"-t filter -P INPUT ACCEPT -c 7 700",
                                                  "-t filter -A INPUT -c 3 300 -j DROP"}));
    ASSERT_NO_THROW(m.apply_all(diff_ops(d)));
    auto after = m.snapshot(Table::filter);
    EXPECT_EQ(after.rules[1].rule.counters, (Counters{3, 300}));
}

TEST(Diff, ErrorsInTheFileNameTheLine) {
    RulesetModel m;
    auto cur = load(m, "*filter\nCOMMIT\n");
    try {
        want("*filter\n:A - [0:0]\n-A INPUT -j A\n-A INPUT -j NOSUCH\nCOMMIT\n", cur);
        FAIL() << "no error";
    } catch (const RestoreError& e) {
        EXPECT_EQ(e.line(), 4);
        EXPECT_NE(std::string(e.what()).find("NOSUCH"), std::string::npos) << e.what();
    }
}

// An edit script is valid when a without its deleted elements equals b
// without its inserted ones.
bool valid_edit(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b, const SeqEdit& e) {
    std::vector<std::uint32_t> ka, kb;
    std::set<std::size_t> del(e.deleted.begin(), e.deleted.end()), ins(e.inserted.begin(), e.inserted.end());
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!del.count(i)) ka.push_back(a[i]);
    for (std::size_t j = 0; j < b.size(); ++j)
        if (!ins.count(j)) kb.push_back(b[j]);
    return ka == kb;
}

std::size_t lcs(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    std::vector<std::vector<std::size_t>> t(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = a.size(); i-- > 0;)
        for (std::size_t j = b.size(); j-- > 0;)
            t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : std::max(t[i + 1][j], t[i][j + 1]);
    return t[0][0];
}

TEST(DiffSequences, MinimalOnRandomSequences) {
    std::mt19937 rng(1);
    for (int iter = 0; iter < 500; ++iter) {
        std::uniform_int_distribution<int> len(0, 40), val(0, iter % 2 ? 3 : 20);
        std::vector<std::uint32_t> a(static_cast<std::size_t>(len(rng))), b(static_cast<std::size_t>(len(rng)));
        for (auto& x : a) x = static_cast<std::uint32_t>(val(rng));
        for (auto& x : b) x = static_cast<std::uint32_t>(val(rng));
        auto e = diff_sequences(a, b);
        ASSERT_TRUE(valid_edit(a, b, e)) << "iteration " << iter;
        EXPECT_EQ(e.deleted.size() + e.inserted.size(), a.size() + b.size() - 2 * lcs(a, b)) << "iteration " << iter;
    }
}

TEST(DiffSequences, LargeDifferencesFallBackAndStayCorrect) {
    // 20000 edits exceed Myers' budget: the patience split must still give a
    // valid script, and keep the common unique elements.
    std::vector<std::uint32_t> a, b;
    for (std::uint32_t i = 0; i < 10000; ++i) {
        a.push_back(i);
        a.push_back(100000 + i);
        b.push_back(200000 + i);
        b.push_back(i);
    }
    auto t0 = std::chrono::steady_clock::now();
    auto e = diff_sequences(a, b);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    ASSERT_TRUE(valid_edit(a, b, e));
    EXPECT_EQ(e.deleted.size(), 10000u);
    EXPECT_EQ(e.inserted.size(), 10000u);
    std::cout << "fallback diff of 2x20000 elements: " << ms.count() << " ms\n";
}

TEST(Diff, HundredThousandRulesFewChangesIsFast) {
    RulesetModel m;
    auto cur = load(m, kube_file(100000));
    auto f = kube_file(100000, [](unsigned i) {
        if (i == 10 || i == 50000) return std::string();
        if (i == 99990) return "-A INPUT -s 203.0.113.0/24 -j DROP\n" + kube_rule(i);
        return kube_rule(i);
    });
    auto des = want(f, cur);
    auto t0 = std::chrono::steady_clock::now();
    auto d = diff_table(cur, des);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    EXPECT_EQ(texts(d), (std::vector<std::string>{"-t filter -D INPUT 50001", "-t filter -D INPUT 11",
                                                  "-t filter -I INPUT 99989 -s 203.0.113.0/24 -j DROP"}));
    std::cout << "diff of 100000 rules with 3 changes: " << ms.count() << " ms\n";
    apply_and_check(m, des, d);
}

// Random rulesets over INPUT, FORWARD and user chains A..C, where only
// built-ins jump to A..C and A jumps to B (never back): desired states are
// random edits of the current one or entirely random. The ops applied in
// order to the model must give the desired table, touch no kept rule, and
// use n + m - 2 LCS rule operations per chain.
TEST(Diff, PropertyRandomRulesets) {
    std::mt19937 rng(42);
    const std::vector<std::string> bodies = {"-p tcp -j ACCEPT", "-p udp -j DROP", "-s 192.0.2.0/24 -j ACCEPT",
                                             "-d 198.51.100.1/32 -p tcp -m tcp --dport 80 -j ACCEPT", "-j DROP",
                                             "-i veth+ -j RETURN"};
    const std::vector<std::string> chains = {"INPUT", "FORWARD", "A", "B", "C"};
    auto random_file = [&](const std::set<std::string>& users) {
        std::string s = "*filter\n";
        s += std::string(":FORWARD ") + (rng() % 2 ? "ACCEPT" : "DROP") + " [0:0]\n";
        for (const auto& u : users) s += ":" + u + " - [0:0]\n";
        for (const auto& c : chains) {
            if (c.size() == 1 && !users.count(c)) continue;
            unsigned n = rng() % 12;
            for (unsigned i = 0; i < n; ++i) {
                std::string body = bodies[rng() % bodies.size()];
                if (c.size() > 1 && rng() % 4 == 0) {
                    std::vector<std::string> us(users.begin(), users.end());
                    if (!us.empty()) body = "-p icmp -j " + us[rng() % us.size()];
                }
                if (c == "A" && users.count("B") && rng() % 4 == 0) body = "-j B";
                s += "-A " + c + " " + body + "\n";
            }
        }
        return s + "COMMIT\n";
    };
    auto random_users = [&] {
        std::set<std::string> u;
        for (const char* n : {"A", "B", "C"})
            if (rng() % 2) u.insert(n);
        return u;
    };
    for (int iter = 0; iter < 300; ++iter) {
        RulesetModel m;
        auto cur = load(m, random_file(random_users()));
        TableSnapshot des;
        if (iter % 3 == 0) {
            des = want(random_file(random_users()), cur);
        } else {
            // A few random edits of the current ruleset.
            std::string f = save_of(cur);
            std::vector<std::string> lines;
            std::istringstream in(f);
            for (std::string l; std::getline(in, l);) lines.push_back(l);
            for (int k = 0, edits = static_cast<int>(rng() % 4); k < edits; ++k) {
                std::vector<std::size_t> rule_lines;
                for (std::size_t i = 0; i < lines.size(); ++i)
                    if (lines[i].rfind("-A INPUT", 0) == 0 || lines[i].rfind("-A FORWARD", 0) == 0)
                        rule_lines.push_back(i);
                if (rule_lines.empty() || rng() % 2) {
                    auto at = std::find(lines.begin(), lines.end(), "COMMIT");
                    lines.insert(at, std::string(rng() % 2 ? "-A INPUT " : "-A FORWARD ") + bodies[rng() % bodies.size()]);
                } else {
                    lines.erase(lines.begin() + static_cast<long>(rule_lines[rng() % rule_lines.size()]));
                }
            }
            std::string g;
            for (const auto& l : lines) g += l + "\n";
            des = want(g, cur);
        }
        auto d = diff_table(cur, des);
        SCOPED_TRACE("iteration " + std::to_string(iter) + "\ncurrent:\n" + save_of(cur) + "desired:\n" + save_of(des));
        apply_and_check(m, des, d);
        // Kept rules keep handles: as many survive as the LCS says.
        for (const auto& c : des.chains) {
            if (!cur.find_chain(c.name)) continue;
            std::vector<std::uint32_t> a, b;
            std::vector<std::string> keys;
            auto key = [&](const RuleSpec& r) {
                std::string k = format_append("", r);
                auto it = std::find(keys.begin(), keys.end(), k);
                if (it == keys.end()) {
                    keys.push_back(k);
                    return static_cast<std::uint32_t>(keys.size() - 1);
                }
                return static_cast<std::uint32_t>(it - keys.begin());
            };
            for (const auto* r : cur.rules_of(c.name)) a.push_back(key(r->rule));
            for (const auto* r : des.rules_of(c.name)) b.push_back(key(r->rule));
            std::size_t rule_ops = 0;
            for (const auto& x : d)
                if (x.op.chain == c.name && (x.op.kind == OpKind::new_rule || x.op.kind == OpKind::del_rule))
                    ++rule_ops;
            EXPECT_EQ(rule_ops, a.size() + b.size() - 2 * lcs(a, b)) << "chain " << c.name;
            std::set<std::uint64_t> before, after;
            for (const auto* r : cur.rules_of(c.name)) before.insert(r->rule.handle);
            // (a named snapshot: rules_of() points into it)
            const TableSnapshot now = m.snapshot(Table::filter);
            for (const auto* r : now.rules_of(c.name)) after.insert(r->rule.handle);
            std::vector<std::uint64_t> kept;
            std::set_intersection(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(kept));
            EXPECT_EQ(kept.size(), lcs(a, b)) << "chain " << c.name;
        }
    }
}

}  // namespace
}  // namespace nfgate
