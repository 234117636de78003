// SPDX-License-Identifier: GPL-2.0
// nfgate attribute encoding/decoding with libnl (nla_put_*, nla_parse with
// policies) and NLMSG_ERROR/extack parsing.
#include "nfgate/codec.hpp"

#include "nfgate/error.hpp"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <cstring>

namespace nfgate {

// The upper-bound port attribute doubles as the nest's max type; the uapi
// header keeps it last so that both meanings agree.
static_assert(NFGATE_PORT_A_MAX > NFGATE_PORT_A_MIN && NFGATE_PORT_A_MAX > NFGATE_PORT_A_INV,
              "NFGATE_PORT_A_MAX must be the last port attribute");

namespace {

// A request outgrew its buffer; encode_op retries with a larger one.
struct MessageTooLarge : Error {
    MessageTooLarge() : Error("netlink message too large") {}
};

void check(int rc) {
    if (rc < 0) throw MessageTooLarge();
}

nla_policy top_policy[NFGATE_A_MAX + 1];
nla_policy rule_policy[NFGATE_RULE_A_MAX + 1];
nla_policy addr_policy[NFGATE_ADDR_A_MAX + 1];
nla_policy proto_policy[NFGATE_PROTO_A_MAX + 1];
nla_policy iface_policy[NFGATE_IFACE_A_MAX + 1];
nla_policy port_policy[NFGATE_PORT_A_MAX + 1];
nla_policy target_policy[NFGATE_TARGET_A_MAX + 1];
nla_policy counters_policy[NFGATE_COUNTERS_A_MAX + 1];
nla_policy ext_policy[NFGATE_EXT_A_MAX + 1];

struct PolicyInit {
    PolicyInit() {
        top_policy[NFGATE_A_TABLE].type = NLA_U32;
        top_policy[NFGATE_A_CHAIN].type = NLA_STRING;
        top_policy[NFGATE_A_CHAIN].maxlen = NFGATE_CHAIN_MAXNAMELEN;
        top_policy[NFGATE_A_POLICY].type = NLA_U32;
        top_policy[NFGATE_A_RULE].type = NLA_NESTED;
        top_policy[NFGATE_A_HANDLE].type = NLA_U64;
        top_policy[NFGATE_A_POSITION].type = NLA_U32;
        top_policy[NFGATE_A_COUNTERS].type = NLA_NESTED;
        top_policy[NFGATE_A_CHAIN_FLAGS].type = NLA_U32;
        top_policy[NFGATE_A_CHAIN_REFS].type = NLA_U32;
        top_policy[NFGATE_A_CHAIN_RULES].type = NLA_U32;
        top_policy[NFGATE_A_CHAIN_DIGEST].type = NLA_U64;
        top_policy[NFGATE_A_GENERATION].type = NLA_U64;
        top_policy[NFGATE_A_TXN_OPS].type = NLA_U32;
        rule_policy[NFGATE_RULE_A_HANDLE].type = NLA_U64;
        rule_policy[NFGATE_RULE_A_MATCHES].type = NLA_NESTED;
        target_policy[NFGATE_TARGET_A_EXT].type = NLA_NESTED;
        ext_policy[NFGATE_EXT_A_NAME].type = NLA_STRING;
        ext_policy[NFGATE_EXT_A_NAME].maxlen = NFGATE_EXT_MAXNAMELEN;
        ext_policy[NFGATE_EXT_A_DATA].type = NLA_NESTED;
        for (int a :
             {NFGATE_RULE_A_SRC, NFGATE_RULE_A_DST, NFGATE_RULE_A_PROTO, NFGATE_RULE_A_IIF, NFGATE_RULE_A_OIF,
              NFGATE_RULE_A_SPORT, NFGATE_RULE_A_DPORT, NFGATE_RULE_A_TARGET, NFGATE_RULE_A_COUNTERS})
            rule_policy[a].type = NLA_NESTED;
        addr_policy[NFGATE_ADDR_A_ADDR].type = NLA_U32;
        addr_policy[NFGATE_ADDR_A_MASK].type = NLA_U32;
        addr_policy[NFGATE_ADDR_A_INV].type = NLA_FLAG;
        proto_policy[NFGATE_PROTO_A_NUM].type = NLA_U8;
        proto_policy[NFGATE_PROTO_A_INV].type = NLA_FLAG;
        iface_policy[NFGATE_IFACE_A_NAME].type = NLA_STRING;
        iface_policy[NFGATE_IFACE_A_NAME].maxlen = NFGATE_IFNAMSIZ;
        iface_policy[NFGATE_IFACE_A_INV].type = NLA_FLAG;
        port_policy[NFGATE_PORT_A_MIN].type = NLA_U16;
        port_policy[NFGATE_PORT_A_MAX].type = NLA_U16;
        port_policy[NFGATE_PORT_A_INV].type = NLA_FLAG;
        target_policy[NFGATE_TARGET_A_VERDICT].type = NLA_U32;
        target_policy[NFGATE_TARGET_A_CHAIN].type = NLA_STRING;
        target_policy[NFGATE_TARGET_A_CHAIN].maxlen = NFGATE_CHAIN_MAXNAMELEN;
        counters_policy[NFGATE_COUNTERS_A_PACKETS].type = NLA_U64;
        counters_policy[NFGATE_COUNTERS_A_BYTES].type = NLA_U64;
    }
};
const PolicyInit policy_init;

void put_counters(nl_msg* msg, int type, const Counters& c) {
    nlattr* n = nla_nest_start(msg, type);
    if (!n) throw MessageTooLarge();
    check(nla_put_u64(msg, NFGATE_COUNTERS_A_PACKETS, c.packets));
    check(nla_put_u64(msg, NFGATE_COUNTERS_A_BYTES, c.bytes));
    nla_nest_end(msg, n);
}

void put_addr(nl_msg* msg, int type, const AddrMatch& a) {
    nlattr* n = nla_nest_start(msg, type);
    if (!n) throw MessageTooLarge();
    check(nla_put_u32(msg, NFGATE_ADDR_A_ADDR, htonl(a.addr & a.mask)));
    check(nla_put_u32(msg, NFGATE_ADDR_A_MASK, htonl(a.mask)));
    if (a.invert) check(nla_put_flag(msg, NFGATE_ADDR_A_INV));
    nla_nest_end(msg, n);
}

void put_iface(nl_msg* msg, int type, const IfaceMatch& i) {
    nlattr* n = nla_nest_start(msg, type);
    if (!n) throw MessageTooLarge();
    check(nla_put_string(msg, NFGATE_IFACE_A_NAME, i.name.c_str()));
    if (i.invert) check(nla_put_flag(msg, NFGATE_IFACE_A_INV));
    nla_nest_end(msg, n);
}

void put_port(nl_msg* msg, int type, const PortRange& p) {
    nlattr* n = nla_nest_start(msg, type);
    if (!n) throw MessageTooLarge();
    check(nla_put_u16(msg, NFGATE_PORT_A_MIN, p.min));
    check(nla_put_u16(msg, NFGATE_PORT_A_MAX, p.max));
    if (p.invert) check(nla_put_flag(msg, NFGATE_PORT_A_INV));
    nla_nest_end(msg, n);
}

// One NFGATE_EXT_A_* nest: the name and the kind's attribute bytes.
void put_ext(nl_msg* msg, int type, std::string_view name, const std::vector<std::uint8_t>& data) {
    nlattr* n = nla_nest_start(msg, type);
    if (!n) throw MessageTooLarge();
    check(nla_put_string(msg, NFGATE_EXT_A_NAME, std::string(name).c_str()));
    check(nla_put(msg, NFGATE_EXT_A_DATA | NLA_F_NESTED, static_cast<int>(data.size()), data.data()));
    nla_nest_end(msg, n);
}

struct ExtAttr {
    std::string name;
    std::vector<std::uint8_t> data;  // canonical
};

ExtAttr parse_ext(nlattr* nest) {
    nlattr* tb[NFGATE_EXT_A_MAX + 1] = {};
    if (nla_parse_nested(tb, NFGATE_EXT_A_MAX, nest, ext_policy) < 0 || !tb[NFGATE_EXT_A_NAME])
        throw Error("malformed extension attribute from the kernel");
    ExtAttr e;
    e.name = nla_get_string(tb[NFGATE_EXT_A_NAME]);
    if (tb[NFGATE_EXT_A_DATA]) {
        const auto* p = static_cast<const std::uint8_t*>(nla_data(tb[NFGATE_EXT_A_DATA]));
        e.data = canonical_attrs(std::span<const std::uint8_t>(p, static_cast<std::size_t>(nla_len(tb[NFGATE_EXT_A_DATA]))));
    }
    return e;
}

const ExtKind& known_kind(const ExtAttr& e, bool target) {
    const ExtKind* k = target ? find_target_kind(e.name) : find_match_kind(e.name);
    if (!k) throw Error("unknown " + std::string(target ? "target" : "match") + " extension '" + e.name + "' from the kernel");
    return *k;
}

// The tcp/udp match is the rule's core (ports); when other matches precede
// it, or it tests tcp flags or an option (its data), a "tcp"/"udp" element
// keeps its place in the list.
bool is_l4_marker(std::string_view name) { return name == "tcp" || name == "udp"; }

Counters parse_counters(nlattr* nest) {
    nlattr* tb[NFGATE_COUNTERS_A_MAX + 1] = {};
    if (nla_parse_nested(tb, NFGATE_COUNTERS_A_MAX, nest, counters_policy) < 0)
        throw Error("malformed counters attribute from the kernel");
    Counters c;
    if (tb[NFGATE_COUNTERS_A_PACKETS]) c.packets = nla_get_u64(tb[NFGATE_COUNTERS_A_PACKETS]);
    if (tb[NFGATE_COUNTERS_A_BYTES]) c.bytes = nla_get_u64(tb[NFGATE_COUNTERS_A_BYTES]);
    return c;
}

AddrMatch parse_addr(nlattr* nest) {
    nlattr* tb[NFGATE_ADDR_A_MAX + 1] = {};
    if (nla_parse_nested(tb, NFGATE_ADDR_A_MAX, nest, addr_policy) < 0)
        throw Error("malformed address attribute from the kernel");
    AddrMatch a;
    if (tb[NFGATE_ADDR_A_MASK]) a.mask = ntohl(nla_get_u32(tb[NFGATE_ADDR_A_MASK]));
    if (tb[NFGATE_ADDR_A_ADDR]) a.addr = ntohl(nla_get_u32(tb[NFGATE_ADDR_A_ADDR])) & a.mask;
    a.invert = tb[NFGATE_ADDR_A_INV] != nullptr;
    return a;
}

IfaceMatch parse_iface(nlattr* nest) {
    nlattr* tb[NFGATE_IFACE_A_MAX + 1] = {};
    if (nla_parse_nested(tb, NFGATE_IFACE_A_MAX, nest, iface_policy) < 0)
        throw Error("malformed interface attribute from the kernel");
    IfaceMatch i;
    if (tb[NFGATE_IFACE_A_NAME]) i.name = nla_get_string(tb[NFGATE_IFACE_A_NAME]);
    i.invert = tb[NFGATE_IFACE_A_INV] != nullptr;
    return i;
}

PortRange parse_port(nlattr* nest) {
    nlattr* tb[NFGATE_PORT_A_MAX + 1] = {};
    if (nla_parse_nested(tb, NFGATE_PORT_A_MAX, nest, port_policy) < 0)
        throw Error("malformed port attribute from the kernel");
    PortRange p;
    if (tb[NFGATE_PORT_A_MIN]) p.min = nla_get_u16(tb[NFGATE_PORT_A_MIN]);
    p.max = tb[NFGATE_PORT_A_MAX] ? nla_get_u16(tb[NFGATE_PORT_A_MAX]) : p.min;
    p.invert = tb[NFGATE_PORT_A_INV] != nullptr;
    return p;
}

Table to_table(std::uint32_t v) {
    if (v > NFGATE_TABLE_MAX) throw Error("unknown table number " + std::to_string(v) + " from the kernel");
    return static_cast<Table>(v);
}

Verdict to_verdict(std::uint32_t v) {
    if (v > NFGATE_VERDICT_MAX) throw Error("unknown verdict " + std::to_string(v) + " from the kernel");
    return static_cast<Verdict>(v);
}

}  // namespace

namespace {

// Most requests fit this; libnl's default buffer is a zeroed page per
// message, which a bulk load of 100k rules paid 100k times.
constexpr std::size_t small_msg_bytes = 512;

MsgPtr new_request_sized(int family, std::uint8_t cmd, int flags, std::size_t size) {
    MsgPtr msg(size ? nlmsg_alloc_size(size) : nlmsg_alloc());
    if (!msg) throw Error("out of memory");
    if (!genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd, NFGATE_GENL_VERSION))
        throw Error("cannot build netlink message");
    return msg;
}

}  // namespace

