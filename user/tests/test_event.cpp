// SPDX-License-Identifier: GPL-2.0
// Event decoding and the `nfgate monitor` line of each event, on messages
// built in memory the way the kernel builds them (kmod/events.c).
#include "nfgate/codec.hpp"
#include "nfgate/error.hpp"
#include "nfgate/event.hpp"
#include "nfgate/parse.hpp"

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <gtest/gtest.h>

#include <sstream>

namespace nfgate {
namespace {

constexpr int fake_family = 0x1234;

RuleSpec rule_of(const std::string& cmd) {
    std::istringstream in(cmd);
    std::vector<std::string> v;
    for (std::string w; in >> w;) v.push_back(w);
    return parse_command(v).rules().at(0);
}

MsgPtr event_msg(std::uint8_t cmd, Table t, const std::string& chain, std::uint64_t gen) {
    MsgPtr msg = new_request(fake_family, cmd);
    if (!chain.empty()) {
        nla_put_u32(msg.get(), NFGATE_A_TABLE, static_cast<std::uint32_t>(t));
        nla_put_string(msg.get(), NFGATE_A_CHAIN, chain.c_str());
    }
    nla_put_u64(msg.get(), NFGATE_A_GENERATION, gen);
    return msg;
}

Event decode(MsgPtr& msg) {
    auto e = parse_event(nlmsg_hdr(msg.get()));
    EXPECT_TRUE(e.has_value());
    return e.value_or(Event{});
}

TEST(Event, NewRuleIsAnInsertAtItsPosition) {
    MsgPtr msg = event_msg(NFGATE_CMD_NEWRULE, Table::filter, "FORWARD", 17);
    nla_put_u32(msg.get(), NFGATE_A_POSITION, 3);
    RuleSpec r = rule_of("-A FORWARD -d 198.18.0.1 -p tcp --dport 80 -j ACCEPT");
    r.counters = Counters{5, 500};
    put_rule(msg.get(), r);
    Event e = decode(msg);
    EXPECT_EQ(e.kind, EventKind::new_rule);
    EXPECT_EQ(e.generation, 17U);
    EXPECT_EQ(e.position, 3U);
    EXPECT_EQ(format_event(e), "-I FORWARD 3 -d 198.18.0.1/32 -p tcp -m tcp --dport 80 -j ACCEPT");
}

TEST(Event, DeletedRuleCarriesHandleAndSpec) {
    MsgPtr msg = event_msg(NFGATE_CMD_DELRULE, Table::mangle, "PREROUTING", 9);
    nla_put_u64(msg.get(), NFGATE_A_HANDLE, 42);
    put_rule(msg.get(), rule_of("-A X ! -s 192.0.2.0/24 -i eth+ -j RETURN"));
    Event e = decode(msg);
    EXPECT_EQ(e.kind, EventKind::del_rule);
    EXPECT_EQ(e.table, Table::mangle);
    EXPECT_EQ(e.rule.handle, 42U);
    EXPECT_EQ(format_event(e), "-t mangle -D PREROUTING ! -s 192.0.2.0/24 -i eth+ -j RETURN");
}

TEST(Event, ChainsPoliciesAndCommitMarker) {
    MsgPtr n = event_msg(NFGATE_CMD_NEWCHAIN, Table::filter, "SSH", 4);
    EXPECT_EQ(format_event(decode(n)), "-N SSH");
    MsgPtr x = event_msg(NFGATE_CMD_DELCHAIN, Table::mangle, "SSH", 4);
    EXPECT_EQ(format_event(decode(x)), "-t mangle -X SSH");
    MsgPtr rp = event_msg(NFGATE_CMD_SETPOLICY, Table::raw, "PREROUTING", 4);
    nla_put_u32(rp.get(), NFGATE_A_POLICY, NFGATE_VERDICT_DROP);
    EXPECT_EQ(format_event(decode(rp)), "-t raw -P PREROUTING DROP");
    MsgPtr np = event_msg(NFGATE_CMD_SETPOLICY, Table::nat, "POSTROUTING", 4);
    nla_put_u32(np.get(), NFGATE_A_POLICY, NFGATE_VERDICT_DROP);
    Event ne = decode(np);
    EXPECT_EQ(ne.table, Table::nat);
    EXPECT_EQ(format_event(ne), "-t nat -P POSTROUTING DROP");
    MsgPtr nx = event_msg(NFGATE_CMD_NEWCHAIN, Table::nat, "SVC", 4);
    EXPECT_EQ(format_event(decode(nx)), "-t nat -N SVC");
    MsgPtr p = event_msg(NFGATE_CMD_SETPOLICY, Table::filter, "INPUT", 4);
    nla_put_u32(p.get(), NFGATE_A_POLICY, NFGATE_VERDICT_DROP);
    Event pe = decode(p);
    EXPECT_EQ(pe.policy, Verdict::drop);
    EXPECT_EQ(format_event(pe), "-P INPUT DROP");
    MsgPtr c = event_msg(NFGATE_CMD_TXN_COMMIT, Table::filter, "", 4);
    nla_put_u32(c.get(), NFGATE_A_TXN_OPS, 3);
    Event ce = decode(c);
    EXPECT_EQ(ce.kind, EventKind::commit);
    EXPECT_EQ(ce.changes, 3U);
    EXPECT_EQ(format_event(ce), "# generation 4 (3 changes)");
    ce.changes = 1;
    EXPECT_EQ(format_event(ce), "# generation 4 (1 change)");
}

TEST(Event, LostEventsLine) {
    Event e;
    e.kind = EventKind::lost;
    EXPECT_EQ(format_event(e).rfind("# events lost", 0), 0U);
}

TEST(Event, UnknownCommandIsSkippedMalformedIsAnError) {
    MsgPtr u = event_msg(NFGATE_CMD_ZERO, Table::filter, "INPUT", 2);
    EXPECT_FALSE(parse_event(nlmsg_hdr(u.get())).has_value());
    MsgPtr nogen = new_request(fake_family, NFGATE_CMD_TXN_COMMIT);
    EXPECT_THROW(parse_event(nlmsg_hdr(nogen.get())), Error);
    MsgPtr nopos = event_msg(NFGATE_CMD_NEWRULE, Table::filter, "INPUT", 2);
    put_rule(nopos.get(), rule_of("-A INPUT -j DROP"));
    EXPECT_THROW(parse_event(nlmsg_hdr(nopos.get())), Error);
    MsgPtr nopol = event_msg(NFGATE_CMD_SETPOLICY, Table::filter, "INPUT", 2);
    EXPECT_THROW(parse_event(nlmsg_hdr(nopol.get())), Error);
}

}  // namespace
}  // namespace nfgate
