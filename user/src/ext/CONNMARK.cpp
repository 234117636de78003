// SPDX-License-Identifier: GPL-2.0
// "CONNMARK" target (libxt_CONNMARK, revision 1 semantics; iptables 1.8.9
// sends revision 2, which saves the same without shifts): --set-xmark,
// --set-mark, --and-mark, --or-mark, --xor-mark, --save-mark,
// --restore-mark, --ctmask, --nfmask, --mask.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

// libxt_CONNMARK's option ids (their bit in the exclusion masks).
enum {
    O_SET_MARK = 0,
    O_SAVE_MARK,
    O_RESTORE_MARK,
    O_AND_MARK,
    O_OR_MARK,
    O_XOR_MARK,
    O_SET_XMARK = 8,
    O_CTMASK,
    O_NFMASK,
    O_MASK,
};
constexpr unsigned F_OP_ANY = 1U << O_SET_MARK | 1U << O_SAVE_MARK | 1U << O_RESTORE_MARK | 1U << O_AND_MARK |
                              1U << O_OR_MARK | 1U << O_XOR_MARK | 1U << O_SET_XMARK;

// ExtOption ids are these + 1 (0 is not an id).
constexpr std::array<ExtOption, 10> options = {{
    {"set-xmark", 1, O_SET_XMARK + 1},
    {"set-mark", 1, O_SET_MARK + 1},
    {"and-mark", 1, O_AND_MARK + 1},
    {"or-mark", 1, O_OR_MARK + 1},
    {"xor-mark", 1, O_XOR_MARK + 1},
    {"save-mark", 0, O_SAVE_MARK + 1},
    {"restore-mark", 0, O_RESTORE_MARK + 1},
    {"ctmask", 1, O_CTMASK + 1},
    {"nfmask", 1, O_NFMASK + 1},
    {"mask", 1, O_MASK + 1},
}};

unsigned excl_of(int o) {
    if (o == O_CTMASK || o == O_NFMASK) return 1U << O_MASK;
    if (o == O_MASK) return 1U << O_CTMASK | 1U << O_NFMASK;
    return F_OP_ANY;
}

std::string opt_name(int o) {
    for (const auto& x : options)
        if (x.id == o + 1) return std::string(x.name);
    return "";
}

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        int o = id - 1;
        std::string name = opt_name(o);
        ext_check_option("CONNMARK", name, xflags_ & (1U << o), ctx.invert);
        auto u32 = [&] {
            auto v = parse_uint(arg, 0, UINT32_MAX);
            if (!v) throw UsageError("CONNMARK: bad value for option \"--" + name + "\", or out of range (0-4294967295).");
            return static_cast<std::uint32_t>(*v);
        };
        auto markmask = [&] {
            auto vm = parse_value_mask(arg);
            if (!vm) throw UsageError("CONNMARK: bad value for option \"--" + name + "\", or out of range (0-4294967295).");
            return *vm;
        };
        switch (o) {
            case O_SET_XMARK: {
                auto vm = markmask();
                mode_ = NFGATE_CONNMARK_SET;
                ctmark_ = vm.value;
                ctmask_ = vm.mask;
                break;
            }
            case O_SET_MARK: {
                auto vm = markmask();
                mode_ = NFGATE_CONNMARK_SET;
                ctmark_ = vm.value;
                ctmask_ = vm.value | vm.mask;
                break;
            }
            case O_AND_MARK:
                mode_ = NFGATE_CONNMARK_SET;
                ctmark_ = 0;
                ctmask_ = ~u32();
                break;
            case O_OR_MARK:
                mode_ = NFGATE_CONNMARK_SET;
                ctmark_ = ctmask_ = u32();
                break;
            case O_XOR_MARK:
                mode_ = NFGATE_CONNMARK_SET;
                ctmark_ = u32();
                ctmask_ = 0;
                break;
            case O_SAVE_MARK:
                mode_ = NFGATE_CONNMARK_SAVE;
                break;
            case O_RESTORE_MARK:
                mode_ = NFGATE_CONNMARK_RESTORE;
                break;
            case O_CTMASK:
                ctmask_ = u32();
                break;
            case O_NFMASK:
                nfmask_ = u32();
                break;
            case O_MASK:
                ctmask_ = nfmask_ = u32();
                break;
        }
        xflags_ |= 1U << o;
    }
    void finish(const ExtParseContext&) override {
        if (!(xflags_ & F_OP_ANY)) throw UsageError("CONNMARK target: No operation specified");
        // xtables_options_fcheck(): in table order, each option against
        // the others by id.
        for (const auto& e : options) {
            int o = e.id - 1;
            if (!(xflags_ & (1U << o))) continue;
            for (int i = 0; i < 32; ++i)
                if (i != o && (excl_of(o) & xflags_ & (1U << i)))
                    throw UsageError("CONNMARK: option \"--" + std::string(e.name) +
                                     "\" cannot be used together with \"--" + opt_name(i) + "\".");
        }
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u8(NFGATE_XCONNMARK_A_MODE, mode_);
        w.put_u32(NFGATE_XCONNMARK_A_CTMARK, ctmark_);
        w.put_u32(NFGATE_XCONNMARK_A_CTMASK, ctmask_);
        w.put_u32(NFGATE_XCONNMARK_A_NFMASK, nfmask_);
        return w.take();
    }

