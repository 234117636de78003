// SPDX-License-Identifier: GPL-2.0
// Test helper shared by the unit tests and the libFuzzer targets: the chain
// list of a table held by RulesetModel as the kernel's GETCHAIN dump gives
// it, with the digests the kernel computes from what put_rule() sent
// (digest.hpp).  Kept out of RulesetModel::snapshot(): the digests cost a
// pass over every rule, which a 100k-rule model should not pay per read.
#pragma once

#include "nfgate/digest.hpp"
#include "nfgate/model.hpp"

#include <vector>

namespace nfgate::test {

inline std::vector<ChainInfo> chains_with_digests(const TableSnapshot& t) {
    const RulesByChain by_chain = t.rules_by_chain();
    std::vector<ChainInfo> out = t.chains;
    for (auto& c : out) {
        ChainDigest d;
        for (const auto* e : by_chain[c.name]) d.add(rule_digest(e->rule));
        c.digest = d.value();
    }
    return out;
}

}  // namespace nfgate::test
