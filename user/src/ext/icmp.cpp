// SPDX-License-Identifier: GPL-2.0
// "icmp" match (libipt_icmp, iptables 1.8.9): [!] --icmp-type
// TYPE[/CODE] or a name of iptables' table (prefixes allowed, "any" for
// every type), loaded by -m icmp or implicitly by -p icmp --icmp-type.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/rule.hpp"

#include <linux/nfgate.h>
#include <strings.h>

#include <array>
#include <cerrno>
#include <cstdlib>

namespace nfgate {

namespace {

constexpr std::array<ExtOption, 1> options = {{{"icmp-type", 1, 1}}};

struct IcmpName {
    std::string_view name;
    std::uint8_t type, code_min, code_max;
};

// libxt_icmp.h's icmp_codes, in its order (the first exact entry names a
// type/code range in -L).
constexpr std::array<IcmpName, 40> icmp_codes = {{
    {"any", 0xFF, 0, 0xFF},
    {"echo-reply", 0, 0, 0xFF},
    {"pong", 0, 0, 0xFF},
    {"destination-unreachable", 3, 0, 0xFF},
    {"network-unreachable", 3, 0, 0},
    {"host-unreachable", 3, 1, 1},
    {"protocol-unreachable", 3, 2, 2},
    {"port-unreachable", 3, 3, 3},
    {"fragmentation-needed", 3, 4, 4},
    {"source-route-failed", 3, 5, 5},
    {"network-unknown", 3, 6, 6},
    {"host-unknown", 3, 7, 7},
    {"network-prohibited", 3, 9, 9},
    {"host-prohibited", 3, 10, 10},
    {"TOS-network-unreachable", 3, 11, 11},
    {"TOS-host-unreachable", 3, 12, 12},
    {"communication-prohibited", 3, 13, 13},
    {"host-precedence-violation", 3, 14, 14},
    {"precedence-cutoff", 3, 15, 15},
    {"source-quench", 4, 0, 0xFF},
    {"redirect", 5, 0, 0xFF},
    {"network-redirect", 5, 0, 0},
    {"host-redirect", 5, 1, 1},
    {"TOS-network-redirect", 5, 2, 2},
    {"TOS-host-redirect", 5, 3, 3},
    {"echo-request", 8, 0, 0xFF},
    {"ping", 8, 0, 0xFF},
    {"router-advertisement", 9, 0, 0xFF},
    {"router-solicitation", 10, 0, 0xFF},
    {"time-exceeded", 11, 0, 0xFF},
    {"ttl-exceeded", 11, 0, 0xFF},
    {"ttl-zero-during-transit", 11, 0, 0},
    {"ttl-zero-during-reassembly", 11, 1, 1},
    {"parameter-problem", 12, 0, 0xFF},
    {"ip-header-bad", 12, 0, 0},
    {"required-option-missing", 12, 1, 1},
    {"timestamp-request", 13, 0, 0xFF},
    {"timestamp-reply", 14, 0, 0xFF},
    {"address-mask-request", 17, 0, 0xFF},
    {"address-mask-reply", 18, 0, 0xFF},
}};

// xtables_strtoui(s, &end, 0, 255) of parse_range(): a number (base 0,
// no sign), optionally ":NUMBER"; returns the rest, or nullopt.
std::optional<std::string_view> parse_range(std::string_view s, unsigned res[2]) {
    auto number = [](std::string_view& t, unsigned& v) {
        std::string z(t);
        const char* p = z.c_str();
        while (*p == ' ' || (*p >= '\t' && *p <= '\r')) ++p;
        if (*p == '-') return false;
        char* end = nullptr;
        errno = 0;
        unsigned long long n = std::strtoull(z.c_str(), &end, 0);
        if (end == z.c_str() || errno == ERANGE || n > 255) return false;
        v = static_cast<unsigned>(n);
        t.remove_prefix(static_cast<std::size_t>(end - z.c_str()));
        return true;
    };
    if (!number(s, res[0])) return std::nullopt;
    res[1] = res[0];
    if (!s.empty() && s[0] == ':') {
        s.remove_prefix(1);
        if (!number(s, res[1])) return std::nullopt;
    }
    return s;
}

class Parser final : public ExtParser {
public:
    void parse(int, std::string_view arg, const ExtParseContext& ctx) override {
        if (seen_) throw UsageError("icmp: option \"--icmp-type\" can only be used once.");
        parse_icmp(arg);
        invert_ = ctx.invert;
        seen_ = true;
    }
    void finish(const ExtParseContext& ctx) override {
        if (!seen_) throw UsageError("icmp: option \"--icmp-type\" must be specified");
        // iptables' kernel refuses it (xt_icmp's .proto); say why here.
        if (!ctx.rule.proto || ctx.rule.proto->num != 1 || ctx.rule.proto->invert)
            throw UsageError("icmp match: only valid for protocol 1 (use -p icmp, not inverted)");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u8(NFGATE_ICMP_A_TYPE, type_);
        w.put_u8(NFGATE_ICMP_A_CODE_MIN, code_[0]);
        w.put_u8(NFGATE_ICMP_A_CODE_MAX, code_[1]);
        if (invert_) w.put_flag(NFGATE_ICMP_A_INV);
        return w.take();
    }

private:
    // __parse_icmp() then __ipt_parse_icmp()'s single-type check.
    void parse_icmp(std::string_view text) {
        const IcmpName* match = nullptr;
        for (const auto& c : icmp_codes) {
            if (text.size() > c.name.size() ||
                strncasecmp(c.name.data(), std::string(text).c_str(), text.size()) != 0)
                continue;
            if (match)
                throw UsageError("Ambiguous ICMP type `" + std::string(text) + "': `" + std::string(match->name) +
                                 "' or `" + std::string(c.name) + "'?");
            match = &c;
        }
        if (match) {
            type_ = match->type;
            code_ = {match->code_min, match->code_max};
            return;
        }
        unsigned number[2];
        auto next = parse_range(text, number);
        if (!next) throw UsageError("Unknown ICMP type `" + std::string(text) + "'");
        unsigned types[2] = {number[0], number[1]};
        if (next->empty()) {
            code_ = {0, 255};
        } else if ((*next)[0] == '/') {
            auto rest = parse_range(next->substr(1), number);
            if (!rest) throw UsageError("Unknown ICMP code `" + std::string(text) + "'");
            code_ = {static_cast<std::uint8_t>(number[0]), static_cast<std::uint8_t>(number[1])};
            if (!rest->empty()) throw UsageError(std::string("unknown character ") + (*rest)[0]);
        } else {
            throw UsageError(std::string("unknown character ") + (*next)[0]);
        }
        if (types[0] != types[1]) throw UsageError("ICMP type range not supported");
        type_ = static_cast<std::uint8_t>(types[0]);
    }

