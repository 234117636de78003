// SPDX-License-Identifier: GPL-2.0
// A table's state as dumps return it (GETCHAIN + GETRULE): chains with
// policy, counters and references, rules in chain order. What `-L`, `-S`
// and `save` print from.
#pragma once

#include "nfgate/rule.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nfgate {

struct ChainInfo {
    std::string name;
    bool builtin = false;
    Verdict policy = Verdict::none;  // built-in chains only
    Counters counters;               // policy counters, built-in chains only
    std::uint32_t refs = 0;
    std::uint32_t rules = 0;
    // Dumps only: the kernel's digest of the chain's rules (digest.hpp).
    std::optional<std::uint64_t> digest;
};

struct RuleEntry {
    std::string chain;
    std::uint32_t position = 0;  // 1-based
    RuleSpec rule;
};

// A snapshot's rules grouped by chain in one pass (rules_of() once per
// chain would cost chains x rules: 40 billion steps for kube-proxy's nat
// table at 100k services).  Borrows from the snapshot.
class RulesByChain {
public:
    explicit RulesByChain(const std::vector<RuleEntry>& rules);
    // The chain's rules in the snapshot's order; empty for none.
    const std::vector<const RuleEntry*>& operator[](std::string_view chain) const;

private:
    std::unordered_map<std::string_view, std::vector<const RuleEntry*>> by_chain_;
};

struct TableSnapshot {
    Table table = Table::filter;
    // The generation the snapshot was read at (Client::snapshot*; 0 when
    // built some other way).
    std::uint64_t generation = 0;
    std::vector<ChainInfo> chains;  // built-ins in hook order, then user chains by name
    std::vector<RuleEntry> rules;   // chain order, then position

    const ChainInfo* find_chain(std::string_view name) const;
    std::vector<const RuleEntry*> rules_of(std::string_view chain) const;
    RulesByChain rules_by_chain() const { return RulesByChain(rules); }
    // Puts chains and rules in the order the protocol defines for dumps.
    void sort();
};

}  // namespace nfgate
