// SPDX-License-Identifier: GPL-2.0
// "ttl" match (libipt_ttl): --ttl-lt N, --ttl-gt N, [!] --ttl-eq N (and
// --ttl N, an old spelling of --ttl-eq that cannot be inverted); exactly
// one of them, N an XTTYPE_UINT8.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

// ids as libipt_ttl's table: O_TTL_EQ 0, O_TTL_LT 1, O_TTL_GT 2 (plus 1)
enum { EQ = 1, LT, GT, TTL };

constexpr std::array<ExtOption, 4> options = {{
    {"ttl-lt", 1, LT},
    {"ttl-gt", 1, GT},
    {"ttl-eq", 1, EQ},
    {"ttl", 1, TTL},
}};

// The option's canonical name by xtables id (the first entry with it).
const char* canonical(int id) { return id == EQ ? "ttl-eq" : id == LT ? "ttl-lt" : "ttl-gt"; }

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        const std::string opt(options[id == TTL ? 3 : id == EQ ? 2 : static_cast<std::size_t>(id - LT)].name);
        const int xid = id == TTL ? EQ : id;  // --ttl is --ttl-eq's id
        ext_check_option("ttl", opt, seen_ & (1U << xid), ctx.invert, id == EQ);
        auto v = parse_uint(arg, 0, 255);
        if (!v) throw UsageError("ttl: bad value for option \"--" + opt + "\", or out of range (0-255).");
        seen_ |= 1U << xid;
        value_ = static_cast<std::uint8_t>(*v);
        mode_ = xid == EQ ? (ctx.invert ? NFGATE_TTL_NE : NFGATE_TTL_EQ) : xid == LT ? NFGATE_TTL_LT : NFGATE_TTL_GT;
    }
    void finish(const ExtParseContext&) override {
        // xtables_options_fcheck(): the first set option in table order
        // (lt, gt, eq) against the first other one in id order (eq, lt, gt)
        for (int e : {LT, GT, EQ}) {
            if (!(seen_ & (1U << e))) continue;
            for (int o : {EQ, LT, GT})
                if (o != e && (seen_ & (1U << o)))
                    throw UsageError(std::string("ttl: option \"--") + canonical(e) +
                                     "\" cannot be used together with \"--" + canonical(o) + "\".");
        }
        if (!seen_) throw UsageError("TTL match: You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u8(NFGATE_TTL_A_MODE, mode_);
        w.put_u8(NFGATE_TTL_A_VALUE, value_);
        return w.take();
    }

private:
    std::uint8_t mode_ = NFGATE_TTL_EQ, value_ = 0;
    unsigned seen_ = 0;
};

class Ttl final : public ExtKind {
public:
    std::string_view name() const override { return "ttl"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        AttrReader a(data);
        static constexpr std::array<const char*, 4> opt = {" --ttl-eq", " ! --ttl-eq", " --ttl-lt", " --ttl-gt"};
        auto mode = a.u8(NFGATE_TTL_A_MODE);
        if (mode < opt.size()) out += opt[mode];
        out += " " + std::to_string(a.u8(NFGATE_TTL_A_VALUE));
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        AttrReader a(data);
        static constexpr std::array<const char*, 4> op = {"TTL ==", "TTL !=", "TTL <", "TTL >"};
        auto mode = a.u8(NFGATE_TTL_A_MODE);
        out += " TTL match ";
        if (mode < op.size()) out += op[mode];
        out += " " + std::to_string(a.u8(NFGATE_TTL_A_VALUE));
    }
};

}  // namespace

const ExtKind& ext_ttl() {
    static const Ttl kind;
    return kind;
}

}  // namespace nfgate
