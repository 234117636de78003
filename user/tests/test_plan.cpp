// SPDX-License-Identifier: GPL-2.0
// Planning tests: commands and restore blocks -> operations, checked by
// applying them to the in-memory kernel model.
#include "nfgate/diff.hpp"
#include "nfgate/error.hpp"
#include "nfgate/model.hpp"
#include "nfgate/plan.hpp"
#include "nfgate/restore.hpp"
#include "nfgate/save.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace nfgate {
namespace {

std::vector<std::string> words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> v;
    std::string w;
    while (in >> w) v.push_back(w);
    return v;
}

std::vector<Op> plan(const std::string& s) { return plan_command(parse_command(words(s))); }

void restore(RulesetModel& m, const std::string& text, bool noflush) {
    std::istringstream in(text);
    for (const auto& b : read_restore(in)) {
        std::set<std::string> existing;
        for (const auto& c : m.snapshot(b.table).chains)
            if (!c.builtin) existing.insert(c.name);
        m.apply_all(plan_restore_block(b, RestorePlanOptions{noflush}, existing));
    }
}

TEST(Plan, Commands) {
    auto ops = plan("-I INPUT 2 -s 192.0.2.1,192.0.2.2 -j DROP");
    ASSERT_EQ(ops.size(), 2U);
    EXPECT_EQ(ops[0].kind, OpKind::new_rule);
    EXPECT_EQ(ops[0].position, 2U);
    ops = plan("-D INPUT 3");
    ASSERT_EQ(ops.size(), 1U);
    EXPECT_EQ(ops[0].kind, OpKind::del_rule);
    EXPECT_EQ(ops[0].position, 3U);
    EXPECT_FALSE(ops[0].rule);
    ops = plan("-D INPUT -p tcp -j ACCEPT");
    EXPECT_TRUE(ops[0].rule);
    ops = plan("-R INPUT 1 -j ACCEPT");
    EXPECT_EQ(ops[0].kind, OpKind::replace_rule);
    EXPECT_THROW(plan("-R INPUT 1 -s 192.0.2.1,192.0.2.2 -j ACCEPT"), UsageError);
    ops = plan("-t mangle -F");
    EXPECT_EQ(ops[0].kind, OpKind::flush);
    EXPECT_EQ(ops[0].table, Table::mangle);
    EXPECT_TRUE(ops[0].chain.empty());
    ops = plan("-Z INPUT 4");
    EXPECT_EQ(ops[0].kind, OpKind::zero);
    EXPECT_EQ(ops[0].position, 4U);
    ops = plan("-P INPUT DROP -c 1 2");
    EXPECT_EQ(ops[0].policy, Verdict::drop);
    EXPECT_EQ(ops[0].counters->bytes, 2U);
    EXPECT_EQ(plan("-N X")[0].kind, OpKind::new_chain);
    EXPECT_EQ(plan("-X")[0].kind, OpKind::del_chain);
    EXPECT_THROW(plan("-L"), Error);
}

TEST(Plan, RestoreFlushesTheTableFirst) {
    RulesetModel m;
    restore(m, "*filter\n:A - [0:0]\n-A A -j ACCEPT\n-A INPUT -j A\nCOMMIT\n", false);
    restore(m, "*filter\n:INPUT DROP [0:0]\n:B - [0:0]\n-A B -j DROP\nCOMMIT\n", false);
    EXPECT_EQ(format_save_table(m.snapshot(Table::filter), false),
              "*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
              ":B - [0:0]\n-A B -j DROP\nCOMMIT\n");
    // The mangle table is not touched by a filter block.
    EXPECT_EQ(m.snapshot(Table::mangle).rules.size(), 0U);
}

TEST(Plan, NoflushFlushesOrCreatesChains) {
    RulesetModel m;
    restore(m, "*filter\n:A - [0:0]\n-A A -j ACCEPT\n-A INPUT -j A\n-A OUTPUT -j ACCEPT\nCOMMIT\n", false);
    restore(m, "*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\nCOMMIT\n", true);
    EXPECT_EQ(format_save_table(m.snapshot(Table::filter), false),
              "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
              ":A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A OUTPUT -j ACCEPT\n-A A -j B\nCOMMIT\n");
}

TEST(Plan, PolicyLineWithoutCountersZeroesThemForRestoreOnly) {
    std::istringstream in("*filter\n:INPUT DROP [5:600]\nCOMMIT\n");
    auto blocks = read_restore(in);  // without -c: the [5:600] is ignored
    ASSERT_EQ(blocks.size(), 1U);
    RestorePlanOptions restore_opts;
    restore_opts.zero_policy_counters = true;
    auto with_zero = plan_restore_block(blocks[0], restore_opts);
    auto without = plan_restore_block(blocks[0], RestorePlanOptions{});
    auto policy_op = [](const std::vector<Op>& ops) {
        for (const auto& op : ops)
            if (op.kind == OpKind::set_policy) return op;
        ADD_FAILURE() << "no set_policy op";
        return Op{};
    };
    ASSERT_TRUE(policy_op(with_zero).counters.has_value());
    EXPECT_EQ(*policy_op(with_zero).counters, Counters{});
    EXPECT_FALSE(policy_op(without).counters.has_value());
}