MsgPtr new_request(int family, std::uint8_t cmd, int flags) {
    MsgPtr msg(nlmsg_alloc());
    if (!msg) throw Error("out of memory");
    if (!genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd, NFGATE_GENL_VERSION))
        throw Error("cannot build netlink message");
    return msg;
}

// normalized(r) is what is sent, read in place through its parts
// (normal_addr() and the others): a bulk load encodes every rule once, and
// copying each (its extensions' data) cost more than the encoding.
void put_rule(nl_msg* msg, const RuleSpec& r) {
    nlattr* nest = nla_nest_start(msg, NFGATE_A_RULE);
    if (!nest) throw MessageTooLarge();
    if (auto a = normal_addr(r.src)) put_addr(msg, NFGATE_RULE_A_SRC, *a);
    if (auto a = normal_addr(r.dst)) put_addr(msg, NFGATE_RULE_A_DST, *a);
    if (auto p = normal_proto(r.proto)) {
        nlattr* n = nla_nest_start(msg, NFGATE_RULE_A_PROTO);
        check(nla_put_u8(msg, NFGATE_PROTO_A_NUM, p->num));
        if (p->invert) check(nla_put_flag(msg, NFGATE_PROTO_A_INV));
        nla_nest_end(msg, n);
    }
    if (r.in) put_iface(msg, NFGATE_RULE_A_IIF, *r.in);
    if (r.out) put_iface(msg, NFGATE_RULE_A_OIF, *r.out);
    if (r.l4) {
        // A tcp/udp match with no port restriction (`-p tcp -m tcp`) is
        // sent as a full source range so that the match survives a dump.
        bool any = r.l4->sport.is_any() && r.l4->dport.is_any();
        if (!r.l4->sport.is_any() || any) put_port(msg, NFGATE_RULE_A_SPORT, r.l4->sport);
        if (!r.l4->dport.is_any()) put_port(msg, NFGATE_RULE_A_DPORT, r.l4->dport);
    }
    // The tcp/udp element: its place among other matches, and the tcp
    // flags/option test, which the core has no field for.
    std::vector<std::uint8_t> l4data;
    if (r.l4 && r.proto_num() == 6) l4data = tcp_data(*r.l4);
    const std::size_t l4_pos = normal_l4_pos(r);
    bool marker = r.l4 && (l4_pos > 0 || !l4data.empty());
    if (!r.matches.empty() || marker) {
        nlattr* list = nla_nest_start(msg, NFGATE_RULE_A_MATCHES);
        if (!list) throw MessageTooLarge();
        for (std::size_t i = 0; i <= r.matches.size(); ++i) {
            if (marker && i == l4_pos)
                put_ext(msg, NFGATE_LIST_A_ELEM, r.proto_num() == 17 ? "udp" : "tcp", l4data);
            if (i < r.matches.size()) put_ext(msg, NFGATE_LIST_A_ELEM, r.matches[i].kind->name(), r.matches[i].data);
        }
        nla_nest_end(msg, list);
    }
    if (r.target.verdict != Verdict::none) {
        nlattr* n = nla_nest_start(msg, NFGATE_RULE_A_TARGET);
        check(nla_put_u32(msg, NFGATE_TARGET_A_VERDICT, static_cast<std::uint32_t>(r.target.verdict)));
        if (r.target.verdict == Verdict::jump || r.target.verdict == Verdict::go_to)
            check(nla_put_string(msg, NFGATE_TARGET_A_CHAIN, r.target.chain.c_str()));
        if (r.target.verdict == Verdict::ext)
            put_ext(msg, NFGATE_TARGET_A_EXT, r.target.ext.kind->name(), r.target.ext.data);
        nla_nest_end(msg, n);
    }
    if (r.counters) put_counters(msg, NFGATE_RULE_A_COUNTERS, *r.counters);
    // A rule without matches and target (`-A INPUT`, accounting) is an
    // empty nest, which plain nla_nest_end() of libnl >= 3.5 drops.
    nla_nest_end_keep_empty(msg, nest);
}

