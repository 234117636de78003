// SPDX-License-Identifier: GPL-2.0
// "TCPMSS" target (libxt_TCPMSS): --set-mss N (0..65515, 65535 minus the
// IPv4 header) or --clamp-mss-to-pmtu; given both, the last one wins, as
// in iptables 1.8.9 (it stores both in one field). The kernel's checks
// (-p tcp, a tcp match needing SYN, clamping only from FORWARD, OUTPUT and
// POSTROUTING) are xt_TCPMSS's, also in the ruleset model.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

enum { SET_MSS = 1, CLAMP };

constexpr std::array<ExtOption, 2> options = {{
    {"set-mss", 1, SET_MSS},
    {"clamp-mss-to-pmtu", 0, CLAMP},
}};

constexpr std::uint64_t max_mss = 65535 - 20;  // UINT16_MAX - sizeof(struct iphdr)

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        const std::string opt(options[static_cast<std::size_t>(id - 1)].name);
        ext_check_option("TCPMSS", opt, seen_ & (1U << id), ctx.invert);
        seen_ |= 1U << id;
        if (id == SET_MSS) {
            auto n = parse_uint(arg, 0, max_mss);
            if (!n)
                throw UsageError("TCPMSS: bad value for option \"--set-mss\", or out of range (0-" +
                                 std::to_string(max_mss) + ").");
            mss_ = static_cast<std::uint16_t>(*n);
        } else {
            mss_ = NFGATE_TCPMSS_CLAMP_PMTU;
        }
    }
    void finish(const ExtParseContext&) override {
        if (!seen_) throw UsageError("TCPMSS target: At least one parameter is required");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u16(NFGATE_TCPMSS_A_MSS, mss_);
        return w.take();
    }

private:
    std::uint16_t mss_ = 0;
    unsigned seen_ = 0;
};

std::uint16_t mss_of(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    return a.has(NFGATE_TCPMSS_A_MSS) ? a.u16(NFGATE_TCPMSS_A_MSS) : 0;
}

class Tcpmss final : public ExtKind {
public:
    std::string_view name() const override { return "TCPMSS"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        std::uint16_t mss = mss_of(data);
        if (mss == NFGATE_TCPMSS_CLAMP_PMTU)
            out += " --clamp-mss-to-pmtu";
        else
            out += " --set-mss " + std::to_string(mss);
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        std::uint16_t mss = mss_of(data);
        if (mss == NFGATE_TCPMSS_CLAMP_PMTU)
            out += " TCPMSS clamp to PMTU";
        else
            out += " TCPMSS set " + std::to_string(mss);
    }
};

}  // namespace

const ExtKind& ext_TCPMSS() {
    static const Tcpmss kind;
    return kind;
}

}  // namespace nfgate
