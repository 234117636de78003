// SPDX-License-Identifier: GPL-2.0
// What the fuzz targets do with a rule they obtained (parsed or decoded):
// every formatter and the netlink encoder + decoder, as the CLI would use
// it, so that extension data reaches each kind's save/print code.
#pragma once

#include "nfgate/codec.hpp"
#include "nfgate/error.hpp"
#include "nfgate/format.hpp"
#include "nfgate/json.hpp"
#include "nfgate/listing.hpp"
#include "nfgate/rule.hpp"

#include <linux/nfgate.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <cstdio>
#include <string>

namespace nfgate::fuzz {

// Keeps the formatted text observable so that no call is optimised away.
inline void consume(const std::string& s) {
    volatile std::size_t n = s.size();
    (void)n;
}

inline void exercise_rule(const RuleSpec& r, bool check_round_trip) {
    consume(format_append("INPUT", r, CounterStyle::prefix));
    consume(format_append("INPUT", r, CounterStyle::option));
    consume(list_rule_row(r, 1, ListOptions{true, false, false, true}));
    consume(list_rule_row(r, 1, ListOptions{false, true, true, false}));
    consume(print_rule_verbose(r));
    consume(rule_text(r));
    if (!check_round_trip) return;
    // What put_rule sends must decode to the same rule (the dump of a rule
    // just added): a mismatch is a codec bug, reported as a crash.
    MsgPtr msg = new_request(1, NFGATE_CMD_NEWRULE);
    put_rule(msg.get(), r);
    nlmsghdr* nlh = nlmsg_hdr(msg.get());
    nlattr* tb[NFGATE_A_MAX + 1] = {};
    if (genlmsg_parse(nlh, 0, tb, NFGATE_A_MAX, nullptr) < 0 || !tb[NFGATE_A_RULE]) __builtin_trap();
    RuleSpec back = parse_rule_attr(tb[NFGATE_A_RULE]);
    if (!same_rule(r, back)) {
        std::fprintf(stderr, "round trip changed the rule:\n sent:    %s\n decoded: %s\n",
                     format_append("INPUT", r).c_str(), format_append("INPUT", back).c_str());
        __builtin_trap();
    }
}

}  // namespace nfgate::fuzz
