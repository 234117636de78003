// SPDX-License-Identifier: GPL-2.0
// "TTL" target (libipt_TTL): exactly one of --ttl-set 0..255, --ttl-dec
// 1..255, --ttl-inc 1..255. The kernel allows it in the mangle table only
// (ipt_TTL, now xt_HL).
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

// option ids in libipt_TTL's table order
enum { SET = 1, DEC, INC };

constexpr std::array<ExtOption, 3> options = {{
    {"ttl-set", 1, SET},
    {"ttl-dec", 1, DEC},
    {"ttl-inc", 1, INC},
}};

std::string opt_name(int id) { return std::string(options[static_cast<std::size_t>(id - 1)].name); }

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        const std::string opt = opt_name(id);
        ext_check_option("TTL", opt, seen_ & (1U << id), ctx.invert);
        seen_ |= 1U << id;
        std::uint64_t min = id == SET ? 0 : 1;
        auto n = parse_uint(arg, min, 255);
        if (!n)
            throw UsageError("TTL: bad value for option \"--" + opt + "\", or out of range (" + std::to_string(min) +
                             "-255).");
        value_ = static_cast<std::uint8_t>(*n);
        mode_ = id == SET ? NFGATE_TTL_TG_SET : id == DEC ? NFGATE_TTL_TG_DEC : NFGATE_TTL_TG_INC;
    }
    void finish(const ExtParseContext&) override {
        // xtables_options_fcheck(): each option excludes the others
        for (int o = SET; o <= INC; ++o) {
            if (!(seen_ & (1U << o))) continue;
            for (int i : {SET, INC, DEC})  // libipt_TTL's ids
                if (i != o && (seen_ & (1U << i)))
                    throw UsageError("TTL: option \"--" + opt_name(o) + "\" cannot be used together with \"--" +
                                     opt_name(i) + "\".");
        }
        if (!seen_) throw UsageError("TTL: You must specify an action");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u8(NFGATE_TTL_TG_A_MODE, mode_);
        w.put_u8(NFGATE_TTL_TG_A_VALUE, value_);
        return w.take();
    }

private:
    std::uint8_t mode_ = NFGATE_TTL_TG_SET, value_ = 0;
    unsigned seen_ = 0;
};

struct Ttl {
    std::uint8_t mode, value;
};

Ttl read_ttl(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    return {a.has(NFGATE_TTL_TG_A_MODE) ? a.u8(NFGATE_TTL_TG_A_MODE) : std::uint8_t{NFGATE_TTL_TG_SET},
            a.has(NFGATE_TTL_TG_A_VALUE) ? a.u8(NFGATE_TTL_TG_A_VALUE) : std::uint8_t{0}};
}

class TtlKind final : public ExtKind {
public:
    std::string_view name() const override { return "TTL"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        Ttl t = read_ttl(data);
        switch (t.mode) {
            case NFGATE_TTL_TG_SET: out += " --ttl-set"; break;
            case NFGATE_TTL_TG_DEC: out += " --ttl-dec"; break;
            case NFGATE_TTL_TG_INC: out += " --ttl-inc"; break;
            default: break;
        }
        out += " " + std::to_string(t.value);
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        Ttl t = read_ttl(data);
        out += " TTL ";
        switch (t.mode) {
            case NFGATE_TTL_TG_SET: out += "set to"; break;
            case NFGATE_TTL_TG_DEC: out += "decrement by"; break;
            case NFGATE_TTL_TG_INC: out += "increment by"; break;
            default: break;
        }
        out += " " + std::to_string(t.value);
    }
};

}  // namespace

const ExtKind& ext_TTL() {
    static const TtlKind kind;
    return kind;
}

}  // namespace nfgate
