// SPDX-License-Identifier: GPL-2.0
// The example service agent's planning (user/examples/service_plan.hpp):
// each change's transaction, played on the in-memory model, leaves the
// nat table in the documented shape; no-op changes plan nothing; requests
// are parsed strictly.
#include "service_plan.hpp"

#include "nfgate/error.hpp"
#include "nfgate/model.hpp"
#include "nfgate/save.hpp"

#include <gtest/gtest.h>

namespace nfgate::example {
namespace {

Request req(const std::string& line) { return parse_request(line).value(); }

// Plans, applies all-or-nothing, commits: what the agent does per line.
std::size_t change(RulesetModel& m, Planner& p, const std::string& line) {
    Request r = req(line);
    auto ops = p.plan(r);
    m.apply_all(ops);
    p.commit(r);
    return ops.size();
}

const char* const setup_text =
    "*nat\n"
    ":PREROUTING ACCEPT [0:0]\n"
    ":INPUT ACCEPT [0:0]\n"
    ":OUTPUT ACCEPT [0:0]\n"
    ":POSTROUTING ACCEPT [0:0]\n"
    ":NFGATE-SERVICES - [0:0]\n"
    "-A PREROUTING -j NFGATE-SERVICES\n"
    "-A OUTPUT -j NFGATE-SERVICES\n"
    "COMMIT\n";

TEST(ExampleAgent, ServiceLifecycle) {
    RulesetModel m;
    Planner p;
    m.apply_all(p.plan_setup(m.snapshot(Table::nat)));
    EXPECT_EQ(format_save_table(m.snapshot(Table::nat), false), setup_text);

    EXPECT_EQ(change(m, p, "add web 198.18.0.10 80 198.51.100.2:8080 198.51.100.3:8080 198.51.100.4:8080"),
              5U);
    EXPECT_EQ(
        format_save_table(m.snapshot(Table::nat), false),
        "*nat\n"
        ":PREROUTING ACCEPT [0:0]\n"
        ":INPUT ACCEPT [0:0]\n"
        ":OUTPUT ACCEPT [0:0]\n"
        ":POSTROUTING ACCEPT [0:0]\n"
        ":NFGATE-SERVICES - [0:0]\n"
        ":NFGSVC-web - [0:0]\n"
        "-A PREROUTING -j NFGATE-SERVICES\n"
        "-A OUTPUT -j NFGATE-SERVICES\n"
        "-A NFGATE-SERVICES -d 198.18.0.10/32 -p tcp -m tcp --dport 80 -m comment --comment \"service web\" "
        "-j NFGSVC-web\n"
        "-A NFGSVC-web -p tcp -m statistic --mode random --probability 0.33333333349 -j DNAT "
        "--to-destination "
        "198.51.100.2:8080\n"
        "-A NFGSVC-web -p tcp -m statistic --mode random --probability 0.50000000000 -j DNAT "
        "--to-destination "
        "198.51.100.3:8080\n"
        "-A NFGSVC-web -p tcp -j DNAT --to-destination 198.51.100.4:8080\n"
        "COMMIT\n");

    // The same request again: nothing to do.
    EXPECT_EQ(change(m, p, "add web 198.18.0.10 80 198.51.100.2:8080 198.51.100.3:8080 198.51.100.4:8080"),
              0U);

    // New backends only: the chain is refilled, the dispatch rule stays.
    EXPECT_EQ(change(m, p, "add web 198.18.0.10 80 198.51.100.9:80"), 2U);
    auto nat = m.snapshot(Table::nat);
    ASSERT_EQ(nat.rules_of("NFGSVC-web").size(), 1U);
    EXPECT_EQ(nat.rules_of("NFGSVC-web")[0]->rule.target.ext.kind->name(), "DNAT");
    ASSERT_EQ(nat.rules_of("NFGATE-SERVICES").size(), 1U);

    // A second service, then the first one moves to another port.
    change(m, p, "add dns 198.18.0.53 53 198.51.100.2:5353");
    EXPECT_EQ(change(m, p, "add web 198.18.0.10 443 198.51.100.9:80"), 2U);
    nat = m.snapshot(Table::nat);
    ASSERT_EQ(nat.rules_of("NFGATE-SERVICES").size(), 2U);
    EXPECT_EQ(nat.rules_of("NFGATE-SERVICES")[1]->rule.l4->dport.min, 443);

    // Deleting both brings back the empty set-up.
    EXPECT_EQ(change(m, p, "del web"), 3U);
    change(m, p, "del dns");
    EXPECT_EQ(format_save_table(m.snapshot(Table::nat), false), setup_text);
    EXPECT_TRUE(p.services().empty());
    EXPECT_THROW(p.plan(req("del web")), std::invalid_argument);
}

TEST(ExampleAgent, SetupRemovesAnEarlierRun) {
    RulesetModel m;
    Planner first;
    m.apply_all(first.plan_setup(m.snapshot(Table::nat)));
    change(m, first, "add a 198.18.0.1 80 198.51.100.2:80 198.51.100.3:80");
    change(m, first, "add b 198.18.0.2 80 198.51.100.2:80");
    // A restarted agent knows nothing; its set-up leaves only its frame.
    Planner second;
    m.apply_all(second.plan_setup(m.snapshot(Table::nat)));
    EXPECT_EQ(format_save_table(m.snapshot(Table::nat), false), setup_text);
}

TEST(ExampleAgent, ParseRequest) {
    EXPECT_FALSE(parse_request("").has_value());
    EXPECT_FALSE(parse_request("   # comment").has_value());
    Request r = req("add web 198.18.0.10 80 198.51.100.2:8080");
    EXPECT_EQ(r.kind, Request::add);
    EXPECT_EQ(r.service.name, "web");
    EXPECT_EQ(r.service.vip, "198.18.0.10");
    EXPECT_EQ(r.service.port, 80);
    EXPECT_EQ(r.service.backends, std::vector<std::string>{"198.51.100.2:8080"});
    EXPECT_EQ(req("del web").kind, Request::del);
    for (const char* bad : {"add web 198.18.0.10 80", "add web 198.18.0.10 0 198.51.100.2:80",
                            "add web 198.18.0.300 80 198.51.100.2:80", "add web 10 80 198.51.100.2:80",
                            "add web 198.18.0.10 80 198.51.100.2", "add w/b 198.18.0.10 80 198.51.100.2:80",
                            "add web 198.18.0.10 80 198.51.100.2:99999", "del", "del a b", "frob web",
                            "add abcdefghijklmnopqrstu 198.18.0.10 80 198.51.100.2:80"})
        EXPECT_THROW(parse_request(bad), std::invalid_argument) << bad;
}

}  // namespace
}  // namespace nfgate::example
