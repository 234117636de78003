// SPDX-License-Identifier: GPL-2.0
// Error explanation tests: each errno of the protocol in each command's
// context names the object involved.
#include "nfgate/messages.hpp"

#include <gtest/gtest.h>

#include <cerrno>

namespace nfgate {
namespace {

Op op(OpKind k, const std::string& chain) {
    Op o;
    o.kind = k;
    o.chain = chain;
    return o;
}

TEST(Messages, Enoent) {
    Op a = op(OpKind::new_rule, "NOSUCH");
    a.rule = RuleSpec{};
    EXPECT_EQ(explain_error(a, ENOENT, "", {false, {}}), "chain 'NOSUCH' does not exist in table 'filter'");
    a.chain = "INPUT";
    a.rule->target = Target{Verdict::jump, "GONE", {}};
    EXPECT_EQ(explain_error(a, ENOENT, "", {true, false}),
              "target chain 'GONE' does not exist in table 'filter'");
    Op d = op(OpKind::del_rule, "INPUT");
    d.rule = RuleSpec{};
    EXPECT_EQ(explain_error(d, ENOENT, "", {true, {}}),
              "bad rule (does a matching rule exist in that chain?)");
    d.rule.reset();
    d.position = 9;
    EXPECT_EQ(explain_error(d, ENOENT, "", {true, {}}), "index of deletion too big");
    Op r = op(OpKind::replace_rule, "INPUT");
    r.position = 9;
    EXPECT_EQ(explain_error(r, ENOENT, "", {true, {}}), "index of replacement too big");
    Op m = op(OpKind::flush, "NOSUCH");
    m.table = Table::mangle;
    EXPECT_EQ(explain_error(m, ENOENT, ""), "chain 'NOSUCH' does not exist in table 'mangle'");
}

TEST(Messages, Others) {
    EXPECT_EQ(explain_error(op(OpKind::new_chain, "X"), EEXIST, ""), "chain 'X' already exists");
    Op i = op(OpKind::new_rule, "INPUT");
    i.position = 5;
    EXPECT_EQ(explain_error(i, ERANGE, ""), "index of insertion too big");
    EXPECT_EQ(explain_error(i, ERANGE, "position out of range"), "index of insertion too big");
    // a policy's range error is about a value, not the index
    EXPECT_EQ(explain_error(i, ERANGE, "integer out of range"), "invalid rule (integer out of range)");
    EXPECT_EQ(explain_error(op(OpKind::set_policy, "INPUT"), ERANGE, "integer out of range"),
              "invalid argument (integer out of range)");
    EXPECT_EQ(explain_error(op(OpKind::del_chain, "X"), ENOTEMPTY, ""),
              "chain 'X' is not empty (flush it first)");
    EXPECT_EQ(explain_error(op(OpKind::del_chain, "X"), EMLINK, ""),
              "chain 'X' is referenced by a rule (remove the jumps to it first)");
    EXPECT_EQ(explain_error(op(OpKind::del_chain, "INPUT"), EPERM, ""),
              "can't delete built-in chain 'INPUT'");
    EXPECT_EQ(explain_error(op(OpKind::set_policy, "USER"), EPERM, ""),
              "bad built-in chain name 'USER' (only built-in chains have a policy)");
    EXPECT_EQ(explain_error(op(OpKind::new_chain, "X"), EPERM, ""),
              "permission denied (you must be root, with CAP_NET_ADMIN)");
    Op l = op(OpKind::new_rule, "A");
    l.rule = RuleSpec{};
    l.rule->target = Target{Verdict::jump, "B", {}};
    EXPECT_EQ(explain_error(l, ELOOP, ""),
              "jump to chain 'B' would create a loop or nest too deep (max 16 chains)");
    EXPECT_EQ(explain_error(l, EINVAL, "port match needs -p tcp or udp"),
              "invalid rule (port match needs -p tcp or udp)");
    EXPECT_EQ(explain_error(op(OpKind::flush, ""), EBUSY, ""),
              "another nfgate transaction is in progress, try again");
    EXPECT_EQ(explain_error(op(OpKind::new_chain, "X"), ENOSPC, "too many chains"),
              "limit on rules, chains or interface names in this network namespace reached "
              "(too many chains)");
}

}  // namespace
}  // namespace nfgate

namespace nfgate {
namespace {

TEST(Messages, ExtackOnlyWhenItAddsInformation) {
    Op n;
    n.kind = OpKind::new_chain;
    n.chain = "X";
    EXPECT_EQ(explain_error(n, EEXIST, "chain exists"), "chain 'X' already exists");
    Op a;
    a.kind = OpKind::new_rule;
    a.chain = "NOSUCH";
    EXPECT_EQ(explain_error(a, ENOENT, "no such chain", {false, {}}),
              "chain 'NOSUCH' does not exist in table 'filter'");
    EXPECT_EQ(explain_error(a, EINVAL, "iif not allowed in OUTPUT"),
              "invalid rule (iif not allowed in OUTPUT)");
    EXPECT_EQ(explain_error(n, EPERM, "needs CAP_NET_ADMIN"),
              "permission denied (you must be root, with CAP_NET_ADMIN) (needs CAP_NET_ADMIN)");
}

}  // namespace
}  // namespace nfgate

namespace nfgate {
namespace {

TEST(Messages, DeleteAllNamesTheChainThroughExtack) {
    Op x;
    x.kind = OpKind::del_chain;
    EXPECT_EQ(explain_error(x, ENOTEMPTY, "chain 'UC' is not empty"),
              "a user chain is not empty (flush it first) (chain 'UC' is not empty)");
    x.chain = "UC";
    EXPECT_EQ(explain_error(x, ENOTEMPTY, "chain is not empty"), "chain 'UC' is not empty (flush it first)");
}

}  // namespace
}  // namespace nfgate
