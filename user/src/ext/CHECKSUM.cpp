// SPDX-License-Identifier: GPL-2.0
// "CHECKSUM" target (libxt_CHECKSUM): --checksum-fill, mandatory. The
// kernel allows it in the mangle table only (xt_CHECKSUM).
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

enum { FILL = 1 };

constexpr std::array<ExtOption, 1> options = {{
    {"checksum-fill", 0, FILL},
}};

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view, const ExtParseContext& ctx) override {
        ext_check_option("CHECKSUM", "checksum-fill", seen_, ctx.invert);
        (void)id;
        seen_ = true;
    }
    void finish(const ExtParseContext&) override {
        if (!seen_) throw UsageError("CHECKSUM: option \"--checksum-fill\" must be specified");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u8(NFGATE_CHECKSUM_A_OP, NFGATE_CHECKSUM_OP_FILL);
        return w.take();
    }

private:
    bool seen_ = false;
};

bool fills(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    return a.has(NFGATE_CHECKSUM_A_OP) && (a.u8(NFGATE_CHECKSUM_A_OP) & NFGATE_CHECKSUM_OP_FILL);
}

class Checksum final : public ExtKind {
public:
    std::string_view name() const override { return "CHECKSUM"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        if (fills(data)) out += " --checksum-fill";
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        out += " CHECKSUM";
        if (fills(data)) out += " fill";
    }
};

}  // namespace

const ExtKind& ext_CHECKSUM() {
    static const Checksum kind;
    return kind;
}

}  // namespace nfgate
