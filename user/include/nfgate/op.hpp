// SPDX-License-Identifier: GPL-2.0
// One write operation of the nfgate protocol (NEWCHAIN .. ZERO) as a value:
// what commands and restore blocks are planned into and what the client
// sends, one netlink request each.
#pragma once

#include "nfgate/rule.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace nfgate {

enum class OpKind {
    new_chain,
    del_chain,
    flush,
    set_policy,
    new_rule,
    del_rule,
    replace_rule,
    zero,
};

struct Op {
    OpKind kind = OpKind::new_chain;
    Table table = Table::filter;
    std::string chain;  // empty: every chain (del_chain, flush, zero)
    std::optional<RuleSpec> rule;
    std::optional<std::uint32_t> position;
    std::optional<std::uint64_t> handle;
    Verdict policy = Verdict::none;    // set_policy
    std::optional<Counters> counters;  // set_policy counters
    int line = 0;                      // restore input line, 0 when none
};

// NFGATE_CMD_* of an operation.
std::uint8_t op_command(OpKind k);

}  // namespace nfgate
