// SPDX-License-Identifier: GPL-2.0
// "conntrack" match (libxt_conntrack, revision 3) and its alias "state"
// (-m state --state, which iptables 1.8 sends as conntrack but saves and
// lists as "state"; nfgate has a kernel kind of its own for it).
#include "ext/ct_common.hpp"
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/format.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>
#include <strings.h>

namespace nfgate {

namespace {

enum {
    O_CTSTATE = 1,
    O_CTPROTO,
    O_CTORIGSRC,
    O_CTORIGDST,
    O_CTREPLSRC,
    O_CTREPLDST,
    O_CTORIGSRCPORT,
    O_CTORIGDSTPORT,
    O_CTREPLSRCPORT,
    O_CTREPLDSTPORT,
    O_CTSTATUS,
    O_CTEXPIRE,
    O_CTDIR,
};

constexpr std::array<ExtOption, 13> options = {{
    {"ctstate", 1, O_CTSTATE},
    {"ctproto", 1, O_CTPROTO},
    {"ctorigsrc", 1, O_CTORIGSRC},
    {"ctorigdst", 1, O_CTORIGDST},
    {"ctreplsrc", 1, O_CTREPLSRC},
    {"ctrepldst", 1, O_CTREPLDST},
    {"ctstatus", 1, O_CTSTATUS},
    {"ctexpire", 1, O_CTEXPIRE},
    {"ctorigsrcport", 1, O_CTORIGSRCPORT},
    {"ctorigdstport", 1, O_CTORIGDSTPORT},
    {"ctreplsrcport", 1, O_CTREPLSRCPORT},
    {"ctrepldstport", 1, O_CTREPLDSTPORT},
    {"ctdir", 1, O_CTDIR},
}};

std::string_view option_name(int id) {
    for (const auto& o : options)
        if (o.id == id) return o.name;
    return "";
}

// Each list: name, bit; matched by prefix as strncasecmp(NAME, arg, len).
struct Word {
    const char* name;
    std::uint32_t bit;
};
constexpr std::array<Word, 7> ctstates = {{
    {"INVALID", NFGATE_CT_STATE_INVALID},
    {"NEW", NFGATE_CT_STATE_NEW},
    {"ESTABLISHED", NFGATE_CT_STATE_ESTABLISHED},
    {"RELATED", NFGATE_CT_STATE_RELATED},
    {"UNTRACKED", NFGATE_CT_STATE_UNTRACKED},
    {"SNAT", NFGATE_CT_STATE_SNAT},
    {"DNAT", NFGATE_CT_STATE_DNAT},
}};
constexpr std::array<Word, 5> ctstatuses = {{
    {"NONE", 0},
    {"EXPECTED", NFGATE_CT_STATUS_EXPECTED},
    {"SEEN_REPLY", NFGATE_CT_STATUS_SEEN_REPLY},
    {"ASSURED", NFGATE_CT_STATUS_ASSURED},
    {"CONFIRMED", NFGATE_CT_STATUS_CONFIRMED},
}};

// One word of a list: the first name it is a prefix of (case-insensitive).
template <std::size_t N>
std::optional<std::uint32_t> word(const std::array<Word, N>& words, std::string_view w) {
    if (w.empty()) return std::nullopt;
    for (const auto& x : words) {
        std::string_view n = x.name;
        if (w.size() <= n.size() && strncasecmp(n.data(), w.data(), w.size()) == 0) return x.bit;
    }
    return std::nullopt;
}

// "A,B,C" as libxt_conntrack's conntrack_ps_states(): the error names the
// rest of the list from the bad word on.
template <std::size_t N>
std::uint32_t word_list(const std::array<Word, N>& words, std::string_view arg, const char* what) {
    std::uint32_t mask = 0;
    while (true) {
        auto comma = arg.find(',');
        auto w = arg.substr(0, comma);
        auto bit = word(words, w);
        if (!bit) throw UsageError(std::string("Bad ") + what + " \"" + std::string(arg) + "\"");
        mask |= *bit;
        if (comma == std::string_view::npos) return mask;
        arg = arg.substr(comma + 1);
    }
}

// XTTYPE_UINT32RC: "a", "a:b", ":b", "a:".
std::pair<std::uint32_t, std::uint32_t> parse_u32_range(std::string_view arg) {
    auto bad = [&] {
        return UsageError("conntrack: bad value for option \"--ctexpire\" near \"" + std::string(arg) +
                          "\", or out of range (0-4294967295).");
    };
    auto colon = arg.find(':');
    auto lo_s = arg.substr(0, colon);
    std::uint64_t lo = 0, hi = UINT32_MAX;
    if (!lo_s.empty() || colon == std::string_view::npos) {
        auto v = parse_uint(lo_s, 0, UINT32_MAX);
        if (!v) throw bad();
        lo = hi = *v;
    }
    if (colon != std::string_view::npos) {
        hi = UINT32_MAX;
        auto hi_s = arg.substr(colon + 1);
        if (!hi_s.empty()) {
            auto v = parse_uint(hi_s, 0, UINT32_MAX);
            if (!v) throw bad();
            hi = *v;
        }
    }
    // iptables 1.8.9 takes a reversed range (never matching); later
    // versions refuse it, as the kernel does.
    if (lo > hi) throw bad();
    return {static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi)};
}

struct Info {
    std::uint32_t flags = 0, inv = 0, state = 0, status = 0;
    std::uint8_t proto = 0, dir = 0;
    std::array<std::uint32_t, 4> addr{}, mask{};
    std::array<std::array<std::uint16_t, 2>, 4> port{};
    std::uint32_t expire[2] = {0, 0};
};

constexpr std::array<std::uint16_t, 4> addr_attr = {NFGATE_CONNTRACK_A_ORIGSRC, NFGATE_CONNTRACK_A_ORIGDST,
                                                    NFGATE_CONNTRACK_A_REPLSRC, NFGATE_CONNTRACK_A_REPLDST};
constexpr std::array<std::uint16_t, 4> port_attr = {
    NFGATE_CONNTRACK_A_ORIGSRCPORT_MIN, NFGATE_CONNTRACK_A_ORIGDSTPORT_MIN, NFGATE_CONNTRACK_A_REPLSRCPORT_MIN,
    NFGATE_CONNTRACK_A_REPLDSTPORT_MIN};
constexpr std::array<const char*, 4> addr_name = {"ctorigsrc", "ctorigdst", "ctreplsrc", "ctrepldst"};
constexpr std::array<const char*, 4> port_name = {"ctorigsrcport", "ctorigdstport", "ctreplsrcport",
                                                  "ctrepldstport"};

Info decode(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    Info i;
    if (a.has(NFGATE_CONNTRACK_A_INV)) i.inv = a.u32(NFGATE_CONNTRACK_A_INV);
    if (a.has(NFGATE_CONNTRACK_A_STATE)) {
        i.flags |= NFGATE_CT_F_STATE;
        i.state = a.u32(NFGATE_CONNTRACK_A_STATE);
    }
    if (a.has(NFGATE_CONNTRACK_A_STATUS)) {
        i.flags |= NFGATE_CT_F_STATUS;
        i.status = a.u32(NFGATE_CONNTRACK_A_STATUS);
    }
    if (a.has(NFGATE_CONNTRACK_A_PROTO)) {
        i.flags |= NFGATE_CT_F_PROTO;
        i.proto = a.u8(NFGATE_CONNTRACK_A_PROTO);
    }
    for (unsigned k = 0; k < 4; ++k) {
        if (a.has(addr_attr[k])) {
            i.flags |= NFGATE_CT_F_ORIGSRC << k;
            i.addr[k] = a.be32(addr_attr[k]);
            i.mask[k] = a.be32(addr_attr[k] + 1);
        }
        if (a.has(port_attr[k])) {
            i.flags |= NFGATE_CT_F_ORIGSRCPORT << k;
            i.port[k][0] = a.u16(port_attr[k]);
            i.port[k][1] = a.u16(port_attr[k] + 1);
        }
    }
    if (a.has(NFGATE_CONNTRACK_A_DIR)) {
        i.flags |= NFGATE_CT_F_DIR;
        i.dir = a.u8(NFGATE_CONNTRACK_A_DIR);
    }
    if (a.has(NFGATE_CONNTRACK_A_EXPIRE_MIN)) {
        i.flags |= NFGATE_CT_F_EXPIRE;
        i.expire[0] = a.u32(NFGATE_CONNTRACK_A_EXPIRE_MIN);
        i.expire[1] = a.u32(NFGATE_CONNTRACK_A_EXPIRE_MAX);
    }
    return i;
}

// libxt_conntrack's conntrack_dump(): prefix "--" for save, "" for -L.
void dump(const Info& i, std::string& out, const char* pfx, bool numeric) {
    auto inv = [&](std::uint32_t f) {
        if (i.inv & f) out += " !";
    };
    if (i.flags & NFGATE_CT_F_STATE) {
        inv(NFGATE_CT_F_STATE);
        out += std::string(" ") + pfx + "ctstate";
        ct_print_states(out, i.state, " ");
    }
    if (i.flags & NFGATE_CT_F_PROTO) {
        inv(NFGATE_CT_F_PROTO);
        out += std::string(" ") + pfx + "ctproto " + std::to_string(i.proto);
    }
    for (unsigned k = 0; k < 4; ++k) {
        if (!(i.flags & (NFGATE_CT_F_ORIGSRC << k))) continue;
        inv(NFGATE_CT_F_ORIGSRC << k);
        out += std::string(" ") + pfx + addr_name[k];
        if (!numeric && i.addr[k] == 0) {
            out += " anywhere";
            continue;
        }
        out += " " + format_ipv4(i.addr[k]);
        if (i.mask[k] != 0xFFFFFFFFU) out += "/" + format_mask_save(i.mask[k]);
    }
    for (unsigned k = 0; k < 4; ++k) {
        if (!(i.flags & (NFGATE_CT_F_ORIGSRCPORT << k))) continue;
        inv(NFGATE_CT_F_ORIGSRCPORT << k);
        out += std::string(" ") + pfx + port_name[k] + " " + std::to_string(i.port[k][0]);
        if (i.port[k][1] != 0 && i.port[k][0] != i.port[k][1]) out += ":" + std::to_string(i.port[k][1]);
    }
    if (i.flags & NFGATE_CT_F_STATUS) {
        inv(NFGATE_CT_F_STATUS);
        out += std::string(" ") + pfx + "ctstatus";
        const char* sep = " ";
        for (const auto& w : ctstatuses)
            if (w.bit && (i.status & w.bit)) {
                out += std::string(sep) + w.name;
                sep = ",";
            }
        if (i.status == 0) out += std::string(sep) + "NONE";
    }
    if (i.flags & NFGATE_CT_F_EXPIRE) {
        inv(NFGATE_CT_F_EXPIRE);
        out += std::string(" ") + pfx + "ctexpire " + std::to_string(i.expire[0]);
        if (i.expire[1] != i.expire[0]) out += ":" + std::to_string(i.expire[1]);
    }
    if (i.flags & NFGATE_CT_F_DIR) out += std::string(" ") + pfx + "ctdir " + (i.dir ? "REPLY" : "ORIGINAL");
}

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        std::string name(option_name(id));
        std::uint32_t f = flag_of(id);
        if (seen_ & (1U << id))
            throw UsageError("conntrack: option \"--" + name + "\" can only be used once.");
        if (ctx.invert && id == O_CTDIR)
            throw UsageError("conntrack: option \"--" + name + "\" cannot be inverted.");
        seen_ |= 1U << id;
        switch (id) {
            case O_CTSTATE:
                i_.state = word_list(ctstates, arg, "ctstate");
                break;
            case O_CTSTATUS:
                i_.status = word_list(ctstatuses, arg, "ctstatus");
                break;
            case O_CTPROTO:
                i_.proto = parse_protocol(arg);
                // iptables 1.8.9 takes protocol 0 (never a conntrack
                // entry's); later versions refuse it.
                if (i_.proto == 0) throw UsageError("conntrack: rule would never match protocol");
                break;
            case O_CTORIGSRC:
            case O_CTORIGDST:
            case O_CTREPLSRC:
            case O_CTREPLDST: {
                unsigned k = static_cast<unsigned>(id - O_CTORIGSRC);
                auto [addr, mask] = ct_parse_hostmask(arg);
                i_.addr[k] = addr;
                i_.mask[k] = mask;
                break;
            }
            case O_CTORIGSRCPORT:
            case O_CTORIGDSTPORT:
            case O_CTREPLSRCPORT:
            case O_CTREPLDSTPORT: {
                unsigned k = static_cast<unsigned>(id - O_CTORIGSRCPORT);
                PortRange r = parse_port_range(arg, "tcp");
                i_.port[k] = {r.min, r.max};
                break;
            }
            case O_CTEXPIRE: {
                auto [lo, hi] = parse_u32_range(arg);
                i_.expire[0] = lo;
                i_.expire[1] = hi;
                break;
            }
            case O_CTDIR:
                if (strcasecmp(std::string(arg).c_str(), "ORIGINAL") == 0)
                    i_.dir = 0;
                else if (strcasecmp(std::string(arg).c_str(), "REPLY") == 0)
                    i_.dir = 1;
                else
                    throw UsageError("conntrack: Bad value for \"--ctdir\" option: \"" + std::string(arg) + "\"");
                break;
        }
        i_.flags |= f;
        if (ctx.invert) i_.inv |= f;
    }
    void finish(const ExtParseContext&) override {
        if (!seen_) throw UsageError("conntrack: At least one option is required");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        if (i_.inv) w.put_u32(NFGATE_CONNTRACK_A_INV, i_.inv);
        if (i_.flags & NFGATE_CT_F_STATE) w.put_u32(NFGATE_CONNTRACK_A_STATE, i_.state);
        if (i_.flags & NFGATE_CT_F_STATUS) w.put_u32(NFGATE_CONNTRACK_A_STATUS, i_.status);
        if (i_.flags & NFGATE_CT_F_PROTO) w.put_u8(NFGATE_CONNTRACK_A_PROTO, i_.proto);
        for (unsigned k = 0; k < 4; ++k)
            if (i_.flags & (NFGATE_CT_F_ORIGSRC << k)) {
                w.put_be32(addr_attr[k], i_.addr[k]);
                w.put_be32(addr_attr[k] + 1, i_.mask[k]);
            }
        for (unsigned k = 0; k < 4; ++k)
            if (i_.flags & (NFGATE_CT_F_ORIGSRCPORT << k)) {
                w.put_u16(port_attr[k], i_.port[k][0]);
                w.put_u16(port_attr[k] + 1, i_.port[k][1]);
            }
        if (i_.flags & NFGATE_CT_F_DIR) w.put_u8(NFGATE_CONNTRACK_A_DIR, i_.dir);
        if (i_.flags & NFGATE_CT_F_EXPIRE) {
            w.put_u32(NFGATE_CONNTRACK_A_EXPIRE_MIN, i_.expire[0]);
            w.put_u32(NFGATE_CONNTRACK_A_EXPIRE_MAX, i_.expire[1]);
        }
        return w.take();
    }