void put_op(nl_msg* msg, const Op& op) {
    check(nla_put_u32(msg, NFGATE_A_TABLE, static_cast<std::uint32_t>(op.table)));
    if (!op.chain.empty()) check(nla_put_string(msg, NFGATE_A_CHAIN, op.chain.c_str()));
    if (op.kind == OpKind::set_policy)
        check(nla_put_u32(msg, NFGATE_A_POLICY, static_cast<std::uint32_t>(op.policy)));
    if (op.handle) check(nla_put_u64(msg, NFGATE_A_HANDLE, *op.handle));
    if (op.position) check(nla_put_u32(msg, NFGATE_A_POSITION, *op.position));
    if (op.rule) put_rule(msg, *op.rule);
    if (op.kind == OpKind::set_policy && op.counters) put_counters(msg, NFGATE_A_COUNTERS, *op.counters);
}

MsgPtr encode_op(int family, const Op& op) {
    auto build = [&](std::size_t size) {  // 0: libnl's default (a page)
        MsgPtr msg = new_request_sized(family, op_command(op.kind), 0, size);
        put_op(msg.get(), op);
        return msg;
    };
    try {
        return build(small_msg_bytes);
    } catch (const MessageTooLarge&) {
        return build(0);
    }
}

RuleSpec parse_rule_attr(nlattr* nest) {
    nlattr* tb[NFGATE_RULE_A_MAX + 1] = {};
    if (nla_parse_nested(tb, NFGATE_RULE_A_MAX, nest, rule_policy) < 0)
        throw Error("malformed rule attribute from the kernel");
    RuleSpec r;
    if (tb[NFGATE_RULE_A_HANDLE]) r.handle = nla_get_u64(tb[NFGATE_RULE_A_HANDLE]);
    if (tb[NFGATE_RULE_A_SRC]) r.src = parse_addr(tb[NFGATE_RULE_A_SRC]);
    if (tb[NFGATE_RULE_A_DST]) r.dst = parse_addr(tb[NFGATE_RULE_A_DST]);
    if (tb[NFGATE_RULE_A_PROTO]) {
        nlattr* pt[NFGATE_PROTO_A_MAX + 1] = {};
        if (nla_parse_nested(pt, NFGATE_PROTO_A_MAX, tb[NFGATE_RULE_A_PROTO], proto_policy) < 0)
            throw Error("malformed protocol attribute from the kernel");
        ProtoMatch p;
        if (pt[NFGATE_PROTO_A_NUM]) p.num = nla_get_u8(pt[NFGATE_PROTO_A_NUM]);
        p.invert = pt[NFGATE_PROTO_A_INV] != nullptr;
        r.proto = p;
    }
    if (tb[NFGATE_RULE_A_IIF]) r.in = parse_iface(tb[NFGATE_RULE_A_IIF]);
    if (tb[NFGATE_RULE_A_OIF]) r.out = parse_iface(tb[NFGATE_RULE_A_OIF]);
    if (tb[NFGATE_RULE_A_SPORT] || tb[NFGATE_RULE_A_DPORT]) {
        L4Match l4;
        if (tb[NFGATE_RULE_A_SPORT]) l4.sport = parse_port(tb[NFGATE_RULE_A_SPORT]);
        if (tb[NFGATE_RULE_A_DPORT]) l4.dport = parse_port(tb[NFGATE_RULE_A_DPORT]);
        r.l4 = l4;
    }
    if (tb[NFGATE_RULE_A_TARGET]) {
        nlattr* tt[NFGATE_TARGET_A_MAX + 1] = {};
        if (nla_parse_nested(tt, NFGATE_TARGET_A_MAX, tb[NFGATE_RULE_A_TARGET], target_policy) < 0)
            throw Error("malformed target attribute from the kernel");
        if (tt[NFGATE_TARGET_A_VERDICT])
            r.target.verdict = to_verdict(nla_get_u32(tt[NFGATE_TARGET_A_VERDICT]));
        if (tt[NFGATE_TARGET_A_CHAIN]) r.target.chain = nla_get_string(tt[NFGATE_TARGET_A_CHAIN]);
        if (tt[NFGATE_TARGET_A_EXT]) {
            ExtAttr e = parse_ext(tt[NFGATE_TARGET_A_EXT]);
            r.target.ext = Ext{&known_kind(e, true), std::move(e.data)};
        }
        if (r.target.verdict == Verdict::ext && !r.target.ext.kind)
            throw Error("extension target without its extension from the kernel");
    }
    if (tb[NFGATE_RULE_A_MATCHES]) {
        nlattr* a;
        int rem;
        nla_for_each_nested(a, tb[NFGATE_RULE_A_MATCHES], rem) {
            ExtAttr e = parse_ext(a);
            if (is_l4_marker(e.name)) {
                r.l4_pos = r.matches.size();
                if (!r.l4) r.l4 = L4Match{};
                if (e.name == "tcp") read_tcp_data(e.data, *r.l4);
                continue;
            }
            r.matches.push_back(Ext{&known_kind(e, false), std::move(e.data)});
        }
    }
    if (tb[NFGATE_RULE_A_COUNTERS]) r.counters = parse_counters(tb[NFGATE_RULE_A_COUNTERS]);
    return r;
}

