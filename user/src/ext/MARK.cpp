// SPDX-License-Identifier: GPL-2.0
// "MARK" target (libxt_MARK, revision 2): --set-xmark, --set-mark,
// --and-mark, --or-mark, --xor-mark, all sent as (VALUE, MASK) with
// mark = (mark & ~MASK) ^ VALUE; saved as --set-xmark as iptables does.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

enum { SET_XMARK = 1, SET_MARK, AND_MARK, OR_MARK, XOR_MARK };

constexpr std::array<ExtOption, 5> options = {{
    {"set-xmark", 1, SET_XMARK},
    {"set-mark", 1, SET_MARK},
    {"and-mark", 1, AND_MARK},
    {"or-mark", 1, OR_MARK},
    {"xor-mark", 1, XOR_MARK},
}};

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        if (ctx.invert) throw UsageError("MARK: unexpected \"!\"");
        if (seen_) throw UsageError("MARK target: Can't specify --set-xmark, --set-mark, --and-mark, --or-mark or --xor-mark twice");
        seen_ = true;
        const std::string opt = "--" + std::string(options[static_cast<std::size_t>(id - 1)].name);
        if (id == SET_XMARK || id == SET_MARK) {
            auto vm = parse_value_mask(arg);
            if (!vm) throw UsageError("MARK: bad value for option \"" + opt + "\", \"" + std::string(arg) + "\"");
            value_ = vm->value;
            mask_ = id == SET_XMARK ? vm->mask : vm->value | vm->mask;
            return;
        }
        auto v = parse_uint(arg, 0, UINT32_MAX);
        if (!v) throw UsageError("MARK: bad value for option \"" + opt + "\", \"" + std::string(arg) + "\"");
        auto u = static_cast<std::uint32_t>(*v);
        if (id == AND_MARK) {
            value_ = 0;
            mask_ = ~u;
        } else if (id == OR_MARK) {
            value_ = mask_ = u;
        } else {
            value_ = u;
            mask_ = 0;
        }
    }
    void finish(const ExtParseContext&) override {
        if (!seen_)
            throw UsageError("MARK target: Parameter --set/and/or/xor-mark is required");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u32(NFGATE_XMARK_A_VALUE, value_);
        w.put_u32(NFGATE_XMARK_A_MASK, mask_);
        return w.take();
    }

private:
    std::uint32_t value_ = 0, mask_ = 0;
    bool seen_ = false;
};

class MarkTarget final : public ExtKind {
public:
    std::string_view name() const override { return "MARK"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        AttrReader a(data);
        out += " --set-xmark " + hex32(a.u32(NFGATE_XMARK_A_VALUE)) + "/" + hex32(a.u32(NFGATE_XMARK_A_MASK));
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        AttrReader a(data);
        std::uint32_t value = a.u32(NFGATE_XMARK_A_VALUE), mask = a.u32(NFGATE_XMARK_A_MASK);
        if (value == 0)
            out += " MARK and " + hex32(~mask);
        else if (value == mask)
            out += " MARK or " + hex32(value);
        else if (mask == 0)
            out += " MARK xor " + hex32(value);
        else if (mask == 0xFFFFFFFFU)
            out += " MARK set " + hex32(value);
        else
            out += " MARK xset " + hex32(value) + "/" + hex32(mask);
    }
};

}  // namespace

const ExtKind& ext_MARK() {
    static const MarkTarget kind;
    return kind;
}

}  // namespace nfgate
