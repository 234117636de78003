// SPDX-License-Identifier: GPL-2.0
// Netlink message building and parsing for the nfgate family, in memory
// with libnl's nlmsg/nla API: operations and rules -> requests, dump and
// reply messages -> ChainInfo / RuleEntry, NLMSG_ERROR -> errno + extack.
#pragma once

#include "nfgate/op.hpp"
#include "nfgate/ruleset.hpp"

#include <netlink/msg.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace nfgate {

struct MsgDeleter {
    void operator()(nl_msg* m) const { nlmsg_free(m); }
};
using MsgPtr = std::unique_ptr<nl_msg, MsgDeleter>;

// A generic netlink request of the nfgate family with its genl header.
MsgPtr new_request(int family, std::uint8_t cmd, int flags = 0);

// NFGATE_A_RULE nest for a rule (addresses in network byte order).
void put_rule(nl_msg* msg, const RuleSpec& r);
// Every attribute of a write operation.
void put_op(nl_msg* msg, const Op& op);
MsgPtr encode_op(int family, const Op& op);

// Parses an NFGATE_A_RULE nest; throws Error on malformed input.
RuleSpec parse_rule_attr(nlattr* nest);

struct ChainReply {
    Table table = Table::filter;
    ChainInfo info;
};
ChainReply parse_chain_msg(nlmsghdr* nlh);

struct RuleReply {
    Table table = Table::filter;
    RuleEntry entry;
};
RuleReply parse_rule_msg(nlmsghdr* nlh);

// Top-level scalar replies (NEWRULE handle, GETGEN / TXN_COMMIT).
struct ScalarReply {
    std::optional<std::uint64_t> handle;
    std::optional<std::uint64_t> generation;
    std::optional<std::uint32_t> txn_ops;
};
ScalarReply parse_scalar_reply(nlmsghdr* nlh);

// NLMSG_ERROR contents: error is 0 for an ACK, else a positive errno.
struct AckInfo {
    std::uint32_t seq = 0;
    int error = 0;
    std::string extack;                            // NLMSGERR_ATTR_MSG
    std::optional<std::uint32_t> bad_attr_offset;  // NLMSGERR_ATTR_OFFS
};
AckInfo parse_ack(const nlmsghdr* nlh);

}  // namespace nfgate