private:
    std::uint8_t mode_ = NFGATE_CONNMARK_SET;
    std::uint32_t ctmark_ = 0, ctmask_ = 0xFFFFFFFFU, nfmask_ = 0xFFFFFFFFU;
    unsigned xflags_ = 0;
};

class ConnmarkTarget final : public ExtKind {
public:
    std::string_view name() const override { return "CONNMARK"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        AttrReader a(data);
        std::uint32_t ctmark = a.u32(NFGATE_XCONNMARK_A_CTMARK), ctmask = a.u32(NFGATE_XCONNMARK_A_CTMASK),
                      nfmask = a.u32(NFGATE_XCONNMARK_A_NFMASK);
        switch (a.u8(NFGATE_XCONNMARK_A_MODE)) {
            case NFGATE_CONNMARK_SET:
                out += " --set-xmark " + hex32(ctmark) + "/" + hex32(ctmask);
                break;
            case NFGATE_CONNMARK_SAVE:
                out += " --save-mark --nfmask " + hex32(nfmask) + " --ctmask " + hex32(ctmask);
                break;
            case NFGATE_CONNMARK_RESTORE:
                out += " --restore-mark --nfmask " + hex32(nfmask) + " --ctmask " + hex32(ctmask);
                break;
            default:
                out += " ERROR: UNKNOWN CONNMARK MODE";
        }
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        AttrReader a(data);
        std::uint32_t ctmark = a.u32(NFGATE_XCONNMARK_A_CTMARK), ctmask = a.u32(NFGATE_XCONNMARK_A_CTMASK),
                      nfmask = a.u32(NFGATE_XCONNMARK_A_NFMASK);
        switch (a.u8(NFGATE_XCONNMARK_A_MODE)) {
            case NFGATE_CONNMARK_SET:
                if (ctmark == 0)
                    out += " CONNMARK and " + hex32(~ctmask);
                else if (ctmark == ctmask)
                    out += " CONNMARK or " + hex32(ctmark);
                else if (ctmask == 0)
                    out += " CONNMARK xor " + hex32(ctmark);
                else if (ctmask == 0xFFFFFFFFU)
                    out += " CONNMARK set " + hex32(ctmark);
                else
                    out += " CONNMARK xset " + hex32(ctmark) + "/" + hex32(ctmask);
                break;
            case NFGATE_CONNMARK_SAVE:
                if (nfmask == 0xFFFFFFFFU && ctmask == 0xFFFFFFFFU)
                    out += " CONNMARK save";
                else if (nfmask == ctmask)
                    out += " CONNMARK save mask " + hex32(nfmask);
                else
                    out += " CONNMARK save nfmask " + hex32(nfmask) + " ctmask ~" + hex32(ctmask);
                break;
            case NFGATE_CONNMARK_RESTORE:
                if (ctmask == 0xFFFFFFFFU && nfmask == 0xFFFFFFFFU)
                    out += " CONNMARK restore";
                else if (ctmask == nfmask)
                    out += " CONNMARK restore mask " + hex32(ctmask);
                else
                    out += " CONNMARK restore ctmask " + hex32(ctmask) + " nfmask ~" + hex32(nfmask);
                break;
            default:
                out += " ERROR: UNKNOWN CONNMARK MODE";
        }
    }
};

}  // namespace

const ExtKind& ext_CONNMARK() {
    static const ConnmarkTarget kind;
    return kind;
}

}  // namespace nfgate
