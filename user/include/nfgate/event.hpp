// SPDX-License-Identifier: GPL-2.0
// Change notifications of the "events" multicast group as values: decoding
// one kernel message (the same commands and attributes as requests and
// dumps) and the one-line iptables-syntax text `nfgate monitor` prints.
#pragma once

#include "nfgate/rule.hpp"

#include <linux/netlink.h>

#include <cstdint>
#include <optional>
#include <string>

namespace nfgate {

enum class EventKind {
    new_chain,   // NFGATE_CMD_NEWCHAIN
    del_chain,   // NFGATE_CMD_DELCHAIN
    set_policy,  // NFGATE_CMD_SETPOLICY
    new_rule,    // NFGATE_CMD_NEWRULE
    del_rule,    // NFGATE_CMD_DELRULE
    commit,      // NFGATE_CMD_TXN_COMMIT: end of one transaction's batch
    lost,        // not a kernel message: the socket overran (ENOBUFS)
};

struct Event {
    EventKind kind = EventKind::commit;
    Table table = Table::filter;
    std::string chain;
    Verdict policy = Verdict::none;  // set_policy
    std::uint32_t position = 0;      // new_rule: 1-based, in the committed ruleset
    RuleSpec rule;                   // new_rule / del_rule, with its handle
    std::uint64_t generation = 0;    // the generation the change committed
    std::uint32_t changes = 0;       // commit: change messages in the batch
};

// Decodes one message of the events group; std::nullopt for a command this
// client does not know (newer kernel). Throws Error on a malformed message.
std::optional<Event> parse_event(nlmsghdr* nlh);

// One line, no newline:
//   -N CHAIN | -X CHAIN | -P CHAIN POLICY
//   -I CHAIN POS <rule as iptables-save prints it>   (new rule at POS)
//   -D CHAIN <rule>                                   (deleted rule)
//   # generation G (N changes)                        (commit marker)
//   # events lost (receive buffer overrun): ...       (lost)
// Lines of the mangle, raw and nat tables start with "-t mangle ",
// "-t raw " / "-t nat ".
std::string format_event(const Event& e);

}  // namespace nfgate
