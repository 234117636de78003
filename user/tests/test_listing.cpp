// SPDX-License-Identifier: GPL-2.0
// -L / -S / -v output tests against iptables' own expected outputs
// (iptables/tests/shell: 0002-verbose-output, 0011-noflush-empty-line).
#include "nfgate/listing.hpp"
#include "nfgate/model.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/plan.hpp"

#include <gtest/gtest.h>

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

void run(RulesetModel& m, const std::string& cmd) {
    for (auto& op : plan_command(parse_command(words(cmd)))) m.apply(op);
}

RuleSpec rule_of(const std::string& cmd) { return parse_command(words(cmd)).rules().at(0); }

// diff -Z: ignore trailing blanks of each line.
std::string strip_trailing(const std::string& s) {
    std::istringstream in(s);
    std::string line, out;
    while (std::getline(in, line)) {
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

TEST(Listing, NumericExactLayout) {
    RulesetModel m;
    run(m, "-A FORWARD -j ACCEPT");
    ListOptions o;
    o.numeric = true;
    EXPECT_EQ(list_table(m.snapshot(Table::filter), "FORWARD", 0, o),
              "Chain FORWARD (policy ACCEPT)\n"
              "target     prot opt source               destination         \n"
              "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           \n");
}

TEST(Listing, VerboseNumeric) {
    RulesetModel m;
    run(m, "-A FORWARD -i eth2 -o eth3 -s 10.0.0.1 -d 10.0.0.2 -j ACCEPT");
    run(m, "-I FORWARD 2 -i eth2 -o eth3 -s 10.0.0.4 -d 10.0.0.5 -j ACCEPT");
    ListOptions o;
    o.verbose = o.numeric = true;
    EXPECT_EQ(strip_trailing(list_table(m.snapshot(Table::filter), "", 0, o)),
              "Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
              " pkts bytes target     prot opt in     out     source               destination\n"
              "\n"
              "Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)\n"
              " pkts bytes target     prot opt in     out     source               destination\n"
              "    0     0 ACCEPT     0    --  eth2   eth3    10.0.0.1             10.0.0.2\n"
              "    0     0 ACCEPT     0    --  eth2   eth3    10.0.0.4             10.0.0.5\n"
              "\n"
              "Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
              " pkts bytes target     prot opt in     out     source               destination\n");
}

TEST(Listing, VerboseRuleEcho) {
    EXPECT_EQ(strip_trailing(print_rule_verbose(
                  rule_of("-A FORWARD -i eth2 -o eth3 -s 10.0.0.1 -d 10.0.0.2 -j ACCEPT"))),
              "ACCEPT  all opt -- in eth2 out eth3  10.0.0.1  -> 10.0.0.2\n");
}

TEST(Listing, NamesPortsUserChainsLineNumbers) {
    RulesetModel m;
    run(m, "-N SSH");
    run(m, "-A INPUT -p tcp --dport 22 -j SSH");
    run(m, "-A INPUT ! -s 192.0.2.0/24 -p udp ! --sport 1000:2000 -g SSH");
    run(m, "-A SSH ! -p icmp -d 198.51.100.0/255.255.0.255");
    run(m, "-P INPUT DROP");
    ListOptions o;
    o.line_numbers = true;
    EXPECT_EQ(strip_trailing(list_table(m.snapshot(Table::filter), "INPUT", 0, o)),
              "Chain INPUT (policy DROP)\n"
              "num  target     prot opt source               destination\n"
              "1    SSH        tcp  --  anywhere             anywhere             tcp dpt:ssh\n"
              "2    SSH        udp  -- !192.0.2.0/24         anywhere            [goto]  udp "
              "spts:!1000:2000\n");
    o = ListOptions{};
    o.numeric = true;
    EXPECT_EQ(strip_trailing(list_table(m.snapshot(Table::filter), "SSH", 0, o)),
              "Chain SSH (2 references)\n"
              "target     prot opt source               destination\n"
              "          !1    --  0.0.0.0/0            198.51.0.0/255.255.0.255\n");
    EXPECT_EQ(strip_trailing(list_table(m.snapshot(Table::filter), "INPUT", 1, o)),
              "SSH        6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:22\n");
}

TEST(Listing, Counts) {
    EXPECT_EQ(format_count(0, false, false), "    0 ");
    EXPECT_EQ(format_count(99999, false, false), "99999 ");
    EXPECT_EQ(format_count(100000, false, false), " 100K ");
    EXPECT_EQ(format_count(123456789, false, false), " 123M ");
    EXPECT_EQ(format_count(9999499, false, false), "9999K ");
    EXPECT_EQ(format_count(5000000000ULL, false, false), "5000M ");
    EXPECT_EQ(format_count(50000000000ULL, false, false), "  50G ");
    EXPECT_EQ(format_count(123456, true, false), "  123456 ");
    EXPECT_EQ(format_count(123456, false, true), "123K ");
    RulesetModel m;
    Op p;
    p.kind = OpKind::set_policy;
    p.chain = "INPUT";
    p.policy = Verdict::accept;
    p.counters = Counters{12, 840};
    m.apply(p);
    ListOptions o;
    o.verbose = true;
    std::string out = list_table(m.snapshot(Table::filter), "INPUT", 0, o);
    EXPECT_EQ(out.substr(0, out.find('\n')), "Chain INPUT (policy ACCEPT 12 packets, 840 bytes)");
    p.counters = Counters{1234567, 987654321};
    m.apply(p);
    out = list_table(m.snapshot(Table::filter), "INPUT", 0, o);
    EXPECT_EQ(out.substr(0, out.find('\n')), "Chain INPUT (policy ACCEPT 1235K packets, 988M bytes)");
    o.exact = true;
    out = list_table(m.snapshot(Table::filter), "INPUT", 0, o);
    EXPECT_EQ(strip_trailing(out),
              "Chain INPUT (policy ACCEPT 1234567 packets, 987654321 bytes)\n"
              "    pkts      bytes target     prot opt in     out     source               "
              "destination\n");
}

TEST(Listing, ListRules) {
    RulesetModel m;
    run(m, "-N USER");
    run(m, "-A USER -s 192.0.2.1 -j RETURN");
    run(m, "-A INPUT -j USER -c 3 4");
    auto t = m.snapshot(Table::filter);
    EXPECT_EQ(list_rules(t, "", 0, false),
              "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-N USER\n"
              "-A INPUT -j USER\n-A USER -s 192.0.2.1/32 -j RETURN\n");
    EXPECT_EQ(list_rules(t, "INPUT", 0, true), "-P INPUT ACCEPT -c 0 0\n-A INPUT -c 3 4 -j USER\n");
    EXPECT_EQ(list_rules(t, "USER", 1, false), "-A USER -s 192.0.2.1/32 -j RETURN\n");
}

}  // namespace
}  // namespace nfgate
