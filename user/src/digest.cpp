// SPDX-License-Identifier: GPL-2.0
// Rule and chain digests, computed as kmod/rule.c and kmod/dump.c do:
// XXH64 chained over the NFGATE_A_RULE nest's top-level attributes
// (header and payload, as sent) except HANDLE, COUNTERS and PAD, then a
// chain's XXH64 chained over its rules' digests.  xxhash.h is inlined
// whole (XXH_INLINE_ALL): no library to link.
#include "nfgate/digest.hpp"

#include "nfgate/codec.hpp"
#include "nfgate/error.hpp"

#include <linux/nfgate.h>
#include <netlink/attr.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace nfgate {

namespace {

// Rules are encoded into one reusable message: the digest of every rule
// of a full sync is taken, and allocating a message each costs more than
// the hashing.  A rule never exceeds a page (codec.cpp), 64 KiB is plenty.
struct Scratch {
    MsgPtr msg{nlmsg_alloc_size(64 * 1024)};
    std::uint32_t empty_len = msg ? nlmsg_hdr(msg.get())->nlmsg_len : 0;
};

}  // namespace

std::uint64_t rule_digest(const RuleSpec& r) {
    thread_local Scratch s;
    if (!s.msg) throw Error("out of memory for a netlink message");
    nlmsghdr* hdr = nlmsg_hdr(s.msg.get());
    hdr->nlmsg_len = s.empty_len;
    put_rule(s.msg.get(), r);
    auto* nest = reinterpret_cast<nlattr*>(reinterpret_cast<char*>(hdr) + s.empty_len);
    std::uint64_t h = 0;
    nlattr* a;
    int rem;
    nla_for_each_nested(a, nest, rem) {
        switch (nla_type(a)) {
            case NFGATE_RULE_A_HANDLE:
            case NFGATE_RULE_A_COUNTERS:
            case NFGATE_RULE_A_PAD:
                continue;
            default:
                h = XXH64(a, a->nla_len, h);
        }
    }
    hdr->nlmsg_len = s.empty_len;
    return h;
}

void ChainDigest::add(std::uint64_t rule) { h_ = XXH64(&rule, sizeof(rule), h_); }

}  // namespace nfgate
