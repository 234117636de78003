// SPDX-License-Identifier: GPL-2.0
// "mark" match (libxt_mark): [!] --mark VALUE[/MASK].
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

constexpr std::array<ExtOption, 1> options = {{{"mark", 1, 1}}};

void print_mark(std::string& out, std::uint32_t value, std::uint32_t mask) {
    out += " " + hex32(value);
    if (mask != 0xFFFFFFFFU) out += "/" + hex32(mask);
}

class Parser final : public ExtParser {
public:
    void parse(int, std::string_view arg, const ExtParseContext& ctx) override {
        if (seen_) throw UsageError("mark match: \"--mark\" option may only be specified once");
        auto vm = parse_value_mask(arg);
        if (!vm) throw UsageError("mark match: bad value for option \"--mark\", \"" + std::string(arg) + "\"");
        vm_ = *vm;
        invert_ = ctx.invert;
        seen_ = true;
    }
    void finish(const ExtParseContext&) override {
        if (!seen_) throw UsageError("mark match: option \"--mark\" must be specified");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u32(NFGATE_MARK_A_VALUE, vm_.value);
        w.put_u32(NFGATE_MARK_A_MASK, vm_.mask);
        if (invert_) w.put_flag(NFGATE_MARK_A_INV);
        return w.take();
    }

private:
    ValueMask vm_;
    bool invert_ = false;
    bool seen_ = false;
};

class Mark final : public ExtKind {
public:
    std::string_view name() const override { return "mark"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        AttrReader a(data);
        if (a.has(NFGATE_MARK_A_INV)) out += " !";
        out += " --mark";
        print_mark(out, a.u32(NFGATE_MARK_A_VALUE), a.u32(NFGATE_MARK_A_MASK));
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        AttrReader a(data);
        out += " mark match";
        if (a.has(NFGATE_MARK_A_INV)) out += " !";
        print_mark(out, a.u32(NFGATE_MARK_A_VALUE), a.u32(NFGATE_MARK_A_MASK));
    }
};

}  // namespace

const ExtKind& ext_mark() {
    static const Mark kind;
    return kind;
}

}  // namespace nfgate