private:
    static std::uint32_t flag_of(int id) {
        switch (id) {
            case O_CTSTATE: return NFGATE_CT_F_STATE;
            case O_CTPROTO: return NFGATE_CT_F_PROTO;
            case O_CTSTATUS: return NFGATE_CT_F_STATUS;
            case O_CTEXPIRE: return NFGATE_CT_F_EXPIRE;
            case O_CTDIR: return NFGATE_CT_F_DIR;
            default:
                if (id >= O_CTORIGSRC && id <= O_CTREPLDST) return NFGATE_CT_F_ORIGSRC << (id - O_CTORIGSRC);
                return NFGATE_CT_F_ORIGSRCPORT << (id - O_CTORIGSRCPORT);
        }
    }
    Info i_;
    std::uint32_t seen_ = 0;
};

class Conntrack final : public ExtKind {
public:
    std::string_view name() const override { return "conntrack"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        dump(decode(data), out, "--", true);
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool numeric) const override {
        dump(decode(data), out, "", numeric);
    }
};

}  // namespace

// INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT order, as iptables.
void ct_print_states(std::string& out, std::uint32_t mask, const char* first_sep) {
    static constexpr std::array<Word, 7> order = {{
        {"INVALID", NFGATE_CT_STATE_INVALID},
        {"NEW", NFGATE_CT_STATE_NEW},
        {"RELATED", NFGATE_CT_STATE_RELATED},
        {"ESTABLISHED", NFGATE_CT_STATE_ESTABLISHED},
        {"UNTRACKED", NFGATE_CT_STATE_UNTRACKED},
        {"SNAT", NFGATE_CT_STATE_SNAT},
        {"DNAT", NFGATE_CT_STATE_DNAT},
    }};
    const char* sep = first_sep;
    for (const auto& w : order)
        if (mask & w.bit) {
            out += std::string(sep) + w.name;
            sep = ",";
        }
}

std::pair<std::uint32_t, std::uint32_t> ct_parse_hostmask(std::string_view arg) {
    auto slash = arg.rfind('/');
    std::string_view host = arg.substr(0, slash);
    std::uint32_t mask = 0xFFFFFFFFU;
    if (slash != std::string_view::npos) mask = parse_address("0.0.0.0/" + std::string(arg.substr(slash + 1))).mask;
    // parse_address() keeps only the bits of its mask; /32 keeps them all.
    std::uint32_t addr = parse_address(std::string(host) + "/32").addr;
    return {addr, mask};
}

const ExtKind& ext_conntrack() {
    static const Conntrack kind;
    return kind;
}

}  // namespace nfgate
