// SPDX-License-Identifier: GPL-2.0
// Kernel errors -> human messages naming the object, iptables-style:
// "chain 'X' does not exist in table 'filter'", "index of insertion too big",
// "bad rule (does a matching rule exist in that chain?)", plus extack text.
#pragma once

#include "nfgate/op.hpp"

#include <optional>
#include <string>

namespace nfgate {

struct ErrorContext {
    // Whether the op's chain exists, and (rule ops with -j/-g CHAIN)
    // whether the target chain exists; unknown when not looked up.
    std::optional<bool> chain_exists;
    std::optional<bool> target_exists;
};

std::string explain_error(const Op& op, int err, const std::string& extack, const ErrorContext& ctx = {});

}  // namespace nfgate
