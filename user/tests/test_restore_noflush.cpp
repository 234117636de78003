// SPDX-License-Identifier: GPL-2.0
// restore --noflush as a difference: reading only the chains the block
// rewrites, diffing them and sending its other lines as they are leaves
// what the block's literal operations leave, and a kube-proxy-style sync
// in which one service changed costs only the operations of that
// service, however many services stay.
#include "nfgate/desired.hpp"
#include "nfgate/diff.hpp"
#include "nfgate/model.hpp"
#include "nfgate/plan.hpp"
#include "nfgate/restore.hpp"
#include "nfgate/save.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace nfgate