namespace {

void parse_top(nlmsghdr* nlh, nlattr** tb) {
    if (genlmsg_parse(nlh, 0, tb, NFGATE_A_MAX, top_policy) < 0)
        throw Error("malformed nfgate message from the kernel");
}

}  // namespace

ChainReply parse_chain_msg(nlmsghdr* nlh) {
    nlattr* tb[NFGATE_A_MAX + 1] = {};
    parse_top(nlh, tb);
    if (!tb[NFGATE_A_TABLE] || !tb[NFGATE_A_CHAIN])
        throw Error("chain message without table or chain from the kernel");
    ChainReply c;
    c.table = to_table(nla_get_u32(tb[NFGATE_A_TABLE]));
    c.info.name = nla_get_string(tb[NFGATE_A_CHAIN]);
    if (tb[NFGATE_A_CHAIN_FLAGS])
        c.info.builtin = nla_get_u32(tb[NFGATE_A_CHAIN_FLAGS]) & NFGATE_CHAIN_F_BUILTIN;
    if (tb[NFGATE_A_CHAIN_REFS]) c.info.refs = nla_get_u32(tb[NFGATE_A_CHAIN_REFS]);
    if (tb[NFGATE_A_CHAIN_RULES]) c.info.rules = nla_get_u32(tb[NFGATE_A_CHAIN_RULES]);
    if (tb[NFGATE_A_CHAIN_DIGEST]) c.info.digest = nla_get_u64(tb[NFGATE_A_CHAIN_DIGEST]);
    if (tb[NFGATE_A_POLICY]) c.info.policy = to_verdict(nla_get_u32(tb[NFGATE_A_POLICY]));
    if (tb[NFGATE_A_COUNTERS]) c.info.counters = parse_counters(tb[NFGATE_A_COUNTERS]);
    return c;
}

