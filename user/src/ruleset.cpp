// SPDX-License-Identifier: GPL-2.0
// TableSnapshot lookups and dump ordering.
#include "nfgate/ruleset.hpp"

#include <algorithm>

namespace nfgate {

const ChainInfo* TableSnapshot::find_chain(std::string_view name) const {
    for (const auto& c : chains)
        if (c.name == name) return &c;
    return nullptr;
}

std::vector<const RuleEntry*> TableSnapshot::rules_of(std::string_view chain) const {
    std::vector<const RuleEntry*> out;
    for (const auto& r : rules)
        if (r.chain == chain) out.push_back(&r);
    return out;
}

void TableSnapshot::sort() {
    auto builtins = builtin_chains(table);
    auto rank = [&](const ChainInfo& c) -> std::size_t {
        for (std::size_t i = 0; i < builtins.size(); ++i)
            if (c.builtin && builtins[i] == c.name) return i;
        return builtins.size();
    };
    std::stable_sort(chains.begin(), chains.end(), [&](const ChainInfo& a, const ChainInfo& b) {
        auto ra = rank(a), rb = rank(b);
        if (ra != rb) return ra < rb;
        return a.name < b.name;  // strcmp order for user chains
    });
    std::vector<std::string> order;
    for (const auto& c : chains) order.push_back(c.name);
    auto chain_index = [&](const std::string& name) {
        return static_cast<std::size_t>(std::find(order.begin(), order.end(), name) - order.begin());
    };
    std::stable_sort(rules.begin(), rules.end(), [&](const RuleEntry& a, const RuleEntry& b) {
        auto ia = chain_index(a.chain), ib = chain_index(b.chain);
        if (ia != ib) return ia < ib;
        return a.position < b.position;
    });
}

}  // namespace nfgate
