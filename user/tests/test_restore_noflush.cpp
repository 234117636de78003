// SPDX-License-Identifier: GPL-2.0
// restore --noflush as a difference: reading only the chains the block
// rewrites, diffing them and sending its other lines as they are leaves
// what the block's literal operations leave, and a kube-proxy-style sync
// in which one service changed costs only the operations of that
// service, however many services stay.
#include "model_digests.hpp"
#include "nfgate/desired.hpp"
#include "nfgate/digest.hpp"
#include "nfgate/diff.hpp"
#include "nfgate/model.hpp"
#include "nfgate/plan.hpp"
#include "nfgate/restore.hpp"
#include "nfgate/save.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <sstream>

namespace nfgate {
namespace {

RestoreBlock block_of(const std::string& text) {
    std::istringstream in(text);
    auto blocks = read_restore(in, {});
    EXPECT_EQ(blocks.size(), 1u);
    return blocks.at(0);
}

RulesetModel loaded(const std::string& text) {
    RulesetModel m;
    m.apply_all(plan_restore_block(block_of(text), {}));
    return m;
}

std::set<std::string> user_chains(const TableSnapshot& t) {
    std::set<std::string> out;
    for (const auto& c : t.chains)
        if (!c.builtin) out.insert(c.name);
    return out;
}

// What the literal --noflush operations leave (the old restore path).
std::string literal_noflush(const std::string& before, const std::string& sync) {
    RulesetModel m = loaded(before);
    RestorePlanOptions po;
    po.noflush = true;
    po.zero_policy_counters = true;
    RestoreBlock b = block_of(sync);
    m.apply_all(plan_restore_block(b, po, user_chains(m.snapshot(b.table))));
    return format_save_table(m.snapshot(b.table), false);
}

// The operations restore --noflush sends for `sync` on `m`, reading (as
// the CLI does) only the scope's chains.
std::vector<Op> noflush_ops(const RulesetModel& m, const std::string& sync) {
    RestoreBlock b = block_of(sync);
    NoflushScope scope = noflush_scope(b);
    EXPECT_FALSE(scope.whole_table) << sync;
    TableSnapshot full = m.snapshot(b.table), part;
    part.table = b.table;
    std::set<std::string> known;
    for (const auto& c : full.chains) {
        if (scope.content.count(c.name)) part.chains.push_back(c);
        if (scope.referenced.count(c.name)) known.insert(c.name);
    }
    for (const auto& e : full.rules)
        if (scope.content.count(e.chain)) part.rules.push_back(e);
    part.sort();
    NoflushPlan plan = plan_noflush(b, scope, part, known);
    auto diff = diff_table(part, plan.desired);
    return noflush_ops(std::move(plan), diff);
}

// kube-proxy's nat sync for services [0, n), service `changed` with a
// different endpoint.
std::string kube_sync(int n, int changed = -1) {
    std::string s = "*nat\n:KUBE-MARK-MASQ - [0:0]\n:KUBE-SERVICES - [0:0]\n";
    for (int i = 0; i < n; ++i) s += ":KUBE-SVC-" + std::to_string(i) + " - [0:0]\n";
    s += "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\n";
    for (int i = 0; i < n; ++i) {
        std::string ip = "198.18." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
        std::string ep = "198.19." + std::to_string(i / 250) + "." + std::to_string(i % 250 + (i == changed ? 2 : 1));
        s += "-A KUBE-SERVICES -d " + ip + "/32 -p tcp -m comment --comment \"svc " + std::to_string(i) +
             "\" -m tcp --dport 80 -j KUBE-SVC-" + std::to_string(i) + "\n";
        s += "-A KUBE-SVC-" + std::to_string(i) + " -s " + ep + "/32 -j KUBE-MARK-MASQ\n";
        s += "-A KUBE-SVC-" + std::to_string(i) + " -p tcp -j DNAT --to-destination " + ep + ":8080\n";
    }
    return s + "COMMIT\n";
}

TEST(RestoreNoflush, SameResultAsTheLiteralOperations) {
    const std::string before = kube_sync(5);
    const std::string cases[] = {
        kube_sync(5, 3),
        kube_sync(4),
        kube_sync(6),
        // -A onto a chain the block does not declare: appended, not read
        "*nat\n-A KUBE-SVC-1 -j RETURN\nCOMMIT\n",
        // a built-in's policy, a new chain, -D by number, -I
        "*nat\n:POSTROUTING DROP [0:0]\n:NEW - [0:0]\n-D KUBE-SVC-2 1\n-I KUBE-SERVICES 2 -j NEW\nCOMMIT\n",
        // a chain created and deleted, -F of one
        "*nat\n:X - [0:0]\n-X X\n-F KUBE-SVC-0\nCOMMIT\n",
        // one service's chain rewritten, jumping to a chain not read
        "*nat\n:KUBE-SVC-3 - [0:0]\n-A KUBE-SVC-3 -j KUBE-MARK-MASQ\n-A KUBE-SVC-3 -j RETURN\nCOMMIT\n",
        // a new service: a rule appended to KUBE-SERVICES, a new chain
        "*nat\n:KUBE-SVC-9 - [0:0]\n-A KUBE-SERVICES -d 198.18.9.9/32 -j KUBE-SVC-9\n"
        "-A KUBE-SVC-9 -j KUBE-MARK-MASQ\nCOMMIT\n",
        // a service removed: its rule deleted by spec, its chain deleted
        "*nat\n:KUBE-SVC-1 - [0:0]\n-D KUBE-SERVICES -d 198.18.0.2/32 -p tcp -m comment --comment \"svc 1\" "
        "-m tcp --dport 80 -j KUBE-SVC-1\n-X KUBE-SVC-1\nCOMMIT\n",
    };
    for (const auto& sync : cases) {
        RulesetModel m = loaded(before);
        m.apply_all(noflush_ops(m, sync));
        EXPECT_EQ(format_save_table(m.snapshot(Table::nat), false), literal_noflush(before, sync)) << sync;
    }
}

TEST(RestoreNoflush, OneChangedServiceCostsItsOperationsOnly) {
    for (int n : {10, 1000}) {
        RulesetModel m = loaded(kube_sync(n));
        EXPECT_TRUE(noflush_ops(m, kube_sync(n)).empty()) << n;
        // One service's endpoint changed: its two KUBE-SVC rules go and come.
        EXPECT_EQ(noflush_ops(m, kube_sync(n, n / 2)).size(), 4u) << n;
        // An undeclared chain appended to: one operation, nothing read.
        RestoreBlock add = block_of("*nat\n-A KUBE-SERVICES -j RETURN\nCOMMIT\n");
        EXPECT_TRUE(noflush_scope(add).content.empty());
        EXPECT_EQ(noflush_ops(m, "*nat\n-A KUBE-SERVICES -j RETURN\nCOMMIT\n").size(), 1u) << n;
    }
}

TEST(RestoreNoflush, BadLineIsNamed) {
    RulesetModel m = loaded(kube_sync(2));
    try {
        noflush_ops(m, "*nat\n:KUBE-SVC-0 - [0:0]\n-A KUBE-SVC-0 -j NOWHERE\nCOMMIT\n");
        FAIL() << "a jump to a missing chain was taken";
    } catch (const RestoreError& e) {
        EXPECT_EQ(e.line(), 3);
    }
}

TEST(RestoreNoflush, ALineOnEveryChainIsWholeTable) {
    EXPECT_TRUE(noflush_scope(block_of("*filter\n-F\nCOMMIT\n")).whole_table);
    EXPECT_TRUE(noflush_scope(block_of("*filter\n-X\nCOMMIT\n")).whole_table);
}


using test::chains_with_digests;

// restore --noflush by chain digests (cmd_restore.cpp's read_by_digest):
// the plan from the chain list, unchanged chains dropped, the others'
// rules read; nullopt when the block is not a plain rewrite.
struct DigestRun {
    std::vector<Op> ops;
    std::set<std::string> read;
};
std::optional<DigestRun> digest_ops(const RulesetModel& m, const std::string& sync) {
    RestoreBlock b = block_of(sync);
    NoflushScope scope = noflush_scope(b);
    TableSnapshot full = m.snapshot(b.table);
    std::vector<ChainInfo> chains = chains_with_digests(full);
    auto plan = plan_noflush_rewrite(b, scope, chains);
    if (!plan) return std::nullopt;
    DigestRun run;
    TableSnapshot current;
    current.table = b.table;
    current.chains = drop_unchanged_chains(*plan, scope, chains);
    for (const auto& c : current.chains)
        if (c.rules) run.read.insert(c.name);
    for (const auto& e : full.rules)
        if (run.read.count(e.chain)) current.rules.push_back(e);
    current.sort();
    auto diff = diff_table(current, plan->desired);
    run.ops = noflush_ops(std::move(*plan), diff);
    return run;
}

TEST(RestoreNoflushDigest, SameResultAsTheLiteralOperations) {
    const std::string before = kube_sync(5);
    // the plain rewrites among SameResultAsTheLiteralOperations' cases
    const std::string cases[] = {
        kube_sync(5),
        kube_sync(5, 3),
        kube_sync(4),
        kube_sync(6),
        "*nat\n:X - [0:0]\n-X X\nCOMMIT\n",
        "*nat\n:KUBE-SVC-3 - [0:0]\n-A KUBE-SVC-3 -j KUBE-MARK-MASQ\n-A KUBE-SVC-3 -j RETURN\nCOMMIT\n",
        // two rules of a chain swapped: same rules, another order
        "*nat\n:KUBE-SVC-2 - [0:0]\n-A KUBE-SVC-2 -p tcp -j DNAT --to-destination 198.19.0.3:8080\n"
        "-A KUBE-SVC-2 -s 198.19.0.3/32 -j KUBE-MARK-MASQ\nCOMMIT\n",
    };
    for (const auto& sync : cases) {
        RulesetModel m = loaded(before);
        auto run = digest_ops(m, sync);
        ASSERT_TRUE(run) << sync;
        m.apply_all(run->ops);
        EXPECT_EQ(format_save_table(m.snapshot(Table::nat), false), literal_noflush(before, sync)) << sync;
    }
}

TEST(RestoreNoflushDigest, OnlyTheChangedChainIsRead) {
    const int n = 200;
    RulesetModel m = loaded(kube_sync(n));
    auto same = digest_ops(m, kube_sync(n));
    ASSERT_TRUE(same);
    EXPECT_TRUE(same->ops.empty());
    EXPECT_TRUE(same->read.empty());
    auto one = digest_ops(m, kube_sync(n, 7));
    ASSERT_TRUE(one);
    EXPECT_EQ(one->read, std::set<std::string>{"KUBE-SVC-7"});
    EXPECT_EQ(one->ops.size(), 4u);
    // -I is not a plain rewrite: the model decides, after reading it all
    EXPECT_FALSE(digest_ops(m, "*nat\n:KUBE-SVC-1 - [0:0]\n-I KUBE-SVC-1 -j RETURN\nCOMMIT\n"));
}

TEST(RuleDigest, WhatTheKernelStoresNotHowItWasWritten) {
    auto rule = [](const std::string& text) {
        RestoreBlock b = block_of("*filter\n:X - [0:0]\n" + text + "\nCOMMIT\n");
        return std::get<Command>(b.lines.at(1).what).rules().at(0);
    };
    RuleSpec a = rule("-A X -s 192.0.2.1/24 -p tcp -m tcp --dport 22 -j ACCEPT");
    RuleSpec b = rule("-A X -s 192.0.2.0/24 -p tcp -m tcp --dport 22 -j ACCEPT");
    EXPECT_EQ(rule_digest(a), rule_digest(b));  // the kernel stores ADDR & MASK
    b.counters = Counters{5, 500};
    b.handle = 42;
    EXPECT_EQ(rule_digest(a), rule_digest(b));
    EXPECT_NE(rule_digest(a), rule_digest(rule("-A X -s 192.0.2.0/24 -p tcp -m tcp --dport 23 -j ACCEPT")));
    EXPECT_NE(rule_digest(a), rule_digest(rule("-A X -s 192.0.2.0/24 -p tcp -m tcp --dport 22 -j DROP")));
    EXPECT_NE(rule_digest(rule("-A X -j X1")), rule_digest(rule("-A X -j X2")));
    // a chain's digest follows the order of its rules
    ChainDigest ab, ba, none;
    ab.add(1), ab.add(2);
    ba.add(2), ba.add(1);
    EXPECT_NE(ab.value(), ba.value());
    EXPECT_EQ(none.value(), 0u);
}

}  // namespace
}  // namespace nfgate