RuleReply parse_rule_msg(nlmsghdr* nlh) {
    nlattr* tb[NFGATE_A_MAX + 1] = {};
    parse_top(nlh, tb);
    if (!tb[NFGATE_A_TABLE] || !tb[NFGATE_A_CHAIN] || !tb[NFGATE_A_RULE])
        throw Error("rule message without table, chain or rule from the kernel");
    RuleReply r;
    r.table = to_table(nla_get_u32(tb[NFGATE_A_TABLE]));
    r.entry.chain = nla_get_string(tb[NFGATE_A_CHAIN]);
    if (tb[NFGATE_A_POSITION]) r.entry.position = nla_get_u32(tb[NFGATE_A_POSITION]);
    r.entry.rule = parse_rule_attr(tb[NFGATE_A_RULE]);
    if (tb[NFGATE_A_HANDLE] && !r.entry.rule.handle) r.entry.rule.handle = nla_get_u64(tb[NFGATE_A_HANDLE]);
    return r;
}

ScalarReply parse_scalar_reply(nlmsghdr* nlh) {
    nlattr* tb[NFGATE_A_MAX + 1] = {};
    parse_top(nlh, tb);
    ScalarReply s;
    if (tb[NFGATE_A_HANDLE]) s.handle = nla_get_u64(tb[NFGATE_A_HANDLE]);
    if (tb[NFGATE_A_GENERATION]) s.generation = nla_get_u64(tb[NFGATE_A_GENERATION]);
    if (tb[NFGATE_A_TXN_OPS]) s.txn_ops = nla_get_u32(tb[NFGATE_A_TXN_OPS]);
    return s;
}

