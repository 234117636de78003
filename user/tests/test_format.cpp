// SPDX-License-Identifier: GPL-2.0
// Save-form formatter tests: part order, masks, protocol names, '!', ports,
// targets, counters styles, -P lines.
#include "nfgate/format.hpp"

#include <netdb.h>

#include <gtest/gtest.h>

namespace nfgate {
namespace {

TEST(Format, Masks) {
    EXPECT_EQ(format_mask_save(0xFFFFFFFFU), "32");
    EXPECT_EQ(format_mask_save(0xFFFFFF00U), "24");
    EXPECT_EQ(format_mask_save(0x80000000U), "1");
    EXPECT_EQ(format_mask_save(0), "0");
    EXPECT_EQ(format_mask_save(0xFF00FF00U), "255.0.255.0");
    EXPECT_EQ(format_ipv4(0xC6336407U), "198.51.100.7");
}

TEST(Format, FullRule) {
    RuleSpec r;
    r.src = AddrMatch{0xC0000200U, 0xFFFFFF00U, false};
    r.dst = AddrMatch{0xC6336407U, 0xFFFFFFFFU, true};
    r.in = IfaceMatch{"eth+", false};
    r.out = IfaceMatch{"veth0", true};
    r.proto = ProtoMatch{6, false};
    r.l4 = L4Match{PortRange{1000, 2000, false}, PortRange{22, 22, true}};
    r.target = Target{Verdict::jump, "SSH", {}};
    EXPECT_EQ(format_append("FORWARD", r),
              "-A FORWARD -s 192.0.2.0/24 ! -d 198.51.100.7/32 -i eth+ ! -o veth0 -p tcp -m tcp "
              "--sport 1000:2000 ! --dport 22 -j SSH");
    r.counters = Counters{5, 300};
    EXPECT_EQ(format_append("FORWARD", r, CounterStyle::prefix).substr(0, 19), "[5:300] -A FORWARD ");
    EXPECT_EQ(format_append("X", RuleSpec{}, CounterStyle::prefix), "[0:0] -A X");
    RuleSpec g;
    g.target = Target{Verdict::go_to, "OTHER", {}};
    g.counters = Counters{1, 2};
    EXPECT_EQ(format_append("X", g, CounterStyle::option), "-A X -c 1 2 -g OTHER");
}

TEST(Format, QuietParts) {
    RuleSpec r;
    r.src = AddrMatch{0, 0, false};
    r.in = IfaceMatch{"+", false};
    r.proto = ProtoMatch{0, false};
    EXPECT_EQ(format_append("INPUT", r), "-A INPUT");
    r.in->invert = true;
    r.src->invert = true;
    EXPECT_EQ(format_append("INPUT", r), "-A INPUT ! -s 0.0.0.0/0 ! -i +");
}

TEST(Format, ProtocolsAndUdp) {
    RuleSpec r;
    r.proto = ProtoMatch{17, true};
    EXPECT_EQ(format_append("INPUT", r), "-A INPUT ! -p udp");
    r.proto = ProtoMatch{47, false};
    const protoent* gre = getprotobynumber(47);
    EXPECT_EQ(format_append("INPUT", r), std::string("-A INPUT -p ") + (gre ? gre->p_name : "47"));
    r.proto = ProtoMatch{132, false};
    EXPECT_EQ(format_append("INPUT", r), "-A INPUT -p sctp");
    r.proto = ProtoMatch{17, false};
    r.l4 = L4Match{};
    r.l4->dport = PortRange{0, 65535, true};
    EXPECT_EQ(format_append("INPUT", r), "-A INPUT -p udp -m udp ! --dport 0:65535");
}

TEST(Format, Policy) {
    EXPECT_EQ(format_policy("INPUT", Verdict::drop), "-P INPUT DROP");
    EXPECT_EQ(format_policy("OUTPUT", Verdict::accept, Counters{3, 4}), "-P OUTPUT ACCEPT -c 3 4");
}

}  // namespace
}  // namespace nfgate
