// SPDX-License-Identifier: GPL-2.0
// TableSnapshot lookups and dump ordering.
#include "nfgate/ruleset.hpp"

#include <algorithm>
#include <unordered_map>

namespace nfgate {

const ChainInfo* TableSnapshot::find_chain(std::string_view name) const {
    for (const auto& c : chains)
        if (c.name == name) return &c;
    return nullptr;
}

RulesByChain::RulesByChain(const std::vector<RuleEntry>& rules) {
    for (const auto& r : rules) by_chain_[r.chain].push_back(&r);
}

const std::vector<const RuleEntry*>& RulesByChain::operator[](std::string_view chain) const {
    static const std::vector<const RuleEntry*> none;
    auto it = by_chain_.find(chain);
    return it == by_chain_.end() ? none : it->second;
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
    // Each rule's chain index looked up once (a linear search per
    // comparison made a 100k-service table take hours to sort).
    std::unordered_map<std::string_view, std::size_t> index;
    for (std::size_t i = 0; i < chains.size(); ++i) index.emplace(chains[i].name, i);
    std::vector<std::pair<std::size_t, std::size_t>> key(rules.size());  // (chain index, slot)
    for (std::size_t i = 0; i < rules.size(); ++i) {
        auto it = index.find(rules[i].chain);
        key[i] = {it == index.end() ? chains.size() : it->second, i};
    }
    auto before = [&](const std::pair<std::size_t, std::size_t>& a, const std::pair<std::size_t, std::size_t>& b) {
        if (a.first != b.first) return a.first < b.first;
        return rules[a.second].position < rules[b.second].position;
    };
    if (std::is_sorted(key.begin(), key.end(), before)) return;
    std::stable_sort(key.begin(), key.end(), before);
    std::vector<RuleEntry> sorted;
    sorted.reserve(rules.size());
    for (const auto& k : key) sorted.push_back(std::move(rules[k.second]));
    rules = std::move(sorted);
}

}  // namespace nfgate
