// SPDX-License-Identifier: GPL-2.0
// Tables, built-in chains, verdict and protocol names, and rule
// normalization/equality of the RuleSpec model.
#include "nfgate/rule.hpp"

#include <netdb.h>

#include <array>

namespace nfgate {

namespace {

constexpr std::array<std::string_view, 3> filter_chains = {"INPUT", "FORWARD", "OUTPUT"};
constexpr std::array<std::string_view, 5> mangle_chains = {"PREROUTING", "INPUT", "FORWARD", "OUTPUT",
                                                           "POSTROUTING"};
constexpr std::array<std::string_view, 2> raw_chains = {"PREROUTING", "OUTPUT"};
// In hook order, as iptables-save prints them.
constexpr std::array<std::string_view, 4> nat_chains = {"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"};

struct ProtoName {
    std::string_view name;
    std::uint8_t num;
};

// Same table and order as iptables' xtables_chain_protos (IPv4 relevant).
constexpr std::array<ProtoName, 15> proto_names = {{
    {"tcp", 6},
    {"sctp", 132},
    {"udp", 17},
    {"udplite", 136},
    {"icmp", 1},
    {"ipv6-icmp", 58},
    {"icmpv6", 58},
    {"esp", 50},
    {"ah", 51},
    {"mobility-header", 135},
    {"ipv6-mh", 135},
    {"mh", 135},
    {"dccp", 33},
    {"ipcomp", 108},
    {"all", 0},
}};

}  // namespace

std::string_view table_name(Table t) {
    switch (t) {
        case Table::filter:
            return "filter";
        case Table::mangle:
            return "mangle";
        case Table::raw:
            return "raw";
        case Table::nat:
            return "nat";
    }
    return "?";
}

std::optional<Table> table_from_name(std::string_view name) {
    for (Table t : all_tables)
        if (table_name(t) == name) return t;
    return std::nullopt;
}

std::span<const std::string_view> builtin_chains(Table t) {
    if (t == Table::mangle) return mangle_chains;
    if (t == Table::raw) return raw_chains;
    if (t == Table::nat) return nat_chains;
    return filter_chains;
}

bool is_builtin_chain(Table t, std::string_view chain) {
    for (auto c : builtin_chains(t))
        if (c == chain) return true;
    return false;
}

std::string_view verdict_name(Verdict v) {
    switch (v) {
        case Verdict::accept:
            return "ACCEPT";
        case Verdict::drop:
            return "DROP";
        case Verdict::ret:
            return "RETURN";
        default:
            return "";
    }
}

std::vector<std::uint8_t> tcp_data(const L4Match& m) {
    AttrWriter w;
    if (m.has_flags) {
        w.put_u8(NFGATE_TCP_A_FLAGS_MASK, m.flags_mask);
        w.put_u8(NFGATE_TCP_A_FLAGS_COMP, m.flags_comp);
        if (m.flags_invert) w.put_flag(NFGATE_TCP_A_FLAGS_INV);
    }
    if (m.option) {
        w.put_u8(NFGATE_TCP_A_OPTION, m.option);
        if (m.option_invert) w.put_flag(NFGATE_TCP_A_OPTION_INV);
    }
    return w.take();
}

void read_tcp_data(std::span<const std::uint8_t> data, L4Match& m) {
    AttrReader a(data);
    m.has_flags = a.has(NFGATE_TCP_A_FLAGS_MASK);
    m.flags_mask = m.has_flags ? a.u8(NFGATE_TCP_A_FLAGS_MASK) : 0;
    m.flags_comp = m.has_flags ? a.u8(NFGATE_TCP_A_FLAGS_COMP) : 0;
    m.flags_invert = a.has(NFGATE_TCP_A_FLAGS_INV);
    m.option = a.has(NFGATE_TCP_A_OPTION) ? a.u8(NFGATE_TCP_A_OPTION) : 0;
    m.option_invert = a.has(NFGATE_TCP_A_OPTION_INV);
}

RuleSpec normalized(const RuleSpec& r) {
    RuleSpec n = r;
    normalize(n);
    return n;
}

void normalize(RuleSpec& n) {
    for (auto* a : {&n.src, &n.dst}) {
        if (*a) {
            (*a)->addr &= (*a)->mask;
            if ((*a)->mask == 0 && !(*a)->invert) a->reset();
        }
    }
    if (n.proto && n.proto->num == 0 && !n.proto->invert) n.proto.reset();
    if (n.target.verdict != Verdict::jump && n.target.verdict != Verdict::go_to) n.target.chain.clear();
    if (n.target.verdict != Verdict::ext) n.target.ext = Ext{};
    if (!n.l4 || n.l4_pos > n.matches.size()) n.l4_pos = n.l4 ? n.matches.size() : 0;
    n.counters.reset();
    n.handle = 0;
}

std::optional<AddrMatch> normal_addr(const std::optional<AddrMatch>& a) {
    if (!a || (a->mask == 0 && !a->invert)) return std::nullopt;
    AddrMatch n = *a;
    n.addr &= n.mask;
    return n;
}

std::optional<ProtoMatch> normal_proto(const std::optional<ProtoMatch>& p) {
    if (p && p->num == 0 && !p->invert) return std::nullopt;
    return p;
}

std::size_t normal_l4_pos(const RuleSpec& r) {
    if (!r.l4 || r.l4_pos > r.matches.size()) return r.l4 ? r.matches.size() : 0;
    return r.l4_pos;
}

namespace {

bool same_target(const Target& a, const Target& b) {
    if (a.verdict != b.verdict) return false;
    if (a.verdict == Verdict::jump || a.verdict == Verdict::go_to) return a.chain == b.chain;
    if (a.verdict == Verdict::ext) return a.ext == b.ext;
    return true;
}

}  // namespace

bool same_rule(const RuleSpec& a, const RuleSpec& b) {
    return normal_addr(a.src) == normal_addr(b.src) && normal_addr(a.dst) == normal_addr(b.dst) && a.in == b.in &&
           a.out == b.out && normal_proto(a.proto) == normal_proto(b.proto) && a.l4 == b.l4 &&
           a.matches == b.matches && normal_l4_pos(a) == normal_l4_pos(b) && same_target(a.target, b.target);
}

std::optional<std::uint8_t> builtin_proto_number(std::string_view name) {
    for (const auto& p : proto_names)
        if (p.name == name) return p.num;
    return std::nullopt;
}

std::optional<std::string_view> builtin_proto_name(std::uint8_t num) {
    for (const auto& p : proto_names)
        if (p.num == num) return p.name;
    return std::nullopt;
}

std::string proto_to_name(std::uint8_t num, bool lookup) {
    if (auto n = builtin_proto_name(num)) return std::string(*n);
    if (lookup)
        if (const protoent* pe = getprotobynumber(num)) return pe->p_name;
    return std::to_string(num);
}

}  // namespace nfgate
