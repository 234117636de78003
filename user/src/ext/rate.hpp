// SPDX-License-Identifier: GPL-2.0
// What the rate matches (limit.cpp, hashlimit.cpp) share, as libxt_limit.c
// and libxt_hashlimit.c each write it: the unit after "RATE/" and the unit
// a rate is printed in.  The number and its scale stay with each kind
// (limit keeps 1/10000 s in 32 bits, hashlimit 1/1000000 s in 64).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nfgate {

// The seconds in TEXT's unit: "N/second", "N/minute", "N/hour", "N/day",
// each abbreviated to any prefix, any case; 1 without a '/', nullopt for
// an unknown or empty unit.
std::optional<std::uint32_t> rate_unit_seconds(std::string_view text);

struct RateText {
    std::string text;           // " N/sec" (min, hour, day) or " inf"
    std::uint32_t seconds = 0;  // the unit printed; 0 for " inf"
};

// print_rate(): PERIOD (time between packets, SCALE per second) in the
// largest unit that divides it well.
RateText rate_text(std::uint64_t period, std::uint64_t scale);

}  // namespace nfgate
