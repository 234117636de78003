// SPDX-License-Identifier: GPL-2.0
// The drop-in's words for kernel refusals: each as iptables-legacy v1.8.9
// prints it for the same command (libiptc's table, iptables' own
// 0004-return-codes test), and its exit status.
#include "nfgate/iptables_text.hpp"

#include <gtest/gtest.h>

#include <cerrno>

namespace nfgate {
namespace {

Op op_of(OpKind k, const std::string& chain) {
    Op op;
    op.kind = k;
    op.chain = chain;
    return op;
}

Op rule_op(OpKind k, const std::string& chain, const std::string& jump = {}) {
    Op op = op_of(k, chain);
    op.rule = RuleSpec{};
    if (!jump.empty()) {
        op.rule->target.verdict = Verdict::jump;
        op.rule->target.chain = jump;
    }
    return op;
}

std::string text(const Op& op, int err, ErrorContext ctx = {}) {
    IptablesText t = iptables_kernel_text(op, err, ctx);
    EXPECT_EQ(t.style, IptablesText::libiptc);
    return t.text;
}

TEST(IptablesText, LibiptcMessagesByOperation) {
    EXPECT_EQ(text(op_of(OpKind::new_chain, "foo"), EEXIST), "Chain already exists");
    EXPECT_EQ(text(op_of(OpKind::flush, "bar"), ENOENT), "No chain/target/match by that name");
    EXPECT_EQ(text(op_of(OpKind::zero, "bar"), ENOENT), "No chain/target/match by that name");
    EXPECT_EQ(text(rule_op(OpKind::new_rule, "noexist"), ENOENT), "No chain/target/match by that name");
    EXPECT_EQ(text(rule_op(OpKind::del_rule, "INPUT"), ENOENT),
              "Bad rule (does a matching rule exist in that chain?)");
    Op del_num = op_of(OpKind::del_rule, "nonexist");
    del_num.position = 23;
    EXPECT_EQ(text(del_num, ENOENT), "No chain/target/match by that name");
    EXPECT_EQ(text(del_num, ERANGE), "Index of deletion too big");
    EXPECT_EQ(text(rule_op(OpKind::new_rule, "INPUT"), ERANGE), "Index of insertion too big");
    EXPECT_EQ(text(rule_op(OpKind::replace_rule, "INPUT"), ERANGE), "Index of replacement too big");
    EXPECT_EQ(text(op_of(OpKind::zero, "INPUT"), ERANGE), "Index of counter too big");
    EXPECT_EQ(text(op_of(OpKind::set_policy, "foo"), ENOENT), "Bad built-in chain name");
    EXPECT_EQ(text(op_of(OpKind::del_chain, "foo"), ENOTEMPTY), "Directory not empty");
    EXPECT_EQ(text(op_of(OpKind::del_chain, "foo"), EMLINK), "Too many links");
    EXPECT_EQ(text(op_of(OpKind::del_chain, "INPUT"), EPERM),
              "Invalid argument. Run `dmesg' for more information");
}

TEST(IptablesText, MissingJumpTargetIsAParameterProblem) {
    ErrorContext ctx;
    ctx.chain_exists = true;
    ctx.target_exists = false;
    IptablesText t = iptables_kernel_text(rule_op(OpKind::new_rule, "INPUT", "foobar"), ENOENT, ctx);
    EXPECT_EQ(t.style, IptablesText::xtables);
    EXPECT_EQ(t.text, "Couldn't load target `foobar':No such file or directory\n");
    EXPECT_EQ(t.exit_status, 2);
    // The chain missing, the target there: libiptc's generic message.
    ctx.chain_exists = false;
    ctx.target_exists = true;
    EXPECT_EQ(text(rule_op(OpKind::new_rule, "nochain", "foobar"), ENOENT, ctx),
              "No chain/target/match by that name");
}

TEST(IptablesText, BusyIsTheXtablesLock) {
    IptablesText t = iptables_kernel_text(op_of(OpKind::new_chain, "foo"), EBUSY, {});
    EXPECT_EQ(t.style, IptablesText::xtables);
    EXPECT_EQ(t.exit_status, 4);
}

}  // namespace
}  // namespace nfgate
