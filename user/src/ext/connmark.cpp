// SPDX-License-Identifier: GPL-2.0
// "connmark" match (libxt_connmark, revision 1): [!] --mark VALUE[/MASK].
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

constexpr std::array<ExtOption, 1> options = {{{"mark", 1, 1}}};

std::string value_mask(std::uint32_t value, std::uint32_t mask) {
    std::string s = hex32(value);
    if (mask != 0xFFFFFFFFU) s += "/" + hex32(mask);
    return s;
}

class Parser final : public ExtParser {
public:
    void parse(int, std::string_view arg, const ExtParseContext& ctx) override {
        if (seen_) throw UsageError("connmark: option \"--mark\" can only be used once.");
        auto vm = parse_value_mask(arg);
        if (!vm) throw UsageError("connmark: bad integer value for option \"--mark\", or out of range.");
        vm_ = *vm;
        invert_ = ctx.invert;
        seen_ = true;
    }
    void finish(const ExtParseContext&) override {
        if (!seen_) throw UsageError("connmark: option \"--mark\" must be specified");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u32(NFGATE_CONNMARK_A_VALUE, vm_.value);
        w.put_u32(NFGATE_CONNMARK_A_MASK, vm_.mask);
        if (invert_) w.put_flag(NFGATE_CONNMARK_A_INV);
        return w.take();
    }

private:
    ValueMask vm_;
    bool invert_ = false;
    bool seen_ = false;
};

class Connmark final : public ExtKind {
public:
    std::string_view name() const override { return "connmark"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        AttrReader a(data);
        if (a.has(NFGATE_CONNMARK_A_INV)) out += " !";
        out += " --mark " + value_mask(a.u32(NFGATE_CONNMARK_A_VALUE), a.u32(NFGATE_CONNMARK_A_MASK));
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        AttrReader a(data);
        // libxt_connmark: " connmark match ", then "!" or nothing, then
        // " VALUE[/MASK]": two spaces when not inverted.
        out += " connmark match ";
        if (a.has(NFGATE_CONNMARK_A_INV)) out += "!";
        out += " " + value_mask(a.u32(NFGATE_CONNMARK_A_VALUE), a.u32(NFGATE_CONNMARK_A_MASK));
    }
};

}  // namespace

const ExtKind& ext_connmark() {
    static const Connmark kind;
    return kind;
}

}  // namespace nfgate
