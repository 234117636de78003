// SPDX-License-Identifier: GPL-2.0
// Netlink codec tests, in memory: operations and rules -> attributes (byte
// order, nesting, flags) and back; dump messages; NLMSG_ERROR with extack.
#include "nfgate/client.hpp"
#include "nfgate/codec.hpp"
#include "nfgate/error.hpp"
#include "nfgate/format.hpp"
#include "nfgate/parse.hpp"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <sstream>

namespace nfgate {
namespace {

constexpr int fake_family = 0x1234;

std::vector<std::string> words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> v;
    std::string w;
    while (in >> w) v.push_back(w);
    return v;
}

RuleSpec rule_of(const std::string& cmd) { return parse_command(words(cmd)).rules().at(0); }

struct Parsed {
    nlattr* tb[NFGATE_A_MAX + 1] = {};
};

void parse_top(nl_msg* msg, Parsed& p) {
    ASSERT_EQ(genlmsg_parse(nlmsg_hdr(msg), 0, p.tb, NFGATE_A_MAX, nullptr), 0);
}

TEST(Codec, NewRuleRoundTrip) {
    RuleSpec r = rule_of(
        "-A FORWARD -s 192.0.2.0/24 ! -d 198.51.100.7 -i eth+ ! -o lo -p tcp "
        "--sport 1000:2000 ! --dport 22 -j SSH -c 3 4");
    Op op;
    op.kind = OpKind::new_rule;
    op.table = Table::mangle;
    op.chain = "INPUT";
    op.rule = r;
    op.position = 2;
    MsgPtr msg = encode_op(fake_family, op);
    nlmsghdr* nlh = nlmsg_hdr(msg.get());
    EXPECT_EQ(nlh->nlmsg_type, fake_family);
    auto* gh = static_cast<genlmsghdr*>(nlmsg_data(nlh));
    EXPECT_EQ(gh->cmd, NFGATE_CMD_NEWRULE);
    EXPECT_EQ(gh->version, NFGATE_GENL_VERSION);
    Parsed p;
    parse_top(msg.get(), p);
    ASSERT_TRUE(p.tb[NFGATE_A_TABLE]);
    EXPECT_EQ(nla_get_u32(p.tb[NFGATE_A_TABLE]), static_cast<std::uint32_t>(NFGATE_TABLE_MANGLE));
    EXPECT_STREQ(nla_get_string(p.tb[NFGATE_A_CHAIN]), "INPUT");
    EXPECT_EQ(nla_get_u32(p.tb[NFGATE_A_POSITION]), 2U);
    EXPECT_FALSE(p.tb[NFGATE_A_POLICY]);

    // Addresses travel in network byte order.
    nlattr* rt[NFGATE_RULE_A_MAX + 1] = {};
    ASSERT_EQ(nla_parse_nested(rt, NFGATE_RULE_A_MAX, p.tb[NFGATE_A_RULE], nullptr), 0);
    nlattr* at[NFGATE_ADDR_A_MAX + 1] = {};
    ASSERT_EQ(nla_parse_nested(at, NFGATE_ADDR_A_MAX, rt[NFGATE_RULE_A_DST], nullptr), 0);
    EXPECT_EQ(nla_get_u32(at[NFGATE_ADDR_A_ADDR]), htonl(0xC6336407U));
    EXPECT_EQ(nla_get_u32(at[NFGATE_ADDR_A_MASK]), 0xFFFFFFFFU);
    EXPECT_TRUE(at[NFGATE_ADDR_A_INV]);
    EXPECT_EQ(nla_len(at[NFGATE_ADDR_A_INV]), 0);

    RuleSpec back = parse_rule_attr(p.tb[NFGATE_A_RULE]);
    EXPECT_TRUE(same_rule(back, r));
    ASSERT_TRUE(back.counters);
    EXPECT_EQ(back.counters->bytes, 4U);
    EXPECT_EQ(format_append("INPUT", back), format_append("INPUT", r));
}

TEST(Codec, BareTcpMatchSurvives) {
    RuleSpec r = rule_of("-A INPUT -p tcp -m tcp");
    Op op;
    op.kind = OpKind::new_rule;
    op.chain = "INPUT";
    op.rule = r;
    MsgPtr msg = encode_op(fake_family, op);
    Parsed p;
    parse_top(msg.get(), p);
    nlattr* rt[NFGATE_RULE_A_MAX + 1] = {};
    ASSERT_EQ(nla_parse_nested(rt, NFGATE_RULE_A_MAX, p.tb[NFGATE_A_RULE], nullptr), 0);
    EXPECT_TRUE(rt[NFGATE_RULE_A_SPORT]);
    EXPECT_FALSE(rt[NFGATE_RULE_A_DPORT]);
    EXPECT_FALSE(rt[NFGATE_RULE_A_SRC]);  // 0.0.0.0/0 is not sent
    EXPECT_FALSE(rt[NFGATE_RULE_A_TARGET]);
    EXPECT_EQ(format_append("INPUT", parse_rule_attr(p.tb[NFGATE_A_RULE])), "-A INPUT -p tcp -m tcp");
}

TEST(Codec, OpAttributes) {
    Op op;
    op.kind = OpKind::set_policy;
    op.chain = "FORWARD";
    op.policy = Verdict::drop;
    op.counters = Counters{7, 8};
    MsgPtr msg = encode_op(fake_family, op);
    Parsed p;
    parse_top(msg.get(), p);
    EXPECT_EQ(nla_get_u32(p.tb[NFGATE_A_POLICY]), static_cast<std::uint32_t>(NFGATE_VERDICT_DROP));
    ASSERT_TRUE(p.tb[NFGATE_A_COUNTERS]);
    nlattr* ct[NFGATE_COUNTERS_A_MAX + 1] = {};
    ASSERT_EQ(nla_parse_nested(ct, NFGATE_COUNTERS_A_MAX, p.tb[NFGATE_A_COUNTERS], nullptr), 0);
    EXPECT_EQ(nla_get_u64(ct[NFGATE_COUNTERS_A_BYTES]), 8U);

    Op del;
    del.kind = OpKind::del_chain;
    MsgPtr m2 = encode_op(fake_family, del);
    Parsed p2;
    parse_top(m2.get(), p2);
    EXPECT_FALSE(p2.tb[NFGATE_A_CHAIN]);
    EXPECT_EQ(static_cast<genlmsghdr*>(nlmsg_data(nlmsg_hdr(m2.get())))->cmd, NFGATE_CMD_DELCHAIN);

    Op del_h;
    del_h.kind = OpKind::del_rule;
    del_h.chain = "X";
    del_h.handle = 0x123456789ULL;
    MsgPtr m3 = encode_op(fake_family, del_h);
    Parsed p3;
    parse_top(m3.get(), p3);
    EXPECT_EQ(nla_get_u64(p3.tb[NFGATE_A_HANDLE]), 0x123456789ULL);
    EXPECT_FALSE(p3.tb[NFGATE_A_RULE]);
}

MsgPtr dump_msg(std::uint8_t cmd) { return new_request(fake_family, cmd, NLM_F_MULTI); }

TEST(Codec, ChainDumpMessage) {
    MsgPtr msg = dump_msg(NFGATE_CMD_GETCHAIN);
    nla_put_u32(msg.get(), NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
    nla_put_string(msg.get(), NFGATE_A_CHAIN, "INPUT");
    nla_put_u32(msg.get(), NFGATE_A_CHAIN_FLAGS, NFGATE_CHAIN_F_BUILTIN);
    nla_put_u32(msg.get(), NFGATE_A_CHAIN_REFS, 0);
    nla_put_u32(msg.get(), NFGATE_A_CHAIN_RULES, 3);
    nla_put_u32(msg.get(), NFGATE_A_POLICY, NFGATE_VERDICT_DROP);
    nlattr* n = nla_nest_start(msg.get(), NFGATE_A_COUNTERS);
    nla_put_u64(msg.get(), NFGATE_COUNTERS_A_PACKETS, 12);
    nla_put_u64(msg.get(), NFGATE_COUNTERS_A_BYTES, 840);
    nla_nest_end(msg.get(), n);
    ChainReply c = parse_chain_msg(nlmsg_hdr(msg.get()));
    EXPECT_EQ(c.table, Table::filter);
    EXPECT_EQ(c.info.name, "INPUT");
    EXPECT_TRUE(c.info.builtin);
    EXPECT_EQ(c.info.rules, 3U);
    EXPECT_EQ(c.info.policy, Verdict::drop);
    EXPECT_EQ(c.info.counters.bytes, 840U);
}

TEST(Codec, RuleDumpMessage) {
    MsgPtr msg = dump_msg(NFGATE_CMD_GETRULE);
    nla_put_u32(msg.get(), NFGATE_A_TABLE, NFGATE_TABLE_MANGLE);
    nla_put_string(msg.get(), NFGATE_A_CHAIN, "PREROUTING");
    nla_put_u32(msg.get(), NFGATE_A_POSITION, 4);
    RuleSpec r = rule_of("-A X -p udp --dport 53 -g DNS");
    r.counters = Counters{9, 900};
    put_rule(msg.get(), r);
    RuleReply rr = parse_rule_msg(nlmsg_hdr(msg.get()));
    EXPECT_EQ(rr.table, Table::mangle);
    EXPECT_EQ(rr.entry.chain, "PREROUTING");
    EXPECT_EQ(rr.entry.position, 4U);
    EXPECT_EQ(format_append("PREROUTING", rr.entry.rule, CounterStyle::prefix),
              "[9:900] -A PREROUTING -p udp -m udp --dport 53 -g DNS");
}

TEST(Codec, MalformedKernelMessagesAreErrors) {
    MsgPtr msg = dump_msg(NFGATE_CMD_GETCHAIN);
    nla_put_u8(msg.get(), NFGATE_A_TABLE, 0);  // wrong size for a u32
    nla_put_string(msg.get(), NFGATE_A_CHAIN, "INPUT");
    EXPECT_THROW(parse_chain_msg(nlmsg_hdr(msg.get())), Error);
    MsgPtr m2 = dump_msg(NFGATE_CMD_GETCHAIN);
    nla_put_u32(m2.get(), NFGATE_A_TABLE, 7);  // no such table
    nla_put_string(m2.get(), NFGATE_A_CHAIN, "INPUT");
    EXPECT_THROW(parse_chain_msg(nlmsg_hdr(m2.get())), Error);
    MsgPtr m3 = dump_msg(NFGATE_CMD_GETRULE);
    nla_put_u32(m3.get(), NFGATE_A_TABLE, 0);
    EXPECT_THROW(parse_rule_msg(nlmsg_hdr(m3.get())), Error);
}

MsgPtr error_msg(int err, bool capped, const std::string& text) {
    MsgPtr req = new_request(fake_family, NFGATE_CMD_NEWCHAIN);
    nla_put_string(req.get(), NFGATE_A_CHAIN, "SOMECHAIN");
    nlmsghdr* orig = nlmsg_hdr(req.get());
    orig->nlmsg_seq = 41;

    MsgPtr msg(nlmsg_alloc());
    int flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
    nlmsghdr* nlh = nlmsg_put(msg.get(), 0, 41, NLMSG_ERROR, 0, flags);
    std::size_t payload = capped ? 0 : orig->nlmsg_len - sizeof(nlmsghdr);
    nlmsgerr e{};
    e.error = -err;
    e.msg = *orig;
    nlmsg_append(msg.get(), &e, sizeof(e), 0);
    if (payload)
        nlmsg_append(msg.get(), reinterpret_cast<char*>(orig) + sizeof(nlmsghdr), payload, NLMSG_ALIGNTO);
    nla_put_string(msg.get(), NLMSGERR_ATTR_MSG, text.c_str());
    nla_put_u32(msg.get(), NLMSGERR_ATTR_OFFS, 24);
    (void)nlh;
    return msg;
}

TEST(Codec, AckWithExtack) {
    for (bool capped : {true, false}) {
        MsgPtr msg = error_msg(ENOENT, capped, "operation 3: chain does not exist");
        AckInfo a = parse_ack(nlmsg_hdr(msg.get()));
        EXPECT_EQ(a.seq, 41U);
        EXPECT_EQ(a.error, ENOENT);
        EXPECT_EQ(a.extack, "operation 3: chain does not exist");
        EXPECT_EQ(a.bad_attr_offset, 24U);
    }
    MsgPtr ack(nlmsg_alloc());
    nlmsg_put(ack.get(), 0, 5, NLMSG_ERROR, 0, 0);
    nlmsgerr e{};
    nlmsg_append(ack.get(), &e, sizeof(e), 0);
    AckInfo a = parse_ack(nlmsg_hdr(ack.get()));
    EXPECT_EQ(a.error, 0);
    EXPECT_TRUE(a.extack.empty());
}

TEST(Codec, ExtackOperationNumber) {
    EXPECT_EQ(extack_operation("operation 12: chain 'X' does not exist"), 12U);
    EXPECT_FALSE(extack_operation("chain exists"));
}

TEST(Codec, ScalarReply) {
    MsgPtr msg = new_request(fake_family, NFGATE_CMD_TXN_COMMIT);
    nla_put_u64(msg.get(), NFGATE_A_GENERATION, 99);
    nla_put_u32(msg.get(), NFGATE_A_TXN_OPS, 5);
    ScalarReply s = parse_scalar_reply(nlmsg_hdr(msg.get()));
    EXPECT_EQ(s.generation, 99U);
    EXPECT_EQ(s.txn_ops, 5U);
    EXPECT_FALSE(s.handle);
}

}  // namespace
}  // namespace nfgate
