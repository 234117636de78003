// SPDX-License-Identifier: GPL-2.0
// "limit" match (libxt_limit): --limit RATE[/second|/minute|/hour|/day]
// (default 3/hour), --limit-burst N (default 5, at most 10000); the rate is
// sent as iptables keeps it, the time between packets in 1/10000 s.
#include "ext/kinds.hpp"
#include "ext/rate.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>
#include <cctype>

namespace nfgate {

namespace {

enum { LIMIT = 1, BURST };
constexpr std::uint32_t default_burst = 5;

constexpr std::array<ExtOption, 2> options = {{
    {"limit", 1, LIMIT},
    {"limit-burst", 1, BURST},
}};

// libxt_limit's parse_rate(): atoi() of the number, a unit abbreviated
// to any prefix (case-insensitive), seconds by default.
std::optional<std::uint32_t> parse_rate(std::string_view text) {
    auto mult = rate_unit_seconds(text);
    if (!mult) return std::nullopt;
    std::uint64_t r = 0;
    std::size_t i = 0;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && r < 0x100000000ULL; ++i)
        r = r * 10 + static_cast<unsigned>(text[i] - '0');
    if (r == 0 || r > 0x7FFFFFFF) return std::nullopt;
    std::uint64_t avg = std::uint64_t{NFGATE_LIMIT_SCALE} * *mult / r;
    if (avg == 0) throw UsageError("Rate too fast \"" + std::string(text) + "\"");
    return static_cast<std::uint32_t>(avg);
}

// libxt_limit's print_rate().
std::string format_rate(std::uint32_t period) {
    return rate_text(period, NFGATE_LIMIT_SCALE).text;
}

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        const char* opt = id == LIMIT ? "limit" : "limit-burst";
        if (ctx.invert) throw UsageError(std::string("limit: option \"--") + opt + "\" cannot be inverted.");
        unsigned bit = id == LIMIT ? 1U : 2U;
        if (seen_ & bit) throw UsageError(std::string("limit: option \"--") + opt + "\" can only be used once.");
        seen_ |= bit;
        if (id == LIMIT) {
            auto avg = parse_rate(arg);
            if (!avg) throw UsageError("bad rate \"" + std::string(arg) + "\"'");
            avg_ = *avg;
            return;
        }
        auto b = parse_uint(arg, 0, NFGATE_LIMIT_MAX_BURST);
        if (!b)
            throw UsageError("limit: bad value for option \"--limit-burst\", or out of range (0-" +
                             std::to_string(NFGATE_LIMIT_MAX_BURST) + ").");
        burst_ = static_cast<std::uint32_t>(*b);
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u32(NFGATE_LIMIT_A_AVG, avg_);
        w.put_u32(NFGATE_LIMIT_A_BURST, burst_);
        return w.take();
    }

private:
    std::uint32_t avg_ = NFGATE_LIMIT_SCALE * 60 * 60 / 3;  // 3/hour
    std::uint32_t burst_ = default_burst;
    unsigned seen_ = 0;
};

class Limit final : public ExtKind {
public:
    std::string_view name() const override { return "limit"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        AttrReader a(data);
        out += " --limit" + format_rate(a.u32(NFGATE_LIMIT_A_AVG));
        if (a.u32(NFGATE_LIMIT_A_BURST) != default_burst)
            out += " --limit-burst " + std::to_string(a.u32(NFGATE_LIMIT_A_BURST));
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        AttrReader a(data);
        out += " limit: avg" + format_rate(a.u32(NFGATE_LIMIT_A_AVG)) + " burst " +
               std::to_string(a.u32(NFGATE_LIMIT_A_BURST));
    }
};

}  // namespace

const ExtKind& ext_limit() {
    static const Limit kind;
    return kind;
}

}  // namespace nfgate
