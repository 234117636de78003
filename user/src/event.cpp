// SPDX-License-Identifier: GPL-2.0
// Event decoding (reusing the dump/reply parsers of codec.cpp) and the
// iptables-syntax line of each event (reusing the -S/save formatter).
#include "nfgate/event.hpp"

#include "nfgate/codec.hpp"
#include "nfgate/error.hpp"
#include "nfgate/format.hpp"

#include <netlink/genl/genl.h>

namespace nfgate {

std::optional<Event> parse_event(nlmsghdr* nlh) {
    if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) throw Error("truncated nfgate event from the kernel");
    const auto* g = static_cast<const genlmsghdr*>(nlmsg_data(nlh));
    Event e;
    switch (g->cmd) {
    case NFGATE_CMD_NEWCHAIN:
    case NFGATE_CMD_DELCHAIN:
    case NFGATE_CMD_SETPOLICY: {
        ChainReply c = parse_chain_msg(nlh);
        e.kind = g->cmd == NFGATE_CMD_NEWCHAIN   ? EventKind::new_chain
                 : g->cmd == NFGATE_CMD_DELCHAIN ? EventKind::del_chain
                                                 : EventKind::set_policy;
        e.table = c.table;
        e.chain = std::move(c.info.name);
        e.policy = c.info.policy;
        if (e.kind == EventKind::set_policy && e.policy == Verdict::none)
            throw Error("policy event without a policy from the kernel");
        break;
    }
    case NFGATE_CMD_NEWRULE:
    case NFGATE_CMD_DELRULE: {
        RuleReply r = parse_rule_msg(nlh);
        e.kind = g->cmd == NFGATE_CMD_NEWRULE ? EventKind::new_rule : EventKind::del_rule;
        e.table = r.table;
        e.chain = std::move(r.entry.chain);
        e.position = r.entry.position;
        e.rule = std::move(r.entry.rule);
        if (e.kind == EventKind::new_rule && e.position == 0)
            throw Error("new-rule event without a position from the kernel");
        break;
    }
    case NFGATE_CMD_TXN_COMMIT:
        e.kind = EventKind::commit;
        break;
    default:
        return std::nullopt;
    }
    ScalarReply s = parse_scalar_reply(nlh);
    if (!s.generation) throw Error("nfgate event without a generation from the kernel");
    e.generation = *s.generation;
    e.changes = s.txn_ops.value_or(0);
    return e;
}

std::string format_event(const Event& e) {
    std::string out;
    if (e.kind != EventKind::commit && e.kind != EventKind::lost && e.table != Table::filter)
        out = "-t " + std::string(table_name(e.table)) + " ";
    switch (e.kind) {
    case EventKind::new_chain:
        return out + "-N " + e.chain;
    case EventKind::del_chain:
        return out + "-X " + e.chain;
    case EventKind::set_policy:
        return out + format_policy(e.chain, e.policy);
    case EventKind::new_rule:
    case EventKind::del_rule: {
        // "-A CHAIN<body>": keep the body, change the verb.
        std::string body = format_append(e.chain, e.rule).substr(3 + e.chain.size());
        if (e.kind == EventKind::new_rule)
            return out + "-I " + e.chain + " " + std::to_string(e.position) + body;
        return out + "-D " + e.chain + body;
    }
    case EventKind::commit:
        return "# generation " + std::to_string(e.generation) + " (" + std::to_string(e.changes) +
               (e.changes == 1 ? " change)" : " changes)");
    case EventKind::lost:
        return "# events lost (receive buffer overrun): the ruleset may have changed unseen; "
               "re-read it with nfgate save";
    }
    return out;
}

}  // namespace nfgate
