// SPDX-License-Identifier: GPL-2.0
// Rule and chain digests as the kernel computes them (kmod/rule.c,
// kmod/dump.c; Documentation/protocol.rst, Chain digests): XXH64 over the
// bytes put_rule() sends, so that restore --noflush can tell from a chain
// dump alone which chains it would write back unchanged.
#pragma once

#include "nfgate/rule.hpp"

#include <cstdint>

namespace nfgate {

// The digest the kernel gives `r` (a normalized rule, counters ignored)
// once put_rule() has sent it.
std::uint64_t rule_digest(const RuleSpec& r);

// A chain's digest, fed its rules' digests in chain order; an empty
// chain's is 0.
class ChainDigest {
public:
    void add(std::uint64_t rule);
    std::uint64_t value() const { return h_; }

private:
    std::uint64_t h_ = 0;
};

}  // namespace nfgate
