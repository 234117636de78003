// SPDX-License-Identifier: GPL-2.0
// In-memory kernel model tests: the protocol's documented errno values and
// all-or-nothing transactions.
#include "nfgate/error.hpp"
#include "nfgate/model.hpp"
#include "nfgate/plan.hpp"

#include <gtest/gtest.h>

#include <cerrno>
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

int run(RulesetModel& m, const std::string& cmd) {
    try {
        for (auto& op : plan_command(parse_command(words(cmd)))) m.apply(op);
    } catch (const KernelError& e) {
        return e.error_number();
    }
    return 0;
}

TEST(Model, Errnos) {
    RulesetModel m;
    EXPECT_EQ(run(m, "-N A"), 0);
    EXPECT_EQ(run(m, "-N A"), EEXIST);
    EXPECT_EQ(run(m, "-N INPUT"), EEXIST);
    EXPECT_EQ(run(m, "-A NOSUCH -j ACCEPT"), ENOENT);
    EXPECT_EQ(run(m, "-A INPUT -j NOSUCH"), ENOENT);
    EXPECT_EQ(run(m, "-I INPUT 2 -j ACCEPT"), ERANGE);
    EXPECT_EQ(run(m, "-I INPUT 1 -j A"), 0);
    EXPECT_EQ(run(m, "-X A"), EMLINK);
    EXPECT_EQ(run(m, "-X INPUT"), EPERM);
    EXPECT_EQ(run(m, "-A A -j ACCEPT"), 0);
    EXPECT_EQ(run(m, "-D INPUT 1"), 0);
    EXPECT_EQ(run(m, "-X A"), ENOTEMPTY);
    EXPECT_EQ(run(m, "-N B"), 0);
    EXPECT_EQ(run(m, "-A A -j B"), 0);
    EXPECT_EQ(run(m, "-A B -j A"), ELOOP);
    EXPECT_EQ(run(m, "-D A -j DROP"), ENOENT);
    EXPECT_EQ(run(m, "-D A 5"), ENOENT);
    EXPECT_EQ(run(m, "-D A -j B"), 0);
    EXPECT_EQ(run(m, "-F A"), 0);
    EXPECT_EQ(run(m, "-X"), 0);
    EXPECT_EQ(m.snapshot(Table::filter).chains.size(), 3U);
}

TEST(Model, RawTable) {
    RulesetModel m;
    auto t = m.snapshot(Table::raw);
    ASSERT_EQ(t.chains.size(), 2U);
    EXPECT_EQ(t.chains[0].name, "PREROUTING");
    EXPECT_EQ(t.chains[1].name, "OUTPUT");
    EXPECT_EQ(t.chains[0].policy, Verdict::accept);
    EXPECT_EQ(run(m, "-t raw -A INPUT -j ACCEPT"), ENOENT);
    EXPECT_EQ(run(m, "-t raw -A POSTROUTING"), ENOENT);
    EXPECT_EQ(run(m, "-t raw -P OUTPUT DROP"), 0);
    EXPECT_EQ(run(m, "-t raw -N R"), 0);
    EXPECT_EQ(run(m, "-t raw -A PREROUTING -i eth0 -g R"), 0);
    EXPECT_EQ(run(m, "-t raw -A R -o eth0 -j DROP"), 0);
    EXPECT_EQ(m.snapshot(Table::raw).chains.size(), 3U);
    EXPECT_EQ(m.snapshot(Table::raw).rules_of("R").size(), 1U);
    // Other tables are untouched.
    EXPECT_EQ(m.snapshot(Table::mangle).rules.size(), 0U);
    EXPECT_EQ(m.snapshot(Table::filter).chains.size(), 3U);
}

TEST(Model, NatTable) {
    RulesetModel m;
    auto t = m.snapshot(Table::nat);
    ASSERT_EQ(t.chains.size(), 4U);
    EXPECT_EQ(t.chains[0].name, "PREROUTING");
    EXPECT_EQ(t.chains[1].name, "INPUT");
    EXPECT_EQ(t.chains[2].name, "OUTPUT");
    EXPECT_EQ(t.chains[3].name, "POSTROUTING");
    for (const auto& c : t.chains) EXPECT_EQ(c.policy, Verdict::accept) << c.name;
    EXPECT_EQ(run(m, "-t nat -A FORWARD -j ACCEPT"), ENOENT);
    EXPECT_EQ(run(m, "-t nat -P POSTROUTING ACCEPT"), 0);
    EXPECT_EQ(run(m, "-t nat -N SVC"), 0);
    EXPECT_EQ(run(m, "-t nat -A PREROUTING -d 198.51.100.7 -p tcp --dport 80 -j SVC"), 0);
    EXPECT_EQ(run(m, "-t nat -A OUTPUT -d 198.51.100.7 -p tcp --dport 80 -j SVC"), 0);
    EXPECT_EQ(run(m, "-t nat -A SVC -j RETURN"), 0);
    EXPECT_EQ(run(m, "-t nat -X SVC"), ENOTEMPTY);
    t = m.snapshot(Table::nat);
    EXPECT_EQ(t.chains.size(), 5U);
    EXPECT_EQ(t.chains[3].policy, Verdict::accept);
    EXPECT_EQ(t.rules_of("SVC").size(), 1U);
    // The chains of the same names in other tables are untouched.
    EXPECT_EQ(m.snapshot(Table::mangle).rules.size(), 0U);
    EXPECT_EQ(m.snapshot(Table::raw).rules.size(), 0U);
    EXPECT_EQ(m.snapshot(Table::raw).chains.size(), 2U);
}

TEST(Model, TransactionIsAllOrNothing) {
    RulesetModel m;
    std::vector<Op> ops = plan_command(parse_command(words("-N A")));
    auto more = plan_command(parse_command(words("-A A -j NOSUCH")));
    ops.insert(ops.end(), more.begin(), more.end());
    EXPECT_THROW(m.apply_all(ops), KernelError);
    EXPECT_EQ(m.snapshot(Table::filter).chains.size(), 3U);
}

TEST(Model, ReplaceAndZero) {
    RulesetModel m;
    EXPECT_EQ(run(m, "-A INPUT -j ACCEPT -c 5 50"), 0);
    auto t = m.snapshot(Table::filter);
    EXPECT_EQ(t.rules.at(0).rule.counters->packets, 5U);
    EXPECT_EQ(run(m, "-Z INPUT 1"), 0);
    EXPECT_EQ(m.snapshot(Table::filter).rules.at(0).rule.counters->packets, 0U);
    EXPECT_EQ(run(m, "-R INPUT 1 -j DROP"), 0);
    EXPECT_EQ(m.snapshot(Table::filter).rules.at(0).rule.target.verdict, Verdict::drop);
    EXPECT_EQ(run(m, "-R INPUT 2 -j DROP"), ENOENT);
}

}  // namespace
}  // namespace nfgate
