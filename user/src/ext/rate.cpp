// SPDX-License-Identifier: GPL-2.0
// Rate units for limit and hashlimit (see rate.hpp).
#include "ext/rate.hpp"

#include <strings.h>
#include <array>

namespace nfgate {

namespace {

struct Unit {
    const char* parsed;   // the word parse_rate() takes a prefix of
    const char* printed;  // the word print_rate() writes
    std::uint32_t seconds;
};

// Largest first: rate_text() picks from the top.
constexpr std::array<Unit, 4> units = {{
    {"day", "day", 24 * 60 * 60},
    {"hour", "hour", 60 * 60},
    {"minute", "min", 60},
    {"second", "sec", 1},
}};

}  // namespace

std::optional<std::uint32_t> rate_unit_seconds(std::string_view text) {
    auto slash = text.find('/');
    if (slash == std::string_view::npos) return 1;
    std::string unit(text.substr(slash + 1));
    if (unit.empty()) return std::nullopt;
    // libxt's order of tests: second, minute, hour, day ("m" is minute).
    for (auto u = units.rbegin(); u != units.rend(); ++u)
        if (strncasecmp(unit.c_str(), u->parsed, unit.size()) == 0) return u->seconds;
    return std::nullopt;
}

RateText rate_text(std::uint64_t period, std::uint64_t scale) {
    if (period == 0) return {" inf", 0};
    std::size_t i = 1;
    for (; i < units.size(); ++i) {
        std::uint64_t mult = scale * units[i].seconds;
        if (period > mult || mult / period < mult % period) break;
    }
    const Unit& u = units[i - 1];
    return {" " + std::to_string(scale * u.seconds / period) + "/" + u.printed, u.seconds};
}

}  // namespace nfgate