    std::uint8_t type_ = 0xFF;
    std::array<std::uint8_t, 2> code_ = {0, 0xFF};
    bool invert_ = false;
    bool seen_ = false;
};

class Icmp final : public ExtKind {
public:
    std::string_view name() const override { return "icmp"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        AttrReader a(data);
        if (a.has(NFGATE_ICMP_A_INV)) out += " !";
        std::uint8_t type = a.u8(NFGATE_ICMP_A_TYPE);
        std::uint8_t cmin = a.u8(NFGATE_ICMP_A_CODE_MIN), cmax = a.u8(NFGATE_ICMP_A_CODE_MAX);
        // "any" is type 255 with every code; 255/255 is not (iptables
        // 1.8.10 stopped saving it as "any", which hid the rule).
        if (type == 0xFF && cmin == 0 && cmax == 0xFF) {
            out += " --icmp-type any";
            return;
        }
        out += " --icmp-type " + std::to_string(type);
        if (cmin != 0 || cmax != 0xFF) out += "/" + std::to_string(cmin);
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool numeric) const override {
        AttrReader a(data);
        bool inv = a.has(NFGATE_ICMP_A_INV);
        std::uint8_t type = a.u8(NFGATE_ICMP_A_TYPE);
        std::uint8_t cmin = a.u8(NFGATE_ICMP_A_CODE_MIN), cmax = a.u8(NFGATE_ICMP_A_CODE_MAX);
        out += " icmp";
        if (!numeric) {
            for (const auto& c : icmp_codes)
                if (c.type == type && c.code_min == cmin && c.code_max == cmax) {
                    out += std::string(" ") + (inv ? "!" : "") + std::string(c.name);
                    return;
                }
        }
        // iptables prints "type" right after " icmp": " icmptype 8".
        if (inv) out += " !";
        out += "type " + std::to_string(type);
        if (cmin == cmax)
            out += " code " + std::to_string(cmin);
        else if (cmin != 0 || cmax != 0xFF)
            out += " codes " + std::to_string(cmin) + "-" + std::to_string(cmax);
    }
};

}  // namespace

const ExtKind& ext_icmp() {
    static const Icmp kind;
    return kind;
}

}  // namespace nfgate