AckInfo parse_ack(const nlmsghdr* nlh) {
    AckInfo a;
    a.seq = nlh->nlmsg_seq;
    if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(nlmsgerr)) throw Error("truncated netlink error message");
    const auto* e = static_cast<const nlmsgerr*>(NLMSG_DATA(nlh));
    a.error = -e->error;
    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS)) return a;
    // TLVs follow the nlmsgerr; with NLM_F_CAPPED the echoed request is
    // only its header, else the whole request.
    std::size_t off = NLMSG_HDRLEN + sizeof(nlmsgerr);
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) off += e->msg.nlmsg_len - sizeof(nlmsghdr);
    off = NLMSG_ALIGN(off);
    if (off >= nlh->nlmsg_len) return a;
    const auto* base = reinterpret_cast<const char*>(nlh);
    int len = static_cast<int>(nlh->nlmsg_len - off);
    auto* head = reinterpret_cast<nlattr*>(const_cast<char*>(base + off));
    nlattr* tb[NLMSGERR_ATTR_MAX + 1] = {};
    if (nla_parse(tb, NLMSGERR_ATTR_MAX, head, len, nullptr) < 0) return a;
    if (tb[NLMSGERR_ATTR_MSG]) {
        const char* s = static_cast<const char*>(nla_data(tb[NLMSGERR_ATTR_MSG]));
        a.extack.assign(s, strnlen(s, static_cast<std::size_t>(nla_len(tb[NLMSGERR_ATTR_MSG]))));
    }
    if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4)
        a.bad_attr_offset = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
    return a;
}

}  // namespace nfgate