TEST(Plan, DashXInsideBlock) {
    RulesetModel m;
    restore(m, "*filter\n:SVC - [0:0]\n:SEP - [0:0]\n-A SVC -j SEP\nCOMMIT\n", false);
    // kube-proxy's partial sync: declare the stale chains (flushing them),
    // then delete them.
    restore(m,
            "*filter\n:KEEP - [0:0]\n:SVC - [0:0]\n:SEP - [0:0]\n-X SVC\n-X SEP\n"
            "-A KEEP -j RETURN\nCOMMIT\n",
            true);
    auto t = m.snapshot(Table::filter);
    ASSERT_EQ(t.chains.size(), 4U);
    EXPECT_EQ(t.chains[3].name, "KEEP");
}

TEST(Plan, RestoreErrorsCarryLines) {
    RulesetModel m;
    std::istringstream in("*filter\n:USER ACCEPT [0:0]\nCOMMIT\n");
    auto blocks = read_restore(in);
    try {
        plan_restore_block(blocks[0], {});
        FAIL();
    } catch (const RestoreError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "line 2: Can't set policy `ACCEPT' on `USER': Bad built-in chain name");
    }
    std::istringstream in2("*filter\n:INPUT REJECT [0:0]\nCOMMIT\n");
    blocks = read_restore(in2);
    EXPECT_THROW(plan_restore_block(blocks[0], {}), RestoreError);
    std::istringstream in3("*filter\n-L\nCOMMIT\n");
    blocks = read_restore(in3);
    EXPECT_THROW(plan_restore_block(blocks[0], {}), RestoreError);
}

TEST(Plan, OpLinesPointAtInput) {
    std::istringstream in("*filter\n:X - [0:0]\n\n-A X -j ACCEPT\nCOMMIT\n");
    auto blocks = read_restore(in);
    auto ops = plan_restore_block(blocks[0], {});
    ASSERT_EQ(ops.size(), 4U);
    EXPECT_EQ(ops[0].line, 1);
    EXPECT_EQ(ops[1].line, 1);
    EXPECT_EQ(ops[2].line, 2);
    EXPECT_EQ(ops[3].line, 4);
}

}  // namespace
}  // namespace nfgate

namespace nfgate {
namespace {

// A flushing block planned line by line as it is read (restore's streamed
// bulk load: RestoreReader, plan_restore_begin, plan_restore_line) gives
// the operations plan_restore_block() gives for the parsed block: for
// kube-proxy's shape, -T, counters and a rule with two sources.
TEST(PlanStreamed, SameOperationsAsTheParsedBlock) {
    const std::string text =
        "*filter\n:INPUT DROP [3:4]\n:X - [0:0]\n# comment\n-A INPUT -s 192.0.2.1,192.0.2.2 -j X\n"
        "[5:6] -A X -p tcp -m tcp --dport 22 -j ACCEPT\n-I X 1 -j RETURN\nCOMMIT\n"
        "*nat\n:KUBE-SVC-1 - [0:0]\n-A KUBE-SVC-1 -m statistic --mode random --probability 0.5 -j RETURN\n"
        "-A KUBE-SVC-1 -p tcp -j DNAT --to-destination 198.51.100.1:80\nCOMMIT\n";
    for (bool counters : {false, true}) {
        RestoreOptions ro;
        ro.counters = counters;
        std::istringstream in(text);
        std::vector<RestoreBlock> blocks = read_restore(in, ro);
        RestorePlanOptions po;
        po.zero_policy_counters = true;
        std::vector<std::string> want, got;
        for (const auto& b : blocks)
            for (const auto& op : plan_restore_block(b, po)) want.push_back(format_diff_op(DiffOp{op}));
        RestoreReader reader(text, ro);
        RestoreLine l;
        std::set<std::string> chains;
        for (auto ev = reader.next(l); ev != RestoreReader::Event::end; ev = reader.next(l)) {
            std::vector<Op> ops;
            if (ev == RestoreReader::Event::table) ops = plan_restore_begin(*reader.table(), l.line);
            if (ev == RestoreReader::Event::line) plan_restore_line(*reader.table(), std::move(l), po, chains, ops);
            for (const auto& op : ops) got.push_back(format_diff_op(DiffOp{op}));
        }
        EXPECT_EQ(got, want);
        EXPECT_EQ(want.size(), 13u);
    }
}

}  // namespace
}  // namespace nfgate
